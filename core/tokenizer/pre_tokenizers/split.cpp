// Split pre-tokenizer: cut along the matches of a String or Regex pattern (PCRE2), with a split
// behaviour (Removed, Isolated, MergedWithPrevious/Next, Contiguous) and optional inversion
// (invert=true flags the non-matches as the delimiters, e.g. o200k's "Removed + invert" keeps matches).
#include <utility>

#include "core/tokenizer/pattern.h"
#include "core/tokenizer/pre_tokenizers/pre_tokenizer.h"

namespace z2z::tok {
namespace {

class SplitPre final : public PreTokenizer {
 public:
  SplitPre(Pattern p, SplitBehavior b, bool invert) : pattern_(std::move(p)), behavior_(b), invert_(invert) {}

  void pre_tokenize(std::vector<Split>& splits) const override {
    std::vector<std::pair<std::size_t, std::size_t>> matches;
    std::vector<MatchPiece> cover;
    split_each(splits, [&](Split&& s, std::vector<Split>& out) {
      materialize_byte_level(s);
      matches.clear();
      pattern_.find_all(s.text.text(), matches);
      cover_from_matches(s.text.size(), matches, invert_, cover);
      cut_split(std::move(s), cover, behavior_, out);
    });
  }

 private:
  Pattern pattern_;
  SplitBehavior behavior_;
  bool invert_;
};

}  // namespace

PreTokenizerPtr split_from_json(const JsonRef& node) {
  return std::make_unique<SplitPre>(Pattern::from_json(node.at("pattern")), split_behavior_from_json(node, "behavior"),
                                    node.boolean_or("invert", false));
}

}  // namespace z2z::tok
