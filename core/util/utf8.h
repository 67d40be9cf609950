// utf8 — the two UTF-8 primitives every text reader here needs: append a code point, and measure one
// well-formed sequence (RFC 3629: no overlongs, no surrogates, <= U+10FFFF). Used by the tokenizer's
// validation/repair (core/tokenizer/unicode.h) and the session JSON reader (core/session/json_cursor).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace z2z::utf8 {

// Appends the UTF-8 encoding of `cp` (cp <= U+10FFFF; surrogates are the caller's business).
void append(std::string& out, std::uint32_t cp);

// Length (1..4) of the well-formed sequence at s[i] (i < n), or 0 if it is ill-formed; then
// `bad_len` (>= 1) is the length of its maximal ill-formed subpart, the bytes one U+FFFD replaces.
std::size_t sequence_length(const unsigned char* s, std::size_t n, std::size_t i, std::size_t& bad_len);
// The same on a string (i < s.size()), without the ill-formed length.
inline std::size_t sequence_length(std::string_view s, std::size_t i) {
  std::size_t bad_len = 0;
  return sequence_length(reinterpret_cast<const unsigned char*>(s.data()), s.size(), i, bad_len);
}

}  // namespace z2z::utf8
