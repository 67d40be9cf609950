// Sequence post-processor: applies its processors in order.
#include "core/tokenizer/processors/post_processor.h"

namespace z2z::tok {
namespace {

class SequenceProcessor final : public PostProcessor {
 public:
  explicit SequenceProcessor(std::vector<PostProcessorPtr> parts) : parts_(std::move(parts)) {}
  void process(std::vector<Token>& tokens, std::uint32_t text_size) const override {
    for (const auto& p : parts_) p->process(tokens, text_size);
  }

 private:
  std::vector<PostProcessorPtr> parts_;
};

}  // namespace

PostProcessorPtr sequence_processor_from_json(const JsonRef& node) {
  const JsonRef list = node.at("processors");
  std::vector<PostProcessorPtr> parts;
  for (std::size_t i = 0; i < list.array_size(); ++i) parts.push_back(post_processor_from_json(list.at(i)));
  return std::make_unique<SequenceProcessor>(std::move(parts));
}

}  // namespace z2z::tok
