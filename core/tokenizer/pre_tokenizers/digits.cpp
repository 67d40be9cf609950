// Digits pre-tokenizer: isolates numeric characters (Nd, Nl, No), one by one with
// individual_digits=true, else as contiguous runs.
#include "core/tokenizer/pre_tokenizers/pre_tokenizer.h"
#include "core/tokenizer/unicode.h"

namespace z2z::tok {
namespace {

class Digits final : public PreTokenizer {
 public:
  explicit Digits(bool individual) : individual_(individual) {}
  void pre_tokenize(std::vector<Split>& splits) const override {
    std::vector<std::pair<std::size_t, std::size_t>> matches;
    std::vector<MatchPiece> cover;
    split_each(splits, [&](Split&& s, std::vector<Split>& out) {
      materialize_byte_level(s);
      const std::string& t = s.text.text();
      matches.clear();
      for (std::size_t i = 0; i < t.size();) {
        std::uint32_t cp;
        const auto len = static_cast<std::size_t>(utf8_decode(t.data(), t.size(), i, cp));
        if (is_numeric(cp)) matches.emplace_back(i, i + len);
        i += len;
      }
      cover_from_matches(t.size(), matches, false, cover);
      cut_split(std::move(s), cover, individual_ ? SplitBehavior::Isolated : SplitBehavior::Contiguous, out);
    });
  }

 private:
  bool individual_;
};

}  // namespace

PreTokenizerPtr digits_from_json(const JsonRef& node) {
  return std::make_unique<Digits>(node.boolean_or("individual_digits", false));
}

}  // namespace z2z::tok
