// Sequence normalizer: applies its normalizers in order. Not a registry (see registry.cpp).
#include <vector>

#include "core/tokenizer/normalizers/normalizer.h"

namespace z2z::tok {
namespace {

class Sequence final : public Normalizer {
 public:
  explicit Sequence(std::vector<NormalizerPtr> parts) : parts_(std::move(parts)) {}
  void normalize(NormalizedString& s) const override {
    for (const auto& p : parts_) p->normalize(s);
  }

 private:
  std::vector<NormalizerPtr> parts_;
};

}  // namespace

NormalizerPtr sequence_normalizer_from_json(const JsonRef& node) {
  const JsonRef list = node.at("normalizers");
  std::vector<NormalizerPtr> parts;
  for (std::size_t i = 0; i < list.array_size(); ++i) parts.push_back(normalizer_from_json(list.at(i)));
  return std::make_unique<Sequence>(std::move(parts));
}

}  // namespace z2z::tok
