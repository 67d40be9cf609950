// UTF-8 and Unicode-property helpers for the tokenizer pipeline (code points, categories via utf8proc,
// the GPT-2 byte-level alphabet, and invalid-UTF-8 repair).
// Not a general Unicode library: only what the normalizers, pre-tokenizers and the display helpers need.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/utf8.h"

namespace z2z::tok {

// Length of the UTF-8 sequence that starts with `lead` (1 for continuation/invalid bytes).
inline int utf8_len(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// Decode one code point of valid UTF-8 at s[i] (caller guarantees validity); returns its length.
inline int utf8_decode(const char* s, std::size_t n, std::size_t i, std::uint32_t& cp) {
  const auto* p = reinterpret_cast<const unsigned char*>(s) + i;
  const int len = utf8_len(p[0]);
  if (len == 1 || i + static_cast<std::size_t>(len) > n) {
    cp = p[0];
    return 1;
  }
  if (len == 2)
    cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
  else if (len == 3)
    cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  else
    cp = ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
  return len;
}

inline void utf8_append(std::string& out, std::uint32_t cp) { utf8::append(out, cp); }
std::string utf8_encode(std::uint32_t cp);

// Offset of the first byte that is not part of well-formed UTF-8, or npos when `s` is valid.
std::size_t utf8_first_invalid(std::string_view s);

// Replace every ill-formed subsequence with U+FFFD (the same maximal-subpart rule as Rust's
// String::from_utf8_lossy). `to_input` receives, for each output byte plus one end sentinel, the
// input offset it comes from (so spans can be mapped back to the caller's bytes).
std::string utf8_repair(std::string_view s, std::vector<std::uint32_t>* to_input = nullptr);

// Number of code points in valid UTF-8.
std::size_t utf8_count(std::string_view s);

// Unicode properties (utf8proc, Unicode 15).
bool is_white_space(std::uint32_t cp);  // the White_Space property (Rust char::is_whitespace, regex \s)
bool is_word_char(std::uint32_t cp);    // regex \w: letters, marks, decimal/letter numbers, connector punct.
bool is_numeric(std::uint32_t cp);      // Rust char::is_numeric: Nd, Nl, No
bool is_punctuation(std::uint32_t cp);  // P*
int combining_class(std::uint32_t cp);
bool is_mark(std::uint32_t cp);  // Mn, Mc, Me
// Full lowercase mapping of one code point appended to `out` (İ -> "i̇", otherwise the simple mapping).
void append_lowercase(std::string& out, std::uint32_t cp);

// The GPT-2 byte-level alphabet: each byte maps to one printable code point ('Ġ' for 0x20, 'Ċ' for 0x0A...).
std::uint32_t byte_to_char(unsigned char b);
const std::string& byte_to_utf8(unsigned char b);  // the same, UTF-8 encoded
int char_to_byte(std::uint32_t cp);                // inverse, -1 when cp is not in the alphabet
// Decode a whole byte-level string to raw bytes; false when a character is outside the alphabet.
bool byte_level_decode(std::string_view s, std::string& out);

}  // namespace z2z::tok
