// StreamView: block-virtualized token chips over the shared stream painter.
#include "ui/widgets/stream_view.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "ui/studio/token_info.h"

namespace z2z::ui {

QString color_mode_name(ColorMode m) {
  switch (m) {
    case ColorMode::Kind:
      return QStringLiteral("Kind and length");
    case ColorMode::IdHue:
      return QStringLiteral("Hue by id");
    case ColorMode::Position:
      return QStringLiteral("Hue by position");
    case ColorMode::Probability:
      return QStringLiteral("Probability");
  }
  return {};
}

StreamView::StreamView(SessionContext* ctx, QWidget* parent) : QAbstractScrollArea(parent), ctx_(ctx) {
  style_ = StreamStyle::standard();
  setFocusPolicy(Qt::StrongFocus);
  viewport()->setMouseTracking(true);
  setAccessibleName(QStringLiteral("Token stream"));
  setAccessibleDescription(QStringLiteral("Emitted tokens as chips; arrow keys move between tokens"));
  verticalScrollBar()->setSingleStep(20);
  connect(ctx_, &SessionContext::loaded, this, &StreamView::rebuild);
  connect(ctx_, &SessionContext::grew, this, &StreamView::append_new);
  connect(ctx_, &SessionContext::cursorChanged, this, [this](qint64 t) {
    if (!ctx_->following() && t > 0) {
      const QRectF r = item_rect(ctx_->item_of_step(t - 1));
      const int top = verticalScrollBar()->value();
      if (!r.isEmpty() && (r.top() < top || r.bottom() > top + viewport()->height()))
        scroll_to_item(ctx_->item_of_step(t - 1));
    }
    viewport()->update();
  });
  connect(ctx_, &SessionContext::selectionChanged, viewport(), qOverload<>(&QWidget::update));
}

void StreamView::set_color_mode(ColorMode m) {
  mode_ = m;
  viewport()->update();
}

void StreamView::set_visible_whitespace(bool on) {
  if (on == whitespace_) return;
  whitespace_ = on;
  rebuild();
}

void StreamView::set_font_point_size(qreal pt) {
  style_ = StreamStyle::standard(pt);
  laid_width_ = -1;
  for (auto& b : blocks_) b.laid = false, b.est = -1;
  relayout_positions();
  viewport()->update();
}

void StreamView::set_ghost_opacity(qreal o) {
  ghost_opacity_ = o;
  viewport()->update();
}

void StreamView::set_background(QColor c) {
  background_ = c;
  viewport()->update();
}

qreal StreamView::width_for_layout() const { return std::max<qreal>(40, viewport()->width() - 2 * kMargin); }

void StreamView::rebuild() {
  blocks_.clear();
  alt_.clear();
  items_ = prompt_done_ = steps_done_ = 0;
  append_new();
  verticalScrollBar()->setValue(0);
}

void StreamView::add_item(session::StreamItem&& it) {
  if (blocks_.empty() || blocks_.back().closed) {
    Block b;
    b.first = items_;
    blocks_.push_back(std::move(b));
  }
  Block& b = blocks_.back();
  const bool base = it.kind == session::ChipKind::Base;
  const std::uint8_t prev = alt_.empty() ? 0 : alt_.back();
  alt_.push_back(base ? std::uint8_t(!prev) : prev);
  const bool ends_line = !it.text.empty() && it.text.back() == '\n';
  b.items.push_back(std::move(it));
  b.laid = false;
  b.est = -1;
  ++items_;
  if (ends_line || static_cast<int>(b.items.size()) >= kBlockItems) b.closed = true;
}

void StreamView::append_new() {
  if (!ctx_->has_session()) {
    viewport()->update();
    update_scroll_range();
    return;
  }
  const auto& s = ctx_->session();
  session::ItemOptions io;
  io.visible_whitespace = whitespace_;
  const bool at_bottom = verticalScrollBar()->value() >= verticalScrollBar()->maximum() - 4;
  const std::int64_t pc = ctx_->prompt_codes();
  while (prompt_done_ < pc) add_item(session::prompt_item(s, static_cast<std::size_t>(prompt_done_++), io));
  while (steps_done_ < s.steps()) add_item(session::step_item(s, steps_done_++, io));
  relayout_positions();
  if (ctx_->following() && at_bottom) verticalScrollBar()->setValue(verticalScrollBar()->maximum());
  viewport()->update();
}

qreal StreamView::estimate(Block& b) const {
  if (b.est >= 0) return b.est;
  const QFontMetricsF fm(style_.font);
  const qreal cw = fm.horizontalAdvance(QLatin1Char('m'));
  const qreal line_h = fm.height() + 2 * style_.pad_y + style_.line_gap;
  const qreal w = width_for_layout();
  qreal x = 0;
  int lines = 1;
  for (const auto& it : b.items) {
    std::size_t from = 0;
    for (std::size_t nl; (nl = it.text.find('\n', from)) != std::string::npos; from = nl + 1) {
      x = 0;
      ++lines;
    }
    const qreal cwid = std::max(style_.min_chip, qreal(it.text.size() - from) * cw + 2 * style_.pad_x) + style_.gap;
    if (x > 0 && x + cwid > w) {
      x = 0;
      ++lines;
    }
    x += cwid;
  }
  if (!b.items.empty() && b.items.back().text.size() && b.items.back().text.back() == '\n') --lines;
  b.est = lines * line_h;
  return b.est;
}

void StreamView::ensure_laid(Block& b) {
  if (b.laid) return;
  b.layout.build(b.items, style_, width_for_layout(), kMargin, 0);
  const QFontMetricsF fm(style_.font);
  const qreal line_h = fm.height() + 2 * style_.pad_y + style_.line_gap;
  // a block that ends in a newline leaves the next line to the next block
  const bool ends_nl = !b.items.empty() && !b.items.back().text.empty() && b.items.back().text.back() == '\n';
  b.h = b.layout.boxes().empty() ? line_h : b.layout.bottom() + style_.line_gap - (ends_nl ? line_h : 0);
  if (ends_nl && b.h < line_h) b.h = line_h;
  b.laid = true;
}

void StreamView::relayout_positions() {
  const qreal w = width_for_layout();
  if (w != laid_width_) {
    for (auto& b : blocks_) b.laid = false, b.est = -1;
    laid_width_ = w;
  }
  qreal y = kMargin;
  for (auto& b : blocks_) {
    b.y = y;
    y += b.laid ? b.h : estimate(b);
  }
  update_scroll_range();
}

qreal StreamView::content_height() const {
  if (blocks_.empty()) return 0;
  const Block& b = blocks_.back();
  return b.y + (b.laid ? b.h : b.est) + kMargin;
}

void StreamView::update_scroll_range() {
  const int h = static_cast<int>(std::ceil(content_height()));
  verticalScrollBar()->setRange(0, std::max(0, h - viewport()->height()));
  verticalScrollBar()->setPageStep(viewport()->height());
}

int StreamView::laid_blocks() const {
  return static_cast<int>(std::count_if(blocks_.begin(), blocks_.end(), [](const Block& b) { return b.laid; }));
}

int StreamView::block_of_item(std::int64_t item) const {
  if (blocks_.empty() || item < 0 || item >= items_) return -1;
  auto it = std::upper_bound(blocks_.begin(), blocks_.end(), item,
                             [](std::int64_t v, const Block& b) { return v < b.first; });
  return static_cast<int>(it - blocks_.begin()) - 1;
}

int StreamView::block_at_y(qreal y) const {
  if (blocks_.empty()) return -1;
  auto it = std::upper_bound(blocks_.begin(), blocks_.end(), y, [](qreal v, const Block& b) { return v < b.y; });
  return std::max(0, static_cast<int>(it - blocks_.begin()) - 1);
}

QColor StreamView::mode_fill(const session::StreamItem& it, std::int64_t item) const {
  const bool hyper = session::is_hyper_kind(it.kind);
  switch (mode_) {
    case ColorMode::IdHue: {
      const double h = std::fmod(double(it.code) * 0.6180339887, 1.0);
      return QColor::fromHsvF(h, hyper ? 0.55 : 0.22, hyper ? 0.95 : 1.0);
    }
    case ColorMode::Position: {
      const double h = std::fmod(double(item) * 0.037, 1.0);
      return QColor::fromHsvF(h, hyper ? 0.55 : 0.22, 1.0);
    }
    case ColorMode::Probability: {
      if (it.prompt || ctx_->session().info().source == "text") return QColor(225, 225, 225);
      const double p = std::clamp(ctx_->session().step(it.index).prob, 0.0, 1.0);
      return QColor::fromHsvF(0.33 * p, hyper ? 0.6 : 0.35, 1.0);  // red (unlikely) -> green (likely)
    }
    case ColorMode::Kind:
      break;
  }
  return {};
}

void StreamView::paint_item_box(QPainter& p, const ChipBox& box, const session::StreamItem& it, std::int64_t item,
                                bool alt) {
  if (mode_ == ColorMode::Kind || it.kind == session::ChipKind::Special) {
    paint_chip(p, box, it, style_, alt);
    return;
  }
  // Same shape and cues as paint_chip (border, underline, boundary ticks), with the mode's fill.
  const bool hyper = session::is_hyper_kind(it.kind);
  const QColor fill = mode_fill(it, item);
  const QRectF r = box.rect.adjusted(0.5, 0.5, -0.5, -0.5);
  const QColor dark = fill.darker(230);
  p.setPen(hyper ? QPen(dark, 1.5) : Qt::NoPen);
  p.setBrush(fill);
  p.drawRoundedRect(r, style_.radius, style_.radius);
  if (hyper) {
    p.setPen(Qt::NoPen);
    p.setBrush(dark);
    p.drawRect(QRectF(r.left() + 1.5, r.bottom() - 2.5, r.width() - 3.0, 2.0));
    for (qreal s : box.seps) p.drawRect(QRectF(box.rect.left() + s - 0.5, r.top() + 3.0, 1.0, r.height() - 7.0));
  }
  QFont f = style_.font;
  if (it.label) f.setItalic(true);
  p.setFont(f);
  p.setPen(QColor(20, 20, 20));
  const QFontMetricsF fm(f);
  p.drawText(QPointF(box.rect.left() + style_.pad_x, box.rect.top() + style_.pad_y + fm.ascent()), box.text);
}

void StreamView::paintEvent(QPaintEvent*) {
  QElapsedTimer timer;
  timer.start();
  QPainter p(viewport());
  const QColor bg = background_.isValid() ? background_ : palette().color(QPalette::Base);
  p.fillRect(viewport()->rect(), bg);
  if (!ctx_->has_session() || blocks_.empty()) {
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(viewport()->rect(), Qt::AlignCenter,
               ctx_->generating() ? QStringLiteral("Loading the model…")
                                  : QStringLiteral("No session yet — press Ctrl+Enter to generate, or open a session"));
    return;
  }
  const qreal top = verticalScrollBar()->value();
  const qreal bottom = top + viewport()->height();
  bool changed = false;
  int bi = block_at_y(top);
  // Lay out the visible blocks first (heights may change), then paint.
  for (int i = bi; i < static_cast<int>(blocks_.size()) && blocks_[i].y < bottom; ++i) {
    if (!blocks_[i].laid) {
      ensure_laid(blocks_[i]);
      changed = true;
      relayout_positions();
    }
  }
  if (changed) bi = block_at_y(top);
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setRenderHint(QPainter::TextAntialiasing, true);
  const std::int64_t limit = ctx_->item_of_step(ctx_->cursor());
  const std::int64_t sel = ctx_->selected_item();
  const session::TokenId hl = ctx_->highlight_id();
  const QColor hl_color = QColor(255, 200, 0, 170);
  const QColor sel_color = palette().color(QPalette::Highlight);
  for (int i = bi; i < static_cast<int>(blocks_.size()) && blocks_[i].y < bottom; ++i) {
    Block& b = blocks_[i];
    ensure_laid(b);
    const qreal dy = b.y - top;
    for (const auto& box : b.layout.boxes()) {
      if (box.rect.bottom() + dy < 0 || box.rect.top() + dy > viewport()->height()) continue;
      const std::int64_t item = b.first + box.item;
      const auto& it = b.items[static_cast<std::size_t>(box.item)];
      ChipBox moved = box;
      moved.rect.translate(0, dy);
      if (hl >= 0 && it.code == hl) {
        p.setPen(Qt::NoPen);
        p.setBrush(hl_color);
        p.drawRoundedRect(moved.rect.adjusted(-2, -2, 2, 2), 4, 4);
      }
      p.setOpacity(item >= limit ? ghost_opacity_ : 1.0);
      paint_item_box(p, moved, it, item, alt_[static_cast<std::size_t>(item)] != 0);
      p.setOpacity(1.0);
      if (item == sel) {
        p.setPen(QPen(sel_color, 2.0));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(moved.rect.adjusted(-1.5, -1.5, 1.5, 1.5), 4, 4);
      }
      if (item == limit - 1 && ctx_->cursor() < ctx_->steps()) {  // the cursor caret after step t-1
        p.setPen(QPen(sel_color, 2.0));
        p.drawLine(QPointF(moved.rect.right() + 1, moved.rect.top() - 1),
                   QPointF(moved.rect.right() + 1, moved.rect.bottom() + 1));
      }
    }
  }
  frame_ms_.push_back(double(timer.nsecsElapsed()) / 1e6);
  if (frame_ms_.size() > 100000) frame_ms_.erase(frame_ms_.begin(), frame_ms_.begin() + 50000);
}

void StreamView::resizeEvent(QResizeEvent* e) {
  QAbstractScrollArea::resizeEvent(e);
  // keep the first visible item in view across re-wrapping
  const int bi = block_at_y(verticalScrollBar()->value());
  const std::int64_t anchor = bi >= 0 ? blocks_[bi].first : -1;
  relayout_positions();
  if (anchor > 0) scroll_to_item(anchor);
}

std::int64_t StreamView::item_at(QPoint pos) {
  const qreal y = pos.y() + verticalScrollBar()->value();
  int bi = block_at_y(y);
  if (bi < 0) return -1;
  if (!blocks_[bi].laid) {
    ensure_laid(blocks_[bi]);
    relayout_positions();
    bi = block_at_y(y);
  }
  Block& b = blocks_[bi];
  ensure_laid(b);
  const int local = b.layout.item_at(QPointF(pos.x(), y - b.y));
  return local < 0 ? -1 : b.first + local;
}

QRectF StreamView::item_rect(std::int64_t item) {
  const int bi = block_of_item(item);
  if (bi < 0) return {};
  if (!blocks_[bi].laid) {
    ensure_laid(blocks_[bi]);
    relayout_positions();
  }
  const Block& b = blocks_[bi];
  for (const auto& box : b.layout.boxes())
    if (b.first + box.item == item) return box.rect.translated(0, b.y);
  return {};
}

void StreamView::scroll_to_item(std::int64_t item) {
  // lay out the blocks above it so its position is exact
  const int bi = block_of_item(item);
  if (bi < 0) return;
  const QRectF r = item_rect(item);
  if (r.isEmpty()) return;
  const int top = verticalScrollBar()->value();
  if (r.top() < top + 4 || r.bottom() > top + viewport()->height() - 4)
    verticalScrollBar()->setValue(static_cast<int>(r.top() - viewport()->height() / 3));
  viewport()->update();
}

void StreamView::mousePressEvent(QMouseEvent* e) {
  setFocus();
  const std::int64_t item = item_at(e->pos());
  ctx_->set_selected_item(item);
  if (item >= 0)
    ctx_->set_highlight_id(ctx_->item_code(item));
  else
    ctx_->set_highlight_id(-1);
  if (item >= 0 && e->button() == Qt::LeftButton) Q_EMIT itemActivated(item);
}

void StreamView::mouseDoubleClickEvent(QMouseEvent* e) {
  const std::int64_t item = item_at(e->pos());
  const ItemRef r = ctx_->item_ref(item);
  if (r.valid() && !r.prompt) ctx_->set_cursor(r.index + 1);
}

bool StreamView::event(QEvent* e) {
  if (e->type() == QEvent::ShortcutOverride) {  // arrows/Home/End move tokens while the stream has focus
    auto* k = static_cast<QKeyEvent*>(e);
    if (k->modifiers() == Qt::NoModifier &&
        (k->key() == Qt::Key_Left || k->key() == Qt::Key_Right || k->key() == Qt::Key_Up || k->key() == Qt::Key_Down ||
         k->key() == Qt::Key_Return || k->key() == Qt::Key_Enter)) {
      e->accept();
      return true;
    }
  }
  return QAbstractScrollArea::event(e);
}

bool StreamView::viewportEvent(QEvent* e) {
  if (e->type() == QEvent::ToolTip) {
    auto* he = static_cast<QHelpEvent*>(e);
    const std::int64_t item = item_at(he->pos());
    if (item >= 0)
      QToolTip::showText(he->globalPos(), info_html(describe_item(*ctx_, item, ctx_->cursor())), viewport());
    else
      QToolTip::hideText();
    return true;
  }
  return QAbstractScrollArea::viewportEvent(e);
}

void StreamView::keyPressEvent(QKeyEvent* e) {
  const std::int64_t n = ctx_->item_count();
  std::int64_t sel = ctx_->selected_item();
  auto move_to = [&](std::int64_t item) {
    item = std::clamp<std::int64_t>(item, 0, n - 1);
    ctx_->set_selected_item(item);
    ctx_->set_highlight_id(ctx_->item_code(item));
    scroll_to_item(item);
  };
  if (n == 0) return QAbstractScrollArea::keyPressEvent(e);
  if (e->matches(QKeySequence::Copy)) return copy_selected(0);
  switch (e->key()) {
    case Qt::Key_Right:
      return move_to(sel < 0 ? 0 : sel + 1);
    case Qt::Key_Left:
      return move_to(sel < 0 ? n - 1 : sel - 1);
    case Qt::Key_Down:
    case Qt::Key_Up: {
      const QRectF r = item_rect(std::max<std::int64_t>(sel, 0));
      const qreal dy = (e->key() == Qt::Key_Down ? 1 : -1) * (r.height() + style_.line_gap);
      const QPoint pt(int(r.center().x()), int(r.center().y() + dy - verticalScrollBar()->value()));
      std::int64_t item = item_at(pt);
      if (item < 0) item = sel + (e->key() == Qt::Key_Down ? 1 : -1);
      return move_to(item);
    }
    case Qt::Key_Return:
    case Qt::Key_Enter:
      if (sel >= 0) Q_EMIT itemActivated(sel);
      return;
    default:
      break;
  }
  QAbstractScrollArea::keyPressEvent(e);
}

void StreamView::copy_selected(int what) {
  const std::int64_t sel = ctx_->selected_item();
  if (sel < 0) return;
  const TokenInfo info = describe_item(*ctx_, sel, ctx_->cursor());
  QApplication::clipboard()->setText(what == 0 ? info.text : what == 1 ? info_ids(info) : info_json(info));
}

void StreamView::contextMenuEvent(QContextMenuEvent* e) {
  const std::int64_t item = item_at(viewport()->mapFrom(this, e->pos()));
  if (item >= 0) ctx_->set_selected_item(item);
  QMenu m(this);
  m.addAction(
      QStringLiteral("Copy text"), this, [this] { copy_selected(0); }, QKeySequence::Copy);
  m.addAction(
      QStringLiteral("Copy ids"), this, [this] { copy_selected(1); }, QKeySequence("Ctrl+Shift+C"));
  m.addAction(
      QStringLiteral("Copy as JSON"), this, [this] { copy_selected(2); }, QKeySequence("Ctrl+Alt+C"));
  m.exec(e->globalPos());
}

}  // namespace z2z::ui
