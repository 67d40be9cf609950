// Pre-tokenizer stage (HF tokenizers `pre_tokenizers/`): cuts every not-yet-tokenized Split into
// smaller Splits (the "words" the model sees). Empty splits are dropped. Added-token splits pass
// through untouched. pre_tokenizer_from_json() (registry.cpp) picks the component by "type".
// Also here: SplitDelimiterBehavior and the shared "cut along matches" helper used by Split, Digits,
// Whitespace and ByteLevel.
#pragma once

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "core/tokenizer/json_util.h"
#include "core/tokenizer/normalized_string.h"

namespace z2z::tok {

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  virtual void pre_tokenize(std::vector<Split>& splits) const = 0;
};
using PreTokenizerPtr = std::unique_ptr<const PreTokenizer>;

// Registry: {"type": "Sequence" | "Split" | "ByteLevel" | "Metaspace" | "Digits" | "Whitespace" |
// "WhitespaceSplit"}; anything else throws `<path>.type: unsupported "Foo"`.
PreTokenizerPtr pre_tokenizer_from_json(const JsonRef& node);

PreTokenizerPtr sequence_pre_tokenizer_from_json(const JsonRef& node);
PreTokenizerPtr split_from_json(const JsonRef& node);
PreTokenizerPtr byte_level_pre_tokenizer_from_json(const JsonRef& node);
PreTokenizerPtr metaspace_pre_tokenizer_from_json(const JsonRef& node);
PreTokenizerPtr digits_from_json(const JsonRef& node);
PreTokenizerPtr whitespace_from_json(const JsonRef& node);
PreTokenizerPtr whitespace_split_from_json(const JsonRef& node);

enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };
SplitBehavior split_behavior_from_json(const JsonRef& node, std::string_view key);

// A cover of a text by consecutive pieces [begin, end), each flagged as a pattern match or not.
struct MatchPiece {
  std::size_t begin, end;
  bool is_match;
};
// Build the cover from the sorted, non-overlapping matches of a pattern (HF Pattern::find_matches).
void cover_from_matches(std::size_t size, const std::vector<std::pair<std::size_t, std::size_t>>& matches, bool invert,
                        std::vector<MatchPiece>& cover);
// Cut `split` along `cover` with `behavior` (HF NormalizedString::split) and append the non-empty parts.
void cut_split(Split&& split, const std::vector<MatchPiece>& cover, SplitBehavior behavior, std::vector<Split>& out);

// Apply `f(Split&&, std::vector<Split>& out)` to every split that has no token yet; keep the others.
template <typename F>
void split_each(std::vector<Split>& splits, F&& f) {
  std::vector<Split> out;
  out.reserve(splits.size() * 2 + 8);
  for (Split& s : splits) {
    if (s.added_id >= 0) {
      out.push_back(std::move(s));
      continue;
    }
    const std::size_t before = out.size();
    f(std::move(s), out);
    // drop empty pieces produced by f
    std::size_t w = before;
    for (std::size_t r = before; r < out.size(); ++r)
      if (!out[r].text.empty()) {
        if (w != r) out[w] = std::move(out[r]);
        ++w;
      }
    out.resize(w);
  }
  splits = std::move(out);
}

}  // namespace z2z::tok
