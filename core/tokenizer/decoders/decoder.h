// Decoder stage (HF tokenizers `decoders/`): turns the list of token strings back into text. Each
// decoder rewrites the list (decode_chain); the tokenizer joins the final list. decoder_from_json()
// (registry.cpp) picks the component by "type".
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/tokenizer/json_util.h"

namespace z2z::tok {

class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual void decode_chain(std::vector<std::string>& tokens) const = 0;
};
using DecoderPtr = std::unique_ptr<const Decoder>;

// Registry: {"type": "ByteLevel" | "Replace" | "ByteFallback" | "Fuse" | "Strip" | "Metaspace" | "Sequence"}.
DecoderPtr decoder_from_json(const JsonRef& node);

DecoderPtr byte_level_decoder_from_json(const JsonRef& node);
DecoderPtr replace_decoder_from_json(const JsonRef& node);
DecoderPtr byte_fallback_decoder_from_json(const JsonRef& node);
DecoderPtr fuse_decoder_from_json(const JsonRef& node);
DecoderPtr strip_decoder_from_json(const JsonRef& node);
DecoderPtr metaspace_decoder_from_json(const JsonRef& node);
DecoderPtr sequence_decoder_from_json(const JsonRef& node);

}  // namespace z2z::tok
