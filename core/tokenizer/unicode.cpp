// UTF-8 helpers, Unicode properties (through utf8proc) and the byte-level alphabet.
// Not a normalizer: NFC/NFD/NFKC/NFKD live in normalizers/unicode_forms.cpp.
#include "core/tokenizer/unicode.h"

#include <array>

#include <utf8proc.h>

#include "core/util/utf8.h"

namespace z2z::tok {

std::string utf8_encode(std::uint32_t cp) {
  std::string s;
  utf8_append(s, cp);
  return s;
}

std::size_t utf8_first_invalid(std::string_view sv) {
  const auto* s = reinterpret_cast<const unsigned char*>(sv.data());
  const std::size_t n = sv.size();
  std::size_t i = 0;
  while (i < n) {
    // ASCII fast path, 8 bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t w;
      __builtin_memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    std::size_t bad;
    const std::size_t len = utf8::sequence_length(s, n, i, bad);
    if (!len) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string utf8_repair(std::string_view sv, std::vector<std::uint32_t>* to_input) {
  const auto* s = reinterpret_cast<const unsigned char*>(sv.data());
  const std::size_t n = sv.size();
  std::string out;
  out.reserve(n + 8);
  if (to_input) to_input->clear();
  std::size_t i = 0;
  while (i < n) {
    std::size_t bad;
    const std::size_t len = utf8::sequence_length(s, n, i, bad);
    if (len) {
      out.append(sv.data() + i, len);
      if (to_input)
        for (std::size_t k = 0; k < len; ++k) to_input->push_back(static_cast<std::uint32_t>(i + k));
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      if (to_input)
        for (int k = 0; k < 3; ++k) to_input->push_back(static_cast<std::uint32_t>(i));
      i += bad;
    }
  }
  if (to_input) to_input->push_back(static_cast<std::uint32_t>(n));
  return out;
}

std::size_t utf8_count(std::string_view s) {
  std::size_t c = 0;
  for (unsigned char ch : s) c += (ch & 0xC0) != 0x80;
  return c;
}

namespace {
inline utf8proc_propval_t category(std::uint32_t cp) { return utf8proc_category(static_cast<utf8proc_int32_t>(cp)); }
}  // namespace

bool is_white_space(std::uint32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
  switch (cp) {
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

bool is_word_char(std::uint32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
  if (cp == 0x200C || cp == 0x200D) return true;  // Join_Control
  switch (category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_PC:
      return true;
    default:
      return false;
  }
}

bool is_numeric(std::uint32_t cp) {
  if (cp < 0x80) return cp >= '0' && cp <= '9';
  const auto c = category(cp);
  return c == UTF8PROC_CATEGORY_ND || c == UTF8PROC_CATEGORY_NL || c == UTF8PROC_CATEGORY_NO;
}

bool is_punctuation(std::uint32_t cp) {
  const auto c = category(cp);
  return c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO;
}

int combining_class(std::uint32_t cp) {
  return utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->combining_class;
}

bool is_mark(std::uint32_t cp) {
  const auto c = category(cp);
  return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

void append_lowercase(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
    return;
  }
  if (cp == 0x130) {  // İ: the only full (multi-char) lowercase mapping without context
    out.append("i\xCC\x87");
    return;
  }
  utf8_append(out, static_cast<std::uint32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp))));
}

namespace {

struct ByteLevelTables {
  std::array<std::uint32_t, 256> to_char{};
  std::array<std::string, 256> to_utf8{};
  std::array<std::int16_t, 324> from_char{};  // the alphabet lives below U+0144
  ByteLevelTables() {
    from_char.fill(-1);
    int n = 0;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      to_char[b] = printable ? static_cast<std::uint32_t>(b) : static_cast<std::uint32_t>(256 + n++);
    }
    for (int b = 0; b < 256; ++b) {
      to_utf8[b] = utf8_encode(to_char[b]);
      from_char[to_char[b]] = static_cast<std::int16_t>(b);
    }
  }
};

const ByteLevelTables& byte_tables() {
  static const ByteLevelTables t;
  return t;
}

}  // namespace

std::uint32_t byte_to_char(unsigned char b) { return byte_tables().to_char[b]; }
const std::string& byte_to_utf8(unsigned char b) { return byte_tables().to_utf8[b]; }
int char_to_byte(std::uint32_t cp) { return cp < 324 ? byte_tables().from_char[cp] : -1; }

bool byte_level_decode(std::string_view s, std::string& out) {
  out.clear();
  std::size_t i = 0;
  while (i < s.size()) {
    std::uint32_t cp;
    i += static_cast<std::size_t>(utf8_decode(s.data(), s.size(), i, cp));
    const int b = char_to_byte(cp);
    if (b < 0) return false;
    out.push_back(static_cast<char>(b));
  }
  return true;
}

}  // namespace z2z::tok
