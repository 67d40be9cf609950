// ByteLevel decoder: maps every character of every token back to its byte ('Ġ' -> 0x20), joins all
// tokens into one string and repairs invalid UTF-8 with U+FFFD (Rust from_utf8_lossy). A token with
// a character outside the alphabet (an added token like "<|endoftext|>" is inside it) contributes its
// own UTF-8 bytes.
#include "core/tokenizer/decoders/decoder.h"
#include "core/tokenizer/unicode.h"

namespace z2z::tok {
namespace {

class ByteLevelDecoder final : public Decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::string bytes, one;
    for (const std::string& t : tokens) {
      if (byte_level_decode(t, one))
        bytes += one;
      else
        bytes += t;
    }
    tokens.assign(1, utf8_repair(bytes));
  }
};

}  // namespace

DecoderPtr byte_level_decoder_from_json(const JsonRef&) { return std::make_unique<ByteLevelDecoder>(); }

}  // namespace z2z::tok
