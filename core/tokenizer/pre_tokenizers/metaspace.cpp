// Metaspace pre-tokenizer (SentencePiece style): spaces become the replacement character ('▁'), a
// replacement is prepended per prepend_scheme (always | first | never; legacy add_prefix_space), and
// with split=true the text is cut before each replacement (MergedWithNext). Not the Metaspace decoder.
#include <vector>

#include "core/tokenizer/pre_tokenizers/pre_tokenizer.h"

namespace z2z::tok {
namespace {

enum class Prepend { Always, First, Never };

class Metaspace final : public PreTokenizer {
 public:
  Metaspace(std::string rep, Prepend prepend, bool split) : rep_(std::move(rep)), prepend_(prepend), split_(split) {}

  void pre_tokenize(std::vector<Split>& splits) const override {
    std::vector<std::pair<std::size_t, std::size_t>> matches;
    std::vector<MatchPiece> cover;
    split_each(splits, [&](Split&& s, std::vector<Split>& out) {
      materialize_byte_level(s);
      const std::string& t = s.text.text();
      const bool need_prefix =
          (prepend_ == Prepend::Always || (prepend_ == Prepend::First && s.text.input_start() == 0)) &&
          t.compare(0, rep_.size(), rep_) != 0;
      if (need_prefix || t.find(' ') != std::string::npos) {
        NormalizedString::Builder b(s.text);
        if (need_prefix) b.emit(rep_, 0, 0);
        std::size_t at = 0;
        for (std::size_t p = t.find(' '); p != std::string::npos; p = t.find(' ', p + 1)) {
          b.copy(at, p);
          b.emit(rep_, p, p + 1);
          at = p + 1;
        }
        b.copy(at, t.size());
        s.text = b.finish();
      }
      if (!split_) {
        out.push_back(std::move(s));
        return;
      }
      matches.clear();
      const std::string& u = s.text.text();
      for (std::size_t p = u.find(rep_); p != std::string::npos; p = u.find(rep_, p + rep_.size()))
        matches.emplace_back(p, p + rep_.size());
      cover_from_matches(u.size(), matches, false, cover);
      cut_split(std::move(s), cover, SplitBehavior::MergedWithNext, out);
    });
  }

 private:
  std::string rep_;
  Prepend prepend_;
  bool split_;
};

}  // namespace

PreTokenizerPtr metaspace_pre_tokenizer_from_json(const JsonRef& node) {
  std::string rep = single_char(node, "replacement");
  Prepend prepend = Prepend::Always;
  if (auto ps = node.find("prepend_scheme")) {
    const std::string v = ps->as_string();
    if (v == "always")
      prepend = Prepend::Always;
    else if (v == "first")
      prepend = Prepend::First;
    else if (v == "never")
      prepend = Prepend::Never;
    else
      node.fail_at("prepend_scheme", "unsupported \"{}\" (always, first, never)", v);
  } else {
    prepend = node.boolean_or("add_prefix_space", true) ? Prepend::Always : Prepend::Never;
  }
  return std::make_unique<Metaspace>(std::move(rep), prepend, node.boolean_or("split", true));
}

}  // namespace z2z::tok
