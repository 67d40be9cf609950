// Studio themes: the palettes of the light, dark and high-contrast themes (Fusion style), the colour
// of error text readable on a palette's window, and the WCAG 2 contrast ratio used to check them
// (tests/studio: the high-contrast palette's text/background pairs are >= 7:1, WCAG AAA).
// Not the chip colours (core/session/palette.h, shared with every exporter).
#pragma once

#include <QColor>
#include <QPalette>

namespace z2z::ui {

enum class Theme { System, Light, Dark, HighContrast };

// The palette of an effective theme (System resolves to Light or Dark before this is called).
QPalette theme_palette(Theme t);
// WCAG 2 relative luminance of an sRGB colour and the contrast ratio of two colours (1..21).
double relative_luminance(const QColor& c);
double contrast_ratio(const QColor& a, const QColor& b);
// Error text on the palette's window: dark red on light windows, light red on dark ones.
QColor error_color(const QPalette& p);
// A "<span style='color:…'>" around `html` in error_color(QApplication palette).
QString error_html(const QString& html);

}  // namespace z2z::ui
