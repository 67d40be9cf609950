// The colour and marker scheme every view shares (terminal, HTML, PNG/SVG, GUI), so they never
// disagree: token kind from (is hypertoken, special, length in base tokens), and per kind a chip fill,
// a border/underline colour, a text colour and a terminal foreground. Hypertoken colours are the
// Okabe-Ito colour-blind-safe blue / orange / reddish purple; colour is never the only cue (views
// also underline hypertokens and draw a thin separator at each internal base-token boundary).
// Data only: no rendering here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace z2z::session {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  std::string hex() const;  // "#rrggbb"
};

enum class ChipKind { Base, Hyper2, Hyper3, Hyper4, Special };

struct KindStyle {
  const char* name;   // "base", "hyper-2", "hyper-3", "hyper-4+", "special"
  const char* label;  // legend text
  Rgb fill, border, text;
  Rgb term;  // terminal foreground (readable on dark and light backgrounds)
};

ChipKind chip_kind(bool is_hyper, bool special, std::size_t base_len);
const KindStyle& style_of(ChipKind kind);
inline constexpr ChipKind kAllKinds[] = {ChipKind::Base, ChipKind::Hyper2, ChipKind::Hyper3, ChipKind::Hyper4,
                                         ChipKind::Special};
// Base chips alternate between style_of(Base).fill and this, so token boundaries show.
Rgb base_alt_fill();
Rgb base_alt_term();  // the terminal's alternating faint tint for base tokens
inline bool is_hyper_kind(ChipKind k) {
  return k == ChipKind::Hyper2 || k == ChipKind::Hyper3 || k == ChipKind::Hyper4;
}

}  // namespace z2z::session
