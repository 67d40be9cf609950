// Replace normalizer: every match of a String or Regex pattern becomes `content`; the new bytes span
// the matched input. Not the Replace decoder (decoders/replace.cpp).
#include <utility>
#include <vector>

#include "core/tokenizer/normalizers/normalizer.h"
#include "core/tokenizer/pattern.h"

namespace z2z::tok {
namespace {

class Replace final : public Normalizer {
 public:
  Replace(Pattern pattern, std::string content) : pattern_(std::move(pattern)), content_(std::move(content)) {}

  void normalize(NormalizedString& s) const override {
    std::vector<std::pair<std::size_t, std::size_t>> m;
    pattern_.find_all(s.text(), m);
    if (m.empty()) return;
    NormalizedString::Builder b(s);
    std::size_t at = 0;
    for (auto [mb, me] : m) {
      b.copy(at, mb);
      b.emit(content_, mb, me);
      at = me;
    }
    b.copy(at, s.size());
    s = b.finish();
  }

 private:
  Pattern pattern_;
  std::string content_;
};

}  // namespace

NormalizerPtr replace_normalizer_from_json(const JsonRef& node) {
  return std::make_unique<Replace>(Pattern::from_json(node.at("pattern")), node.str("content"));
}

}  // namespace z2z::tok
