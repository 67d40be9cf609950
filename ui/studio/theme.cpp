// Studio themes: palettes, error colour, WCAG contrast.
#include "ui/studio/theme.h"

#include <QApplication>
#include <QStyle>
#include <cmath>

namespace z2z::ui {

QPalette theme_palette(Theme t) {
  QPalette p;
  if (t == Theme::Dark) {
    p.setColor(QPalette::Window, QColor(37, 37, 40));
    p.setColor(QPalette::WindowText, QColor(225, 225, 225));
    p.setColor(QPalette::Base, QColor(27, 27, 30));
    p.setColor(QPalette::AlternateBase, QColor(44, 44, 48));
    p.setColor(QPalette::ToolTipBase, QColor(50, 50, 55));
    p.setColor(QPalette::ToolTipText, QColor(235, 235, 235));
    p.setColor(QPalette::Text, QColor(225, 225, 225));
    p.setColor(QPalette::Button, QColor(48, 48, 52));
    p.setColor(QPalette::ButtonText, QColor(225, 225, 225));
    p.setColor(QPalette::Highlight, QColor(86, 156, 214));
    p.setColor(QPalette::HighlightedText, Qt::black);
    p.setColor(QPalette::Mid, QColor(70, 70, 75));
    p.setColor(QPalette::PlaceholderText, QColor(140, 140, 140));
    p.setColor(QPalette::Link, QColor(100, 170, 240));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(110, 110, 110));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(110, 110, 110));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(110, 110, 110));
  } else if (t == Theme::HighContrast) {
    // White on black, yellow selection; every text role >= 7:1 against its background (WCAG AAA).
    const QColor white(Qt::white), black(Qt::black), grey(170, 170, 170);
    for (auto r : {QPalette::Window, QPalette::Base, QPalette::Button, QPalette::ToolTipBase, QPalette::Shadow})
      p.setColor(r, black);
    for (auto r : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::ToolTipText,
                   QPalette::BrightText, QPalette::Light})
      p.setColor(r, white);
    p.setColor(QPalette::AlternateBase, QColor(28, 28, 28));
    p.setColor(QPalette::Highlight, QColor(255, 255, 0));
    p.setColor(QPalette::HighlightedText, black);
    p.setColor(QPalette::Midlight, QColor(200, 200, 200));
    p.setColor(QPalette::Mid, QColor(160, 160, 160));
    p.setColor(QPalette::Dark, grey);
    p.setColor(QPalette::PlaceholderText, QColor(200, 200, 200));
    p.setColor(QPalette::Link, QColor(0, 255, 255));
    p.setColor(QPalette::LinkVisited, QColor(255, 140, 255));
    for (auto r : {QPalette::Text, QPalette::WindowText, QPalette::ButtonText})
      p.setColor(QPalette::Disabled, r, QColor(150, 150, 150));  // still >= 7:1 on black
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(120, 120, 0));
  } else {
    p = QApplication::style()->standardPalette();
    p.setColor(QPalette::Mid, QColor(205, 205, 210));
  }
  return p;
}

double relative_luminance(const QColor& c) {
  auto lin = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
}

double contrast_ratio(const QColor& a, const QColor& b) {
  const double la = relative_luminance(a), lb = relative_luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor error_color(const QPalette& p) {
  return p.color(QPalette::Window).lightness() < 128 ? QColor(255, 138, 128) : QColor(176, 42, 30);
}

QString error_html(const QString& html) {
  return QString("<span style='color:%1'>%2</span>").arg(error_color(QApplication::palette()).name(), html);
}

}  // namespace z2z::ui
