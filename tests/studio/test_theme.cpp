// Themes: the high-contrast palette meets WCAG AAA (>= 7:1) for its text/background role pairs, error
// text is readable on every theme, and the token chips' text is readable on the chip fills.
#include <gtest/gtest.h>

#include "core/session/palette.h"
#include "studio/studio_app.h"
#include "ui/panels/stream_panel.h"
#include "ui/studio/main_window.h"
#include "ui/studio/theme.h"
#include "ui/widgets/stream_view.h"

using namespace z2z;
using namespace z2z::ui;

TEST(Theme, ContrastRatioMatchesWcag) {
  EXPECT_NEAR(contrast_ratio(Qt::black, Qt::white), 21.0, 1e-9);
  EXPECT_NEAR(contrast_ratio(Qt::white, Qt::white), 1.0, 1e-9);
  EXPECT_NEAR(contrast_ratio(QColor(118, 118, 118), Qt::white), 4.54, 0.01);  // the classic 4.5:1 grey
  EXPECT_NEAR(contrast_ratio(QColor(255, 255, 0), Qt::black), 19.56, 0.01);
}

TEST(Theme, HighContrastPaletteIsAtLeastSevenToOne) {
  test::studio_app();
  const QPalette p = theme_palette(Theme::HighContrast);
  struct Pair {
    QPalette::ColorRole fg, bg;
    const char* name;
  };
  const Pair pairs[] = {{QPalette::WindowText, QPalette::Window, "WindowText/Window"},
                        {QPalette::Text, QPalette::Base, "Text/Base"},
                        {QPalette::Text, QPalette::AlternateBase, "Text/AlternateBase"},
                        {QPalette::HighlightedText, QPalette::Highlight, "HighlightedText/Highlight"},
                        {QPalette::ButtonText, QPalette::Button, "ButtonText/Button"},
                        {QPalette::ToolTipText, QPalette::ToolTipBase, "ToolTipText/ToolTipBase"},
                        {QPalette::Link, QPalette::Base, "Link/Base"},
                        {QPalette::PlaceholderText, QPalette::Base, "PlaceholderText/Base"}};
  for (auto group : {QPalette::Active, QPalette::Inactive})
    for (const auto& pr : pairs)
      EXPECT_GE(contrast_ratio(p.color(group, pr.fg), p.color(group, pr.bg)), 7.0) << pr.name << " group " << group;
  // disabled text is still readable (AAA even if WCAG does not require it for inactive controls)
  EXPECT_GE(contrast_ratio(p.color(QPalette::Disabled, QPalette::Text), p.color(QPalette::Disabled, QPalette::Base)),
            7.0);
  EXPECT_GE(contrast_ratio(error_color(p), p.color(QPalette::Window)), 7.0);
  // the other themes: normal text at least AA
  for (Theme t : {Theme::Light, Theme::Dark}) {
    const QPalette q = theme_palette(t);
    EXPECT_GE(contrast_ratio(q.color(QPalette::WindowText), q.color(QPalette::Window)), 4.5) << int(t);
    EXPECT_GE(contrast_ratio(q.color(QPalette::Text), q.color(QPalette::Base)), 4.5) << int(t);
    EXPECT_GE(contrast_ratio(error_color(q), q.color(QPalette::Window)), 4.5) << int(t);
  }
}

TEST(Theme, ChipTextIsReadableOnChipFills) {
  auto q = [](session::Rgb c) { return QColor(c.r, c.g, c.b); };
  for (auto k : session::kAllKinds) {
    const auto& st = session::style_of(k);
    EXPECT_GE(contrast_ratio(q(st.text), q(st.fill)), 7.0) << st.name;
  }
  EXPECT_GE(contrast_ratio(q(session::style_of(session::ChipKind::Base).text), q(session::base_alt_fill())), 7.0);
}

TEST(Theme, HighContrastAppliesToTheWindow) {
  test::studio_app();
  StudioOptions o;
  o.restore_layout = false;
  MainWindow w(o);
  w.set_theme(Theme::HighContrast);
  EXPECT_EQ(QApplication::palette().color(QPalette::Window), QColor(Qt::black));
  EXPECT_GE(w.stream_panel()->view()->ghost_opacity(), 0.45);  // ghosted tokens stay legible
  w.set_theme(Theme::Light);
  EXPECT_LT(w.stream_panel()->view()->ghost_opacity(), 0.45);
}
