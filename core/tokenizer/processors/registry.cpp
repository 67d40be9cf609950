// Post-processor registry (JSON "type" -> factory) and the shared surround() helper.
#include "core/tokenizer/processors/post_processor.h"

namespace z2z::tok {

PostProcessorPtr post_processor_from_json(const JsonRef& node) {
  const std::string type = node.type();
  if (type == "TemplateProcessing") return template_processing_from_json(node);
  if (type == "ByteLevel") return byte_level_processor_from_json(node);
  if (type == "RobertaProcessing" || type == "BertProcessing") return roberta_processing_from_json(node);
  if (type == "Sequence") return sequence_processor_from_json(node);
  node.fail_at("type",
               "unsupported \"{}\" (supported post-processors: TemplateProcessing, ByteLevel, "
               "RobertaProcessing, BertProcessing, Sequence)",
               type);
}

void surround(std::vector<Token>& tokens, const std::vector<std::int32_t>& before,
              const std::vector<std::int32_t>& after, std::uint32_t text_size) {
  std::vector<Token> out;
  out.reserve(tokens.size() + before.size() + after.size());
  for (std::int32_t id : before) out.push_back(Token{id, 0, 0});
  out.insert(out.end(), tokens.begin(), tokens.end());
  for (std::int32_t id : after) out.push_back(Token{id, text_size, text_size});
  tokens = std::move(out);
}

}  // namespace z2z::tok
