// Prepend normalizer: puts `prepend` in front of any non-empty text (inserted bytes get an empty span
// at the start of the text).
#include "core/tokenizer/normalizers/normalizer.h"

namespace z2z::tok {
namespace {

class Prepend final : public Normalizer {
 public:
  explicit Prepend(std::string p) : prepend_(std::move(p)) {}
  void normalize(NormalizedString& s) const override {
    if (s.empty() || prepend_.empty()) return;
    NormalizedString::Builder b(s);
    b.emit(prepend_, 0, 0);
    b.copy(0, s.size());
    s = b.finish();
  }

 private:
  std::string prepend_;
};

}  // namespace

NormalizerPtr prepend_from_json(const JsonRef& node) { return std::make_unique<Prepend>(node.str("prepend")); }

}  // namespace z2z::tok
