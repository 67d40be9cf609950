// Chip layout and painting for token streams.
#include "ui/stream_painter.h"

#include <QFontMetricsF>
#include <QPainterPath>
#include <algorithm>

#include "core/session/palette.h"

namespace z2z::ui {

namespace {
QColor qcolor(session::Rgb c) { return QColor(c.r, c.g, c.b); }

QString display_piece(std::string_view bytes) {
  QString s = QString::fromUtf8(bytes.data(), static_cast<int>(bytes.size()));
  s.replace(QLatin1Char('\t'), QStringLiteral("    "));
  s.replace(QLatin1Char('\r'), QString());
  return s;
}
}  // namespace

StreamStyle StreamStyle::standard(qreal point_size) {
  StreamStyle s;
  s.font = QFont(QStringLiteral("DejaVu Sans Mono"));
  s.font.setStyleHint(QFont::Monospace);
  s.font.setPointSizeF(point_size);
  return s;
}

void StreamLayout::build(const std::vector<session::StreamItem>& items, const StreamStyle& st, qreal width, qreal x0,
                         qreal y0) {
  boxes_.clear();
  const QFontMetricsF fm(st.font);
  const qreal chip_h = fm.height() + 2 * st.pad_y;
  const qreal line_h = chip_h + st.line_gap;
  const qreal right = x0 + width;
  qreal x = x0, y = y0;
  bool line_has_chip = false;
  auto place = [&](ChipBox&& b, qreal text_w) {
    const qreal w = std::max(st.min_chip, text_w + 2 * st.pad_x);
    if (line_has_chip && x + w > right) {
      x = x0;
      y += line_h;
    }
    b.rect = QRectF(x, y, w, chip_h);
    x += w + st.gap;
    line_has_chip = true;
    boxes_.push_back(std::move(b));
  };
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& it = items[i];
    ChipBox cur;
    cur.item = static_cast<int>(i);
    qreal w = 0;
    std::size_t from = 0;
    for (std::size_t k = 0; k <= it.cuts.size(); ++k) {
      const std::size_t to = k < it.cuts.size() ? std::min<std::size_t>(it.cuts[k], it.text.size()) : it.text.size();
      if (to < from) continue;
      if (k && !cur.text.isEmpty()) {
        if (it.ids_only && !session::is_hyper_kind(it.kind)) {
          cur.text += QLatin1Char(' ');
          w = fm.horizontalAdvance(cur.text);
        } else if (it.ids_only) {  // ids need room around the bar: two spaces, the bar in the middle
          cur.seps.push_back(st.pad_x + w + fm.horizontalAdvance(QLatin1Char(' ')));
          cur.text += QStringLiteral("  ");
          w = fm.horizontalAdvance(cur.text);
        } else {
          cur.seps.push_back(st.pad_x + w);
        }
      }
      const std::string_view piece = std::string_view(it.text).substr(from, to - from);
      std::size_t at = 0;
      for (std::size_t nl; (nl = piece.find('\n', at)) != std::string_view::npos; at = nl + 1) {
        cur.text += display_piece(piece.substr(at, nl - at));
        place(std::move(cur), fm.horizontalAdvance(cur.text));
        x = x0;  // the newline ends the line
        y += line_h;
        line_has_chip = false;
        cur = ChipBox{};
        cur.item = static_cast<int>(i);
      }
      cur.text += display_piece(piece.substr(at));
      w = fm.horizontalAdvance(cur.text);
      from = to;
    }
    if (!cur.text.isEmpty() || boxes_.empty() || boxes_.back().item != static_cast<int>(i)) place(std::move(cur), w);
  }
  bottom_ = (boxes_.empty() ? y0 : y + chip_h);
}

int StreamLayout::item_at(QPointF p) const {
  for (const auto& b : boxes_)
    if (b.rect.contains(p)) return b.item;
  return -1;
}

void paint_chip(QPainter& p, const ChipBox& b, const session::StreamItem& it, const StreamStyle& st, bool alternate) {
  const auto& ks = session::style_of(it.kind);
  const bool hyper = session::is_hyper_kind(it.kind);
  const bool special = it.kind == session::ChipKind::Special;
  QColor fill = qcolor(it.kind == session::ChipKind::Base && alternate ? session::base_alt_fill() : ks.fill);
  QPen border = Qt::NoPen;
  if (hyper) border = QPen(qcolor(ks.border), 1.0);
  if (special) border = QPen(qcolor(ks.border), 1.0, Qt::DashLine);
  p.setPen(border);
  p.setBrush(fill);
  const QRectF r = b.rect.adjusted(0.5, 0.5, -0.5, -0.5);
  p.drawRoundedRect(r, st.radius, st.radius);
  if (hyper) {
    const QColor bc = qcolor(ks.border);
    p.setPen(Qt::NoPen);
    p.setBrush(bc);
    p.drawRect(QRectF(r.left() + 1.5, r.bottom() - 2.5, r.width() - 3.0, 2.0));  // underline
    for (qreal s : b.seps) p.drawRect(QRectF(b.rect.left() + s - 0.5, r.top() + 3.0, 1.0, r.height() - 7.0));
  }
  QFont f = st.font;
  if (it.label) f.setItalic(true);
  p.setFont(f);
  p.setPen(qcolor(ks.text));
  const QFontMetricsF fm(f);
  p.drawText(QPointF(b.rect.left() + st.pad_x, b.rect.top() + st.pad_y + fm.ascent()), b.text);
}

void paint_stream(QPainter& p, const StreamLayout& layout, const std::vector<session::StreamItem>& items,
                  const StreamStyle& st) {
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setRenderHint(QPainter::TextAntialiasing, true);
  bool alternate = false;
  int last_item = -1;
  for (const auto& b : layout.boxes()) {
    const auto& it = items[static_cast<std::size_t>(b.item)];
    if (b.item != last_item && it.kind == session::ChipKind::Base) alternate = !alternate;
    last_item = b.item;
    paint_chip(p, b, it, st, alternate);
  }
  p.restore();
}

}  // namespace z2z::ui
