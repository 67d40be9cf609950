// JsonCursor — a strict, allocation-free pull reader over JSON text, for readers that know the
// document's structure (the session fast path, session_fast_reader.cpp). The caller asks for what
// it expects next ("the key \"step\"", "an integer in [0, 2^31)", "a string"); anything else —
// different structure, invalid JSON, a value out of range — throws JsonCursor::Miss, which carries
// no message: the caller then falls back to a general reader that explains the problem.
// It accepts a subset of what nlohmann::json::parse accepts, and every value it returns equals the
// one nlohmann would give (same double rounding, strings decoded and UTF-8 checked the same way).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace z2z::session {

class JsonCursor {
 public:
  struct Miss {};

  explicit JsonCursor(std::string_view text) : p_(text.data()), begin_(text.data()), end_(text.data() + text.size()) {}

  std::size_t offset() const { return static_cast<std::size_t>(p_ - begin_); }

  // Structural characters (whitespace before them is skipped).
  void expect(char c) {
    if (!try_char(c)) throw Miss{};
  }
  bool try_char(char c) {
    skip_ws();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  // `"key":` with exactly these bytes (an escaped spelling of the same key is a Miss).
  void expect_key(std::string_view key) {
    if (!try_key(key)) throw Miss{};
  }
  bool try_key(std::string_view key);
  // After the top-level value: only whitespace may follow.
  void expect_end() {
    skip_ws();
    if (p_ != end_) throw Miss{};
  }

  // Values.
  bool try_null();
  bool boolean();
  std::int64_t integer(std::int64_t lo, std::int64_t hi);  // an integer literal in [lo, hi]
  std::uint64_t unsigned_integer();                        // a non-negative integer literal (up to 2^64 - 1)
  double number();                                         // any number, as nlohmann's get<double>()
  void string(std::string& out);                           // replaces `out` with the decoded string

 private:
  void skip_ws() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  struct Literal {  // a number literal
    const char* begin;
    const char* end;
    bool negative, integral;
    bool fits;                // integral and its magnitude fits in 64 bits (else nlohmann reads a double)
    std::uint64_t magnitude;  // of the integer part
  };
  Literal scan_number();
  void escape(std::string& out);
  void utf8_sequence(std::string& out);
  unsigned hex4();

  const char* p_;
  const char* begin_;
  const char* end_;
};

}  // namespace z2z::session
