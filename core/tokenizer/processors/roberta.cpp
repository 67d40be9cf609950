// RobertaProcessing / BertProcessing: <cls> A <sep>, with "cls": [token, id] and "sep": [token, id].
#include "core/tokenizer/processors/post_processor.h"

namespace z2z::tok {
namespace {

class RobertaProcessing final : public PostProcessor {
 public:
  RobertaProcessing(std::int32_t cls, std::int32_t sep) : cls_{cls}, sep_{sep} {}
  void process(std::vector<Token>& tokens, std::uint32_t text_size) const override {
    surround(tokens, cls_, sep_, text_size);
  }

 private:
  std::vector<std::int32_t> cls_, sep_;
};

std::int32_t token_id(const JsonRef& node, const char* key) {
  const JsonRef pair = node.at(key);
  if (pair.array_size() != 2) pair.fail("expected [token, id]");
  return static_cast<std::int32_t>(pair.at(1).as_integer());
}

}  // namespace

PostProcessorPtr roberta_processing_from_json(const JsonRef& node) {
  return std::make_unique<RobertaProcessing>(token_id(node, "cls"), token_id(node, "sep"));
}

}  // namespace z2z::tok
