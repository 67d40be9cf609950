// ByteFallback decoder: runs of <0xNN> tokens become the bytes they name; a run that is not valid
// UTF-8 becomes one U+FFFD per byte (as HF tokenizers does).
#include "core/tokenizer/decoders/decoder.h"
#include "core/tokenizer/unicode.h"

namespace z2z::tok {
namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

class ByteFallbackDecoder final : public Decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::vector<std::string> out;
    out.reserve(tokens.size());
    std::string pending;
    auto flush = [&] {
      if (pending.empty()) return;
      if (utf8_first_invalid(pending) == std::string::npos)
        out.push_back(pending);
      else
        for (std::size_t i = 0; i < pending.size(); ++i) out.emplace_back("\xEF\xBF\xBD");
      pending.clear();
    };
    for (std::string& t : tokens) {
      if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>' && hex(t[3]) >= 0 && hex(t[4]) >= 0) {
        pending.push_back(static_cast<char>(hex(t[3]) * 16 + hex(t[4])));
        continue;
      }
      flush();
      out.push_back(std::move(t));
    }
    flush();
    tokens = std::move(out);
  }
};

}  // namespace

DecoderPtr byte_fallback_decoder_from_json(const JsonRef&) { return std::make_unique<ByteFallbackDecoder>(); }

}  // namespace z2z::tok
