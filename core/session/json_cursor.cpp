// JsonCursor: JSON literals, numbers and strings with nlohmann::json's rules (RFC 8259, strict UTF-8).
#include "core/session/json_cursor.h"

#include <charconv>
#include <cstring>
#include <limits>

#include "core/util/utf8.h"

namespace z2z::session {

namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

bool JsonCursor::try_key(std::string_view key) {
  skip_ws();
  const std::size_t n = key.size();
  if (static_cast<std::size_t>(end_ - p_) < n + 2 || p_[0] != '"' || p_[n + 1] != '"' ||
      std::memcmp(p_ + 1, key.data(), n) != 0)
    return false;
  p_ += n + 2;
  expect(':');
  return true;
}

bool JsonCursor::try_null() {
  skip_ws();
  if (end_ - p_ < 4 || std::memcmp(p_, "null", 4) != 0) return false;
  p_ += 4;
  return true;
}

bool JsonCursor::boolean() {
  skip_ws();
  if (end_ - p_ >= 4 && std::memcmp(p_, "true", 4) == 0) {
    p_ += 4;
    return true;
  }
  if (end_ - p_ >= 5 && std::memcmp(p_, "false", 5) == 0) {
    p_ += 5;
    return false;
  }
  throw Miss{};
}

// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?  (a following character is left to the caller: it
// must be structural, so "01" or "1x" fail at the next expect()).
JsonCursor::Literal JsonCursor::scan_number() {
  skip_ws();
  Literal lit{p_, p_, false, true, true, 0};
  const char* q = p_;
  if (q != end_ && *q == '-') ++q, lit.negative = true;
  if (q == end_ || !is_digit(*q)) throw Miss{};
  if (*q == '0') {
    ++q;
  } else {
    for (; q != end_ && is_digit(*q); ++q) {
      const auto d = static_cast<std::uint64_t>(*q - '0');
      if (lit.magnitude > (std::numeric_limits<std::uint64_t>::max() - d) / 10) lit.fits = false;
      lit.magnitude = lit.magnitude * 10 + d;
    }
  }
  if (q != end_ && *q == '.') {
    lit.integral = false;
    ++q;
    if (q == end_ || !is_digit(*q)) throw Miss{};
    while (q != end_ && is_digit(*q)) ++q;
  }
  if (q != end_ && (*q == 'e' || *q == 'E')) {
    lit.integral = false;
    ++q;
    if (q != end_ && (*q == '+' || *q == '-')) ++q;
    if (q == end_ || !is_digit(*q)) throw Miss{};
    while (q != end_ && is_digit(*q)) ++q;
  }
  lit.end = q;
  lit.fits = lit.fits && lit.integral;
  p_ = q;
  return lit;
}

std::int64_t JsonCursor::integer(std::int64_t lo, std::int64_t hi) {
  const Literal lit = scan_number();
  if (!lit.fits) throw Miss{};
  const std::uint64_t m = lit.magnitude;
  constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  std::int64_t v;
  if (lit.negative) {
    if (m > max + 1) throw Miss{};
    v = m == max + 1 ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(m);
  } else {
    if (m > max) throw Miss{};
    v = static_cast<std::int64_t>(m);
  }
  if (v < lo || v > hi) throw Miss{};
  return v;
}

std::uint64_t JsonCursor::unsigned_integer() {
  const Literal lit = scan_number();
  if (!lit.fits || (lit.negative && lit.magnitude != 0)) throw Miss{};
  return lit.magnitude;
}

double JsonCursor::number() {
  const Literal lit = scan_number();
  const std::uint64_t m = lit.magnitude;
  // Integers are read as int64/uint64 and converted, as nlohmann does (so "-0" is +0.0).
  if (lit.fits) {
    if (!lit.negative) return static_cast<double>(m);
    if (m <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return -static_cast<double>(static_cast<std::int64_t>(m));
    if (m == static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1)
      return static_cast<double>(std::numeric_limits<std::int64_t>::min());
  }
  double v;
  const auto r = std::from_chars(lit.begin, lit.end, v);      // correctly rounded, like strtod
  if (r.ec != std::errc() || r.ptr != lit.end) throw Miss{};  // overflow (a parse error in nlohmann) or underflow
  return v;
}

void JsonCursor::string(std::string& out) {
  out.clear();
  skip_ws();
  if (p_ == end_ || *p_ != '"') throw Miss{};
  ++p_;
  for (;;) {
    const char* run = p_;  // plain printable ASCII, copied in one piece
    while (p_ != end_ && static_cast<unsigned char>(*p_) >= 0x20 && static_cast<unsigned char>(*p_) < 0x80 &&
           *p_ != '"' && *p_ != '\\')
      ++p_;
    out.append(run, static_cast<std::size_t>(p_ - run));
    if (p_ == end_) throw Miss{};
    const auto c = static_cast<unsigned char>(*p_);
    if (c == '"') {
      ++p_;
      return;
    }
    if (c == '\\') {
      escape(out);
    } else if (c < 0x20) {
      throw Miss{};  // control characters must be escaped
    } else {
      utf8_sequence(out);
    }
  }
}

unsigned JsonCursor::hex4() {
  if (end_ - p_ < 4) throw Miss{};
  unsigned v = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = *p_++;
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= static_cast<unsigned>(c - 'A' + 10);
    else
      throw Miss{};
  }
  return v;
}

// One escape sequence at p_ ('\\'); \uD800-\uDBFF must be followed by a \uDC00-\uDFFF escape.
void JsonCursor::escape(std::string& out) {
  ++p_;
  if (p_ == end_) throw Miss{};
  switch (*p_++) {
    case '"':
      out += '"';
      return;
    case '\\':
      out += '\\';
      return;
    case '/':
      out += '/';
      return;
    case 'b':
      out += '\b';
      return;
    case 'f':
      out += '\f';
      return;
    case 'n':
      out += '\n';
      return;
    case 'r':
      out += '\r';
      return;
    case 't':
      out += '\t';
      return;
    case 'u':
      break;
    default:
      throw Miss{};
  }
  std::uint32_t cp = hex4();
  if (cp >= 0xDC00 && cp <= 0xDFFF) throw Miss{};
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') throw Miss{};
    p_ += 2;
    const std::uint32_t lo = hex4();
    if (lo < 0xDC00 || lo > 0xDFFF) throw Miss{};
    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
  }
  utf8::append(out, cp);
}

// One well-formed UTF-8 sequence at p_ (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
void JsonCursor::utf8_sequence(std::string& out) {
  std::size_t bad = 0;
  const std::size_t n =
      utf8::sequence_length(reinterpret_cast<const unsigned char*>(p_), static_cast<std::size_t>(end_ - p_), 0, bad);
  if (n == 0) throw Miss{};
  out.append(p_, n);
  p_ += n;
}

}  // namespace z2z::session
