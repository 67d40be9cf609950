// Decoder registry: JSON "type" -> factory.
#include "core/tokenizer/decoders/decoder.h"

namespace z2z::tok {

DecoderPtr decoder_from_json(const JsonRef& node) {
  const std::string type = node.type();
  if (type == "ByteLevel") return byte_level_decoder_from_json(node);
  if (type == "Replace") return replace_decoder_from_json(node);
  if (type == "ByteFallback") return byte_fallback_decoder_from_json(node);
  if (type == "Fuse") return fuse_decoder_from_json(node);
  if (type == "Strip") return strip_decoder_from_json(node);
  if (type == "Metaspace") return metaspace_decoder_from_json(node);
  if (type == "Sequence") return sequence_decoder_from_json(node);
  node.fail_at("type",
               "unsupported \"{}\" (supported decoders: ByteLevel, Replace, ByteFallback, Fuse, Strip, "
               "Metaspace, Sequence)",
               type);
}

}  // namespace z2z::tok
