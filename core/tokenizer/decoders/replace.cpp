// Replace decoder: in every token, each match of the pattern becomes `content` (e.g. '▁' -> ' ').
#include "core/tokenizer/decoders/decoder.h"
#include "core/tokenizer/pattern.h"

namespace z2z::tok {
namespace {

class ReplaceDecoder final : public Decoder {
 public:
  ReplaceDecoder(Pattern p, std::string content) : pattern_(std::move(p)), content_(std::move(content)) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::vector<std::pair<std::size_t, std::size_t>> m;
    for (std::string& t : tokens) {
      m.clear();
      pattern_.find_all(t, m);
      if (m.empty()) continue;
      std::string r;
      std::size_t at = 0;
      for (auto [b, e] : m) {
        r.append(t, at, b - at);
        r += content_;
        at = e;
      }
      r.append(t, at, std::string::npos);
      t = std::move(r);
    }
  }

 private:
  Pattern pattern_;
  std::string content_;
};

}  // namespace

DecoderPtr replace_decoder_from_json(const JsonRef& node) {
  return std::make_unique<ReplaceDecoder>(Pattern::from_json(node.at("pattern")), node.str("content"));
}

}  // namespace z2z::tok
