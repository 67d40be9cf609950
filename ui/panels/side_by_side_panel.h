// SideBySidePanel — the same prompt through two models (demo-base and demo-zip2zip by default, or
// any two): two stream columns with their own session contexts and workers, synced scrolling (by
// fraction of the content), "n/total · time" per column, and an equal-pace replay that reveals both
// columns at the same steps per second, so the zip2zip column visibly finishes first.
// Not the main session: the studio's SessionContext is untouched.
#pragma once

#include <QTimer>
#include <QWidget>

#include "ui/studio/generation_worker.h"
#include "ui/studio/session_context.h"

class QLabel;
class QLineEdit;
class QSpinBox;

namespace z2z::ui {

class StreamView;

class SideBySidePanel : public QWidget {
  Q_OBJECT
 public:
  SideBySidePanel(const QString& left_model, const QString& right_model, QWidget* parent = nullptr);
  // Generate with both models (request's sampling + prompt; model dirs from the two fields).
  void run(const GenerationRequest& request);
  void stop();
  void replay();
  SessionContext* column(int i) const { return col_[i].ctx; }
  bool busy() const { return col_[0].running || col_[1].running; }

 Q_SIGNALS:
  void bothFinished();

 private:
  struct Column {
    SessionContext* ctx = nullptr;
    GenerationController* gen = nullptr;
    StreamView* view = nullptr;
    QLineEdit* model = nullptr;
    QLabel* label = nullptr;
    bool running = false;
  };
  void update_labels();
  Column col_[2];
  QSpinBox* pace_;
  QTimer replay_timer_;
  std::int64_t replay_step_ = 0;
  bool syncing_ = false;
};

}  // namespace z2z::ui
