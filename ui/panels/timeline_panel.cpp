// TimelinePanel: scrubber + transport controls.
#include "ui/panels/timeline_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/widgets/timeline_bar.h"

namespace z2z::ui {

TimelinePanel::TimelinePanel(SessionContext* ctx, QWidget* parent) : QWidget(parent), ctx_(ctx) {
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(4, 2, 4, 2);
  bar_ = new TimelineBar(ctx, this);
  auto* row = new QHBoxLayout;
  auto button = [&](QStyle::StandardPixmap icon, const QString& name, auto fn) {
    auto* b = new QToolButton;
    b->setIcon(style()->standardIcon(icon));
    b->setToolTip(name);
    b->setAccessibleName(name);
    connect(b, &QToolButton::clicked, this, fn);
    row->addWidget(b);
    return b;
  };
  button(QStyle::SP_MediaSkipBackward, "First step (Home)", [this] { go_home(); });
  button(QStyle::SP_MediaSeekBackward, "Step back (←)", [this] { step_by(-1); });
  play_ = button(QStyle::SP_MediaPlay, "Play / pause (Space)", [this] { toggle_play(); });
  button(QStyle::SP_MediaSeekForward, "Step forward (→)", [this] { step_by(1); });
  button(QStyle::SP_MediaSkipForward, "Last step (End)", [this] { go_end(); });
  speed_ = new QComboBox;
  speed_->addItems({"2 steps/s", "5 steps/s", "10 steps/s", "25 steps/s", "60 steps/s", "200 steps/s"});
  speed_->setCurrentIndex(2);
  speed_->setAccessibleName("Replay speed");
  row->addWidget(speed_);
  label_ = new QLabel;
  label_->setMinimumWidth(130);
  row->addWidget(label_);
  row->addWidget(bar_, 1);
  v->addLayout(row);
  connect(&timer_, &QTimer::timeout, this, [this] {
    static const int rates[] = {2, 5, 10, 25, 60, 200};
    const int rate = rates[std::max(0, speed_->currentIndex())];
    const int per_tick = std::max(1, rate / 30);
    if (ctx_->cursor() >= ctx_->steps()) {
      toggle_play();
      return;
    }
    ctx_->set_cursor(ctx_->cursor() + per_tick);
  });
  connect(speed_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
    static const int rates[] = {2, 5, 10, 25, 60, 200};
    timer_.setInterval(std::max(33, 1000 / rates[std::max(0, i)]));
  });
  timer_.setInterval(100);
  connect(ctx_, &SessionContext::cursorChanged, this, &TimelinePanel::refresh);
  connect(ctx_, &SessionContext::grew, this, &TimelinePanel::refresh);
  connect(ctx_, &SessionContext::loaded, this, &TimelinePanel::refresh);
  refresh();
}

void TimelinePanel::refresh() {
  label_->setText(QString("step <b>%1</b> / %2").arg(ctx_->cursor()).arg(ctx_->steps()));
}

void TimelinePanel::toggle_play() {
  if (timer_.isActive()) {
    timer_.stop();
    play_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  } else {
    if (ctx_->cursor() >= ctx_->steps()) ctx_->set_cursor(0);
    timer_.start();
    play_->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
  }
}

void TimelinePanel::step_by(int d) { ctx_->set_cursor(ctx_->cursor() + d); }
void TimelinePanel::go_home() { ctx_->set_cursor(0); }
void TimelinePanel::go_end() { ctx_->set_cursor(ctx_->steps()); }

}  // namespace z2z::ui
