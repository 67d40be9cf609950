// Sequence decoder: applies its decoders' chains in order.
#include "core/tokenizer/decoders/decoder.h"

namespace z2z::tok {
namespace {

class SequenceDecoder final : public Decoder {
 public:
  explicit SequenceDecoder(std::vector<DecoderPtr> parts) : parts_(std::move(parts)) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (const auto& p : parts_) p->decode_chain(tokens);
  }

 private:
  std::vector<DecoderPtr> parts_;
};

}  // namespace

DecoderPtr sequence_decoder_from_json(const JsonRef& node) {
  const JsonRef list = node.at("decoders");
  std::vector<DecoderPtr> parts;
  for (std::size_t i = 0; i < list.array_size(); ++i) parts.push_back(decoder_from_json(list.at(i)));
  return std::make_unique<SequenceDecoder>(std::move(parts));
}

}  // namespace z2z::tok
