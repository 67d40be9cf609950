// TeachingPanel — LZW teaching mode for any pasted text, no model: the text is tokenized (a
// tokenizer.json, or UTF-8 bytes as ids when there is none) and compressed with canonical LZW; the
// resulting text session becomes the studio's session (stream, codebook, dashboard, timeline all
// show it) and the trace table (buffer, id read, known?, emitted, added) follows the scrubber:
// the row that emitted the code at the cursor is selected, and clicking a row moves the cursor.
// Presets (repetitive text, code, prose) show high vs low compression; explanations can be hidden.
// Not the codec (core/lzw/codec.h encode_trace).
#pragma once

#include <QWidget>
#include <memory>
#include <vector>

#include "core/lzw/codec.h"
#include "core/tokenizer/tokenizer.h"
#include "ui/studio/session_context.h"

class QPlainTextEdit;
class QTableWidget;
class QLabel;
class QLineEdit;
class QSpinBox;
class QComboBox;
class QCheckBox;

namespace z2z::ui {

class TeachingPanel : public QWidget {
  Q_OBJECT
 public:
  TeachingPanel(SessionContext* ctx, QString default_tokenizer, QWidget* parent = nullptr);
  // Tokenize + compress the text box and make it the current session. Errors -> returned message.
  QString run();
  void set_text(const QString& text);
  void set_tokenizer(const QString& path);
  int trace_rows() const;
  int current_row() const;

 Q_SIGNALS:
  void failed(const QString& message);

 private:
  void follow_cursor();
  SessionContext* ctx_;
  QComboBox* preset_;
  QPlainTextEdit* text_;
  QLineEdit* tokenizer_;
  QSpinBox *k_, *s_;
  QCheckBox* explain_;
  QLabel* explanation_;
  QLabel* stats_;
  QTableWidget* table_;
  std::vector<std::int64_t> row_first_code_;       // per trace row: index of its first emitted code
  std::shared_ptr<const session::Session> owned_;  // the session this table describes
  bool syncing_ = false;
};

}  // namespace z2z::ui
