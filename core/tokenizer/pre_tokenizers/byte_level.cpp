// ByteLevel pre-tokenizer: optional prefix space, optional GPT-2 regex split, then every byte is read
// through the byte-level alphabet ('Ġ' for a space...). The alphabet is applied lazily: the split is
// flagged byte_level and keeps its raw bytes, so the BPE model can work on bytes directly; a later
// stage that needs the characters calls materialize_byte_level(). Not the ByteLevel decoder or
// post-processor (decoders/byte_level.cpp, processors/byte_level.cpp).
#include <optional>

#include "core/tokenizer/pre_tokenizers/pre_tokenizer.h"
#include "core/tokenizer/regex.h"

namespace z2z::tok {
namespace {

const char* kGpt2Pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

class ByteLevel final : public PreTokenizer {
 public:
  ByteLevel(bool add_prefix_space, bool use_regex, const std::string& where) : add_prefix_space_(add_prefix_space) {
    if (use_regex) regex_.emplace(kGpt2Pattern, where);
  }

  void pre_tokenize(std::vector<Split>& splits) const override {
    if (!regex_ && !add_prefix_space_) {  // only the alphabet: flag the splits in place
      for (Split& s : splits) {
        if (s.added_id >= 0) continue;
        materialize_byte_level(s);
        s.byte_level = true;
      }
      return;
    }
    std::vector<std::pair<std::size_t, std::size_t>> matches;
    std::vector<MatchPiece> cover;
    split_each(splits, [&](Split&& s, std::vector<Split>& out) {
      materialize_byte_level(s);  // applying ByteLevel twice maps the alphabet twice, like HF
      if (add_prefix_space_ && (s.text.empty() || s.text.text()[0] != ' ')) {
        NormalizedString::Builder b(s.text);
        b.emit(" ", 0, 0);
        b.copy(0, s.text.size());
        s.text = b.finish();
      }
      const std::size_t first = out.size();
      if (regex_) {
        matches.clear();
        regex_->find_all(s.text.text(), matches);
        cover_from_matches(s.text.size(), matches, false, cover);
        cut_split(std::move(s), cover, SplitBehavior::Isolated, out);
      } else {
        out.push_back(std::move(s));
      }
      for (std::size_t i = first; i < out.size(); ++i) out[i].byte_level = true;
    });
  }

 private:
  bool add_prefix_space_;
  std::optional<Regex> regex_;
};

}  // namespace

PreTokenizerPtr byte_level_pre_tokenizer_from_json(const JsonRef& node) {
  return std::make_unique<ByteLevel>(node.boolean_or("add_prefix_space", true), node.boolean_or("use_regex", true),
                                     node.path_of("use_regex"));
}

}  // namespace z2z::tok
