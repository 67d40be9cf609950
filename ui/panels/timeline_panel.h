// TimelinePanel — the replay scrubber: TimelineBar plus Home / step -1 / play-pause / step +1 / End
// buttons, a speed menu and "step t / n". Every panel redraws at the cursor (they listen to the
// SessionContext). Keys (window-wide, MainWindow): Space play/pause, ←/→ step, Home/End.
// Not a session writer: it only moves the cursor.
#pragma once

#include <QTimer>
#include <QWidget>
#include <vector>

#include "ui/studio/session_context.h"

class QLabel;
class QComboBox;
class QToolButton;

namespace z2z::ui {

class TimelineBar;

class TimelinePanel : public QWidget {
  Q_OBJECT
 public:
  explicit TimelinePanel(SessionContext* ctx, QWidget* parent = nullptr);
  void toggle_play();
  void step_by(int d);
  void go_home();
  void go_end();
  bool playing() const { return timer_.isActive(); }
  TimelineBar* bar() const { return bar_; }

 protected:
  void changeEvent(QEvent* e) override;

 private:
  void refresh();
  void retint();
  std::vector<QToolButton*> buttons_;
  SessionContext* ctx_;
  TimelineBar* bar_;
  QLabel* label_;
  QComboBox* speed_;
  QToolButton* play_;
  QTimer timer_;
};

}  // namespace z2z::ui
