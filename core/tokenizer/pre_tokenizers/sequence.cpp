// Sequence pre-tokenizer: applies its pre-tokenizers in order.
#include "core/tokenizer/pre_tokenizers/pre_tokenizer.h"

namespace z2z::tok {
namespace {

class Sequence final : public PreTokenizer {
 public:
  explicit Sequence(std::vector<PreTokenizerPtr> parts) : parts_(std::move(parts)) {}
  void pre_tokenize(std::vector<Split>& splits) const override {
    for (const auto& p : parts_) p->pre_tokenize(splits);
  }

 private:
  std::vector<PreTokenizerPtr> parts_;
};

}  // namespace

PreTokenizerPtr sequence_pre_tokenizer_from_json(const JsonRef& node) {
  const JsonRef list = node.at("pretokenizers");
  std::vector<PreTokenizerPtr> parts;
  for (std::size_t i = 0; i < list.array_size(); ++i) parts.push_back(pre_tokenizer_from_json(list.at(i)));
  return std::make_unique<Sequence>(std::move(parts));
}

}  // namespace z2z::tok
