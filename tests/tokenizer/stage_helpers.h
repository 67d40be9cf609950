// Test helpers for the per-stage unit tests: build one component from a hand-written JSON snippet,
// run it on a string, and read back pieces with their input spans.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/tokenizer/json_util.h"
#include "core/tokenizer/normalized_string.h"
#include "core/tokenizer/unicode.h"

namespace z2z::test {

struct Piece {
  std::string text;
  std::uint32_t begin, end;
  bool operator==(const Piece&) const = default;
};

inline std::ostream& operator<<(std::ostream& os, const Piece& p) {
  return os << "{\"" << p.text << "\", " << p.begin << ", " << p.end << "}";
}

inline Piece piece_of(const tok::Split& s) {
  tok::Split copy = s;
  tok::materialize_byte_level(copy);
  const auto span = copy.text.input_span(0, copy.text.size());
  return {copy.text.text(), span.first, span.second};
}

inline std::vector<Piece> pieces_of(const std::vector<tok::Split>& splits) {
  std::vector<Piece> out;
  for (const auto& s : splits) out.push_back(piece_of(s));
  return out;
}

// One split holding `text` at input offset 0.
inline std::vector<tok::Split> one_split(const std::string& text) {
  std::vector<tok::Split> v(1);
  v[0].text = tok::NormalizedString(text, 0);
  return v;
}

}  // namespace z2z::test
