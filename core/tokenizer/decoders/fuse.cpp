// Fuse decoder: joins all tokens into one.
#include "core/tokenizer/decoders/decoder.h"

namespace z2z::tok {
namespace {

class FuseDecoder final : public Decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::string all;
    for (const std::string& t : tokens) all += t;
    tokens.assign(1, std::move(all));
  }
};

}  // namespace

DecoderPtr fuse_decoder_from_json(const JsonRef&) { return std::make_unique<FuseDecoder>(); }

}  // namespace z2z::tok
