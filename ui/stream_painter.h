// StreamLayout + paint_stream — the token-stream painting code shared by the GUI stream view and the
// PNG/SVG exports (so a picture for a talk looks like the app). Lays out StreamItems as chips wrapped
// to a width (a '\n' in a token's text breaks the line), then paints them with the shared palette:
// base chips in alternating light tints, hypertoken chips coloured by length with a border, an
// underline and a thin bar at each internal base-token boundary, special tokens dashed and grey.
// Pure QPainter: works on a widget, a QImage or a QSvgGenerator. No session logic here.
#pragma once

#include <QFont>
#include <QPainter>
#include <QRectF>
#include <QString>
#include <vector>

#include "core/session/stream_items.h"

namespace z2z::ui {

struct StreamStyle {
  QFont font;  // chip text (monospace)
  qreal pad_x = 3.0, pad_y = 2.0;
  qreal gap = 2.0;       // between chips
  qreal line_gap = 4.0;  // between lines
  qreal radius = 3.0;
  qreal min_chip = 6.0;             // width of a chip with no visible text
  bool visible_whitespace = false;  // items already carry glyphs when built with ItemOptions; tabs otherwise
  static StreamStyle standard(qreal point_size = 10.5);
};

// One chip box: a token, or the part of a token on one line.
struct ChipBox {
  int item = 0;
  QRectF rect;
  QString text;
  std::vector<qreal> seps;  // x offsets (from rect.left) of internal base-token boundaries
};

class StreamLayout {
 public:
  // Items at their positions, wrapped to `width` starting at (x0, y0).
  void build(const std::vector<session::StreamItem>& items, const StreamStyle& style, qreal width, qreal x0 = 0,
             qreal y0 = 0);
  const std::vector<ChipBox>& boxes() const { return boxes_; }
  qreal bottom() const { return bottom_; }  // y below the last line
  int item_at(QPointF p) const;             // -1 if none

 private:
  std::vector<ChipBox> boxes_;
  qreal bottom_ = 0;
};

void paint_stream(QPainter& p, const StreamLayout& layout, const std::vector<session::StreamItem>& items,
                  const StreamStyle& style);
// One chip (legend samples, codebook cells).
void paint_chip(QPainter& p, const ChipBox& box, const session::StreamItem& item, const StreamStyle& style,
                bool alternate);

}  // namespace z2z::ui
