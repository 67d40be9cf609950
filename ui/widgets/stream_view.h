// StreamView — the virtualized token-stream widget: chips laid out and painted with the shared
// stream painter (ui/stream_painter.h, the same code as the PNG/SVG exports). Items are kept in
// blocks (a block ends after a token ending in a newline, or after kBlockItems tokens); only blocks
// that intersect the viewport are laid out, the others have an estimated height, so a 100k-token
// session opens and scrolls without laying out everything. Items after the cursor step are ghosted.
// Colour modes: kind/length (the shared palette), hue by id, hue by position, probability.
// Hover card, click selects (pins to the Inspector), arrow keys move, Ctrl+C copies.
// Not a panel (StreamPanel adds the legend and the toolbar); reads the SessionContext, never writes
// the session.
#pragma once

#include <QAbstractScrollArea>
#include <QElapsedTimer>
#include <cstdint>
#include <vector>

#include "core/session/stream_items.h"
#include "ui/stream_painter.h"
#include "ui/studio/session_context.h"

namespace z2z::ui {

enum class ColorMode { Kind = 0, IdHue = 1, Position = 2, Probability = 3 };
QString color_mode_name(ColorMode m);

class StreamView : public QAbstractScrollArea {
  Q_OBJECT
 public:
  static constexpr int kBlockItems = 256;

  explicit StreamView(SessionContext* ctx, QWidget* parent = nullptr);

  void set_color_mode(ColorMode m);
  ColorMode color_mode() const { return mode_; }
  void set_visible_whitespace(bool on);
  bool visible_whitespace() const { return whitespace_; }
  void set_font_point_size(qreal pt);
  void set_background(QColor c);
  // Opacity of the items after the cursor (ghosted): 0.22 by default, higher in high contrast.
  void set_ghost_opacity(qreal o);
  qreal ghost_opacity() const { return ghost_opacity_; }

  // Hit testing in viewport coordinates (-1: none). Lays out the blocks it needs.
  std::int64_t item_at(QPoint viewport_pos);
  // The first chip box of an item in content coordinates (empty if none).
  QRectF item_rect(std::int64_t item);
  void scroll_to_item(std::int64_t item);
  qreal content_height() const;
  int blocks() const { return static_cast<int>(blocks_.size()); }
  int laid_blocks() const;
  const StreamStyle& style() const { return style_; }
  // Frame time statistics of paintEvent (ms), for the benchmark.
  const std::vector<double>& frame_times() const { return frame_ms_; }
  void clear_frame_times() { frame_ms_.clear(); }

  void copy_selected(int what);  // 0 text, 1 ids, 2 JSON

 Q_SIGNALS:
  void itemActivated(qint64 item);  // Enter or double click: show in the Inspector

 protected:
  void paintEvent(QPaintEvent*) override;
  void resizeEvent(QResizeEvent*) override;
  void mousePressEvent(QMouseEvent*) override;
  void mouseDoubleClickEvent(QMouseEvent*) override;
  void keyPressEvent(QKeyEvent*) override;
  bool event(QEvent*) override;
  bool viewportEvent(QEvent*) override;
  void contextMenuEvent(QContextMenuEvent*) override;

 private:
  struct Block {
    std::int64_t first = 0;
    std::vector<session::StreamItem> items;
    StreamLayout layout;
    bool laid = false, closed = false;
    qreal y = 0, h = 0, est = -1;
  };
  void rebuild();
  void append_new();
  void add_item(session::StreamItem&& it);
  void relayout_positions();
  void ensure_laid(Block& b);
  qreal estimate(Block& b) const;
  int block_of_item(std::int64_t item) const;
  int block_at_y(qreal y) const;
  void update_scroll_range();
  void paint_item_box(QPainter& p, const ChipBox& box, const session::StreamItem& it, std::int64_t item, bool alt);
  QColor mode_fill(const session::StreamItem& it, std::int64_t item) const;
  qreal width_for_layout() const;

  SessionContext* ctx_;
  StreamStyle style_;
  ColorMode mode_ = ColorMode::Kind;
  bool whitespace_ = false;
  QColor background_;
  qreal ghost_opacity_ = 0.22;
  std::vector<Block> blocks_;
  std::vector<std::uint8_t> alt_;  // per item: base-chip alternation parity
  std::int64_t items_ = 0;
  std::int64_t prompt_done_ = 0;  // prompt items added
  std::int64_t steps_done_ = 0;   // step items added
  qreal laid_width_ = -1;
  std::vector<double> frame_ms_;
  static constexpr qreal kMargin = 8;
};

}  // namespace z2z::ui
