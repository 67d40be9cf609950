// The shared colour scheme (values).
#include "core/session/palette.h"

#include <fmt/format.h>

namespace z2z::session {

std::string Rgb::hex() const { return fmt::format("#{:02x}{:02x}{:02x}", r, g, b); }

ChipKind chip_kind(bool is_hyper, bool special, std::size_t base_len) {
  if (special) return ChipKind::Special;
  if (!is_hyper || base_len < 2) return ChipKind::Base;
  return base_len == 2 ? ChipKind::Hyper2 : base_len == 3 ? ChipKind::Hyper3 : ChipKind::Hyper4;
}

const KindStyle& style_of(ChipKind kind) {
  static const KindStyle kStyles[] = {
      {"base", "base token", {0xEE, 0xF0, 0xF3}, {0xC9, 0xCE, 0xD6}, {0x1F, 0x23, 0x28}, {0xD0, 0xD0, 0xD0}},
      {"hyper-2", "hypertoken of 2", {0xC4, 0xE3, 0xF6}, {0x00, 0x72, 0xB2}, {0x06, 0x2A, 0x45}, {0x56, 0xB4, 0xE9}},
      {"hyper-3", "hypertoken of 3", {0xFA, 0xDD, 0xA6}, {0xB8, 0x7A, 0x00}, {0x3D, 0x2A, 0x00}, {0xE6, 0x9F, 0x00}},
      {"hyper-4", "hypertoken of 4+", {0xF1, 0xC9, 0xE0}, {0xA3, 0x45, 0x7C}, {0x3D, 0x0F, 0x2A}, {0xCC, 0x79, 0xA7}},
      {"special", "special token", {0xFF, 0xFF, 0xFF}, {0x9A, 0x9A, 0x9A}, {0x55, 0x55, 0x55}, {0x80, 0x80, 0x80}},
  };
  return kStyles[static_cast<int>(kind)];
}

Rgb base_alt_fill() { return {0xE1, 0xE5, 0xEA}; }
Rgb base_alt_term() { return {0x9A, 0xA8, 0xB8}; }

}  // namespace z2z::session
