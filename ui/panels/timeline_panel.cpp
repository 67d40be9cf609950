// TimelinePanel: scrubber + transport controls.
#include "ui/panels/timeline_panel.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
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
    b->setProperty("z2z_icon", int(icon));
    buttons_.push_back(b);
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
  retint();
  refresh();
}

// The style's media icons are drawn in one dark grey: repaint them in the palette's button text colour,
// so they stay visible on dark and high-contrast themes.
void TimelinePanel::retint() {
  const QColor c = palette().color(QPalette::ButtonText);
  for (QToolButton* b : buttons_) {
    auto sp = QStyle::StandardPixmap(b->property("z2z_icon").toInt());
    if (b == play_ && timer_.isActive()) sp = QStyle::SP_MediaPause;
    QImage img = style()->standardIcon(sp).pixmap(QSize(16, 16)).toImage().convertToFormat(QImage::Format_ARGB32);
    QPainter p(&img);
    p.setCompositionMode(QPainter::CompositionMode_SourceIn);
    p.fillRect(img.rect(), c);
    p.end();
    QIcon icon(QPixmap::fromImage(img));
    QColor d = c;
    d.setAlphaF(0.45);
    QImage dis = img;
    QPainter pd(&dis);
    pd.setCompositionMode(QPainter::CompositionMode_SourceIn);
    pd.fillRect(dis.rect(), d);
    pd.end();
    icon.addPixmap(QPixmap::fromImage(dis), QIcon::Disabled);
    b->setIcon(icon);
  }
}

void TimelinePanel::changeEvent(QEvent* e) {
  QWidget::changeEvent(e);
  if (e->type() == QEvent::PaletteChange || e->type() == QEvent::StyleChange) retint();
}

void TimelinePanel::refresh() {
  label_->setText(QString("step <b>%1</b> / %2").arg(ctx_->cursor()).arg(ctx_->steps()));
}

void TimelinePanel::toggle_play() {
  if (timer_.isActive()) {
    timer_.stop();
    retint();
  } else {
    if (ctx_->cursor() >= ctx_->steps()) ctx_->set_cursor(0);
    timer_.start();
    retint();
  }
}

void TimelinePanel::step_by(int d) { ctx_->set_cursor(ctx_->cursor() + d); }
void TimelinePanel::go_home() { ctx_->set_cursor(0); }
void TimelinePanel::go_end() { ctx_->set_cursor(ctx_->steps()); }

}  // namespace z2z::ui
