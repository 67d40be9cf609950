// PromptPanel — "Prompt & run": model picker (demo models preselected, "Open model directory…"),
// tokenizer, sampling (temperature, top-k, top-p, seed, max tokens), K and S overrides, the prompt,
// Generate (Ctrl+Enter) and Stop (Esc). Builds a GenerationRequest; it does not run anything itself
// (MainWindow hands the request to the GenerationController). Settings persist in QSettings.
#pragma once

#include <QWidget>

#include "ui/studio/generation_worker.h"

class QComboBox;
class QLineEdit;
class QDoubleSpinBox;
class QSpinBox;
class QPlainTextEdit;
class QPushButton;
class QLabel;

namespace z2z::ui {

class PromptPanel : public QWidget {
  Q_OBJECT
 public:
  // `demo_models`: directories offered first (may not exist yet).
  PromptPanel(const QStringList& demo_models, QWidget* parent = nullptr);
  GenerationRequest request() const;
  void set_model_dir(const QString& dir);
  QString model_dir() const;
  void set_prompt(const QString& text);
  // temperature < 0 / max_tokens < 0: unchanged
  void set_sampling(double temperature, int max_tokens);
  void set_running(bool running);
  void set_status(const QString& text);
  // Warnings of the loaded model, one line each under the model picker (cleared when the model changes).
  void set_model_warnings(const QStringList& warnings);
  QStringList model_warnings() const { return model_warnings_; }
  void save_settings() const;
  void load_settings();

 Q_SIGNALS:
  void generateRequested();
  void stopRequested();

 private:
  void check_model_dir();
  QComboBox* model_;
  QLineEdit* tokenizer_;
  QDoubleSpinBox *temperature_, *top_p_;
  QSpinBox *top_k_, *seed_, *max_tokens_, *k_override_, *s_override_;
  QPlainTextEdit* prompt_;
  QPushButton *generate_, *stop_;
  QLabel *model_status_, *status_;
  QStringList model_warnings_;
};

}  // namespace z2z::ui
