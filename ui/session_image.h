// Pictures of a session at step t for talks and papers: a header (run, settings, key numbers), the
// legend, the prompt and the whole generated stream wrapped to a width (not just a visible window),
// painted by stream_painter (the GUI's painting code) onto a PNG (QImage, HiDPI via scale) or an SVG
// (QSvgGenerator). Needs a QGuiApplication (offscreen.h). Throws z2z::Error on I/O failure or a PNG
// taller than the limit (SVG has none).
#pragma once

#include <QPainter>
#include <QSizeF>
#include <cstdint>
#include <string>

#include "core/session/session.h"

namespace z2z::ui {

struct ImageOptions {
  int width = 1200;    // logical pixels
  double scale = 1.0;  // device pixels per logical pixel (2 = HiDPI)
  bool visible_whitespace = false;
  int max_png_pixels_tall = 32000;  // device pixels
};

// Paint the picture at (0, 0) and return its logical size (painter == nullptr: measure only).
QSizeF paint_session(QPainter* painter, const session::Session& s, std::int64_t t, const ImageOptions& o);
void export_png(const session::Session& s, std::int64_t t, const ImageOptions& o, const std::string& path);
void export_svg(const session::Session& s, std::int64_t t, const ImageOptions& o, const std::string& path);

}  // namespace z2z::ui
