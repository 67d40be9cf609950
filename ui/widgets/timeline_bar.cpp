// TimelineBar: the scrubber track.
#include "ui/widgets/timeline_bar.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace z2z::ui {

namespace {
constexpr int kPad = 10;
}

TimelineBar::TimelineBar(SessionContext* ctx, QWidget* parent) : QWidget(parent), ctx_(ctx) {
  setAccessibleName("Timeline scrubber");
  setFocusPolicy(Qt::ClickFocus);
  connect(ctx_, &SessionContext::loaded, this, qOverload<>(&QWidget::update));
  connect(ctx_, &SessionContext::grew, this, qOverload<>(&QWidget::update));
  connect(ctx_, &SessionContext::cursorChanged, this, qOverload<>(&QWidget::update));
  connect(ctx_, &SessionContext::selectionChanged, this, qOverload<>(&QWidget::update));
}

qreal TimelineBar::x_of(std::int64_t t) const {
  const std::int64_t n = std::max<std::int64_t>(1, ctx_->steps());
  return kPad + (width() - 2 * kPad) * qreal(t) / qreal(n);
}

std::int64_t TimelineBar::step_at_x(int x) const {
  const std::int64_t n = ctx_->steps();
  const qreal f = std::clamp<qreal>(qreal(x - kPad) / std::max(1, width() - 2 * kPad), 0, 1);
  return static_cast<std::int64_t>(std::llround(f * qreal(n)));
}

void TimelineBar::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette& pal = palette();
  const QRectF track(kPad, height() / 2.0 - 6, width() - 2 * kPad, 12);
  p.setPen(Qt::NoPen);
  p.setBrush(pal.color(QPalette::Mid));
  p.drawRoundedRect(track, 3, 3);
  if (!ctx_->has_session()) return;
  const auto& s = ctx_->session();
  const std::int64_t n = s.steps();
  // hypertoken density: one column per pixel, share of hypertokens among its steps
  const int w = static_cast<int>(track.width());
  if (n > 0 && w > 0) {
    std::vector<int> hyper(static_cast<std::size_t>(w), 0), total(static_cast<std::size_t>(w), 0);
    for (std::int64_t i = 0; i < n; ++i) {
      const auto col = static_cast<std::size_t>(std::min<std::int64_t>(w - 1, i * w / n));
      total[col]++;
      hyper[col] += s.step(i).is_hyper;
    }
    QColor hc(230, 159, 0);
    for (int c = 0; c < w; ++c) {
      if (!total[std::size_t(c)] || !hyper[std::size_t(c)]) continue;
      hc.setAlphaF(0.25 + 0.75 * double(hyper[std::size_t(c)]) / total[std::size_t(c)]);
      p.fillRect(QRectF(track.left() + c, track.top() + 1, 1, track.height() - 2), hc);
    }
  }
  // played part
  QColor played = pal.color(QPalette::Highlight);
  played.setAlphaF(0.25);
  p.fillRect(QRectF(track.left(), track.top(), x_of(ctx_->cursor()) - track.left(), track.height()), played);
  // marks for the highlighted token
  const session::TokenId id = ctx_->highlight_id();
  if (id >= 0) {
    if (const auto* e = s.find_entry(id)) {
      p.setPen(QPen(QColor(0, 158, 115), 1.5));
      for (std::int64_t u : s.uses_of(id))
        if (u >= 0) p.drawLine(QPointF(x_of(u) + 0.5, track.top() - 7), QPointF(x_of(u) + 0.5, track.top() - 1));
      const qreal cx = e->created_step < 0 ? track.left() : x_of(e->created_step);
      QPainterPath tri;
      tri.moveTo(cx, track.bottom() + 1);
      tri.lineTo(cx - 5, track.bottom() + 9);
      tri.lineTo(cx + 5, track.bottom() + 9);
      tri.closeSubpath();
      p.setPen(Qt::NoPen);
      p.setBrush(QColor(0, 158, 115));
      p.drawPath(tri);
    }
  }
  // cursor
  const qreal cx = x_of(ctx_->cursor());
  p.setPen(QPen(pal.color(QPalette::Highlight), 2.5));
  p.drawLine(QPointF(cx, 2), QPointF(cx, height() - 2));
}

void TimelineBar::mousePressEvent(QMouseEvent* e) { ctx_->set_cursor(step_at_x(e->pos().x())); }
void TimelineBar::mouseMoveEvent(QMouseEvent* e) {
  if (e->buttons() & Qt::LeftButton) ctx_->set_cursor(step_at_x(e->pos().x()));
}

}  // namespace z2z::ui
