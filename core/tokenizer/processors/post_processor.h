// Post-processor stage (HF tokenizers `processors/`): adds special tokens (BOS, CLS/SEP...) around an
// encoded single sequence when add_special_tokens is on. Pair sequences are not supported.
// post_processor_from_json() (registry.cpp) picks the component by "type".
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/tokenizer/json_util.h"
#include "core/tokenizer/token.h"

namespace z2z::tok {

class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  // Called only with add_special_tokens. Inserted tokens get an empty span at 0 (before the text)
  // or at text_size (after it).
  virtual void process(std::vector<Token>& tokens, std::uint32_t text_size) const = 0;
};
using PostProcessorPtr = std::unique_ptr<const PostProcessor>;

// Registry: {"type": "TemplateProcessing" | "ByteLevel" | "RobertaProcessing" | "BertProcessing" | "Sequence"}.
PostProcessorPtr post_processor_from_json(const JsonRef& node);

PostProcessorPtr template_processing_from_json(const JsonRef& node);
PostProcessorPtr byte_level_processor_from_json(const JsonRef& node);
PostProcessorPtr roberta_processing_from_json(const JsonRef& node);  // also BertProcessing
PostProcessorPtr sequence_processor_from_json(const JsonRef& node);

// Wrap ids: `before` ids, the tokens, then `after` ids.
void surround(std::vector<Token>& tokens, const std::vector<std::int32_t>& before,
              const std::vector<std::int32_t>& after, std::uint32_t text_size);

}  // namespace z2z::tok
