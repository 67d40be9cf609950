// Token — one id of an encoding with the byte span [begin, end) of the input text it stands for.
// Not the display form: see display.h for text shown to people.
#pragma once

#include <cstdint>

namespace z2z::tok {

struct Token {
  std::int32_t id = 0;
  std::uint32_t begin = 0, end = 0;  // bytes of the input text; empty for inserted tokens (BOS...)
  bool operator==(const Token&) const = default;
};

}  // namespace z2z::tok
