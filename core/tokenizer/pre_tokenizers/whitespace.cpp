// Whitespace (keep runs of \w+ and of [^\w\s]+, drop whitespace) and WhitespaceSplit (cut on
// Unicode whitespace, drop it) pre-tokenizers.
#include "core/tokenizer/pre_tokenizers/pre_tokenizer.h"
#include "core/tokenizer/unicode.h"

namespace z2z::tok {
namespace {

// 0 = whitespace, 1 = word character, 2 = other
int char_class(std::uint32_t cp) { return is_white_space(cp) ? 0 : (is_word_char(cp) ? 1 : 2); }

class Whitespace final : public PreTokenizer {
 public:
  explicit Whitespace(bool split_only) : split_only_(split_only) {}
  void pre_tokenize(std::vector<Split>& splits) const override {
    std::vector<std::pair<std::size_t, std::size_t>> runs;
    std::vector<MatchPiece> cover;
    split_each(splits, [&](Split&& s, std::vector<Split>& out) {
      materialize_byte_level(s);
      const std::string& t = s.text.text();
      runs.clear();
      int run_class = -1;
      for (std::size_t i = 0; i < t.size();) {
        std::uint32_t cp;
        const auto len = static_cast<std::size_t>(utf8_decode(t.data(), t.size(), i, cp));
        int c = char_class(cp);
        if (split_only_ && c == 2) c = 1;  // WhitespaceSplit: everything but whitespace is one class
        if (c != 0 && c == run_class)
          runs.back().second = i + len;
        else if (c != 0)
          runs.emplace_back(i, i + len);
        run_class = c;
        i += len;
      }
      // The runs are the kept pieces: invert so that the gaps (whitespace) are removed.
      cover_from_matches(t.size(), runs, true, cover);
      cut_split(std::move(s), cover, SplitBehavior::Removed, out);
    });
  }

 private:
  bool split_only_;
};

}  // namespace

PreTokenizerPtr whitespace_from_json(const JsonRef&) { return std::make_unique<Whitespace>(false); }
PreTokenizerPtr whitespace_split_from_json(const JsonRef&) { return std::make_unique<Whitespace>(true); }

}  // namespace z2z::tok
