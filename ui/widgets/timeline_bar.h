// TimelineBar — the scrubber track: steps 0..n left to right, a density strip of hypertoken
// emissions, marks for the highlighted token (▲ where the entry was created, | where it was used,
// like RenderDoc's resource-usage marks) and the cursor. Click or drag moves the cursor.
// Not the play/speed controls (TimelinePanel).
#pragma once

#include <QWidget>

#include "ui/studio/session_context.h"

namespace z2z::ui {

class TimelineBar : public QWidget {
  Q_OBJECT
 public:
  explicit TimelineBar(SessionContext* ctx, QWidget* parent = nullptr);
  QSize sizeHint() const override { return {600, 44}; }
  QSize minimumSizeHint() const override { return {120, 36}; }
  std::int64_t step_at_x(int x) const;

 protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;

 private:
  qreal x_of(std::int64_t t) const;
  SessionContext* ctx_;
};

}  // namespace z2z::ui
