// StreamPanel — the "Token stream" dock: a counts header (prompt / generated codes, base tokens,
// rate, time, tokens/s; kept after generation ends), the colour-mode menu and whitespace toggle, the
// virtualized StreamView and a legend strip for the current colour mode.
// Not the painter (ui/stream_painter.h) and not the view logic (ui/widgets/stream_view.h).
#pragma once

#include <QWidget>

#include "ui/widgets/stream_view.h"

class QLabel;
class QComboBox;
class QCheckBox;

namespace z2z::ui {

class LegendStrip;

class StreamPanel : public QWidget {
  Q_OBJECT
 public:
  explicit StreamPanel(SessionContext* ctx, QWidget* parent = nullptr);
  StreamView* view() const { return view_; }
  void set_color_mode(ColorMode m);
  void set_visible_whitespace(bool on);

 private:
  void update_header();
  SessionContext* ctx_;
  QLabel* header_;
  QComboBox* mode_;
  QCheckBox* whitespace_;
  StreamView* view_;
  LegendStrip* legend_;
};

}  // namespace z2z::ui
