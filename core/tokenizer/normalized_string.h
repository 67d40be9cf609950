// NormalizedString — text being tokenized plus, for every byte, the span of the input it came from.
//
// A fresh string is an identity view of the input (no per-byte arrays: byte i comes from input byte
// origin + i). Normalizers and pre-tokenizers that change the text rebuild it with a Builder that
// records, for each produced byte, the input span [begin, end) it stands for; inserted text (a
// prepended "▁") gets an empty span at its position. Token byte spans come from input_span().
// Split is one piece of a pre-tokenized string: a NormalizedString, or an already-resolved added token.
// Not shared between threads: each encode call owns its strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace z2z::tok {

class NormalizedString {
 public:
  NormalizedString() = default;
  NormalizedString(std::string text, std::uint32_t origin)
      : text_(std::move(text)), origin_(origin), end_(origin + static_cast<std::uint32_t>(text_.size())) {}

  const std::string& text() const { return text_; }
  std::size_t size() const { return text_.size(); }
  bool empty() const { return text_.empty(); }
  bool identity() const { return begin_.empty(); }

  // Input span of normalized bytes [a, b). An empty range maps to an empty span at its position.
  std::pair<std::uint32_t, std::uint32_t> input_span(std::size_t a, std::size_t b) const {
    if (identity()) return {origin_ + static_cast<std::uint32_t>(a), origin_ + static_cast<std::uint32_t>(b)};
    if (a >= b) {
      const std::uint32_t p = a < begin_.size() ? begin_[a] : end_;
      return {p, p};
    }
    return {begin_[a], end_of(b - 1)};
  }
  std::uint32_t input_begin(std::size_t i) const {
    return identity() ? origin_ + static_cast<std::uint32_t>(i) : begin_[i];
  }
  std::uint32_t input_end(std::size_t i) const {
    return identity() ? origin_ + static_cast<std::uint32_t>(i) + 1 : end_of(i);
  }
  // Input offset where this string starts (its first byte, or its position when empty).
  std::uint32_t input_start() const { return identity() ? origin_ : (begin_.empty() ? end_ : begin_[0]); }
  std::uint32_t input_stop() const { return end_; }

  NormalizedString slice(std::size_t a, std::size_t b) const;

  // Rebuilds a NormalizedString from pieces of an old one and new text.
  class Builder {
   public:
    explicit Builder(const NormalizedString& from) : from_(from) {
      text_.reserve(from.size() + 16);
      begin_.reserve(from.size() + 16);
      ends_.reserve(from.size() + 16);
    }
    // Copy bytes [a, b) of the old string with their spans.
    void copy(std::size_t a, std::size_t b);
    // New bytes standing for old bytes [a, b) (a == b: inserted at a, empty span).
    void emit(std::string_view bytes, std::size_t a, std::size_t b);
    NormalizedString finish();

   private:
    const NormalizedString& from_;
    std::string text_;
    std::vector<std::uint32_t> begin_, ends_;
  };

 private:
  std::uint32_t end_of(std::size_t i) const { return ends_[i]; }

  std::string text_;
  std::vector<std::uint32_t> begin_, ends_;  // per byte, empty when identity
  std::uint32_t origin_ = 0;
  std::uint32_t end_ = 0;  // input offset just past this string
};

// One piece of a pre-tokenized string.
struct Split {
  NormalizedString text;
  std::int32_t added_id = -1;  // >= 0: an added token already resolved (span = text's input span)
  // The text holds raw bytes that the model must read through the byte-level alphabet (set by the
  // ByteLevel pre-tokenizer, which does not materialize 'Ġ'... unless a later stage needs the text).
  bool byte_level = false;
};

// Replace the raw bytes of a byte_level split by their byte-level characters (keeping spans).
void materialize_byte_level(Split& split);

}  // namespace z2z::tok
