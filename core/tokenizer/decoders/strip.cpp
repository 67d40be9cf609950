// Strip decoder: removes up to `start` leading and `stop` trailing occurrences of the character
// `content` from every token. Not the Strip normalizer.
#include <vector>

#include "core/tokenizer/decoders/decoder.h"
#include "core/tokenizer/unicode.h"

namespace z2z::tok {
namespace {

class StripDecoder final : public Decoder {
 public:
  StripDecoder(std::string c, std::size_t start, std::size_t stop)
      : content_(std::move(c)), start_(start), stop_(stop) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (std::string& t : tokens) {
      std::vector<std::size_t> starts;  // byte offset of each character
      for (std::size_t i = 0; i < t.size(); i += static_cast<std::size_t>(utf8_len(static_cast<unsigned char>(t[i]))))
        starts.push_back(i);
      const std::size_t n = starts.size();
      auto char_at = [&](std::size_t k) {
        const std::size_t e = k + 1 < n ? starts[k + 1] : t.size();
        return std::string_view(t).substr(starts[k], e - starts[k]);
      };
      std::size_t a = 0, b = n;
      while (a < start_ && a < n && char_at(a) == content_) ++a;
      for (std::size_t k = 0; k < stop_ && b > a && char_at(b - 1) == content_; ++k) --b;
      const std::size_t ba = a < n ? starts[a] : t.size(), bb = b < n ? starts[b] : t.size();
      t = t.substr(ba, bb - ba);
    }
  }

 private:
  std::string content_;
  std::size_t start_, stop_;
};

}  // namespace

DecoderPtr strip_decoder_from_json(const JsonRef& node) {
  const auto start = node.integer_or("start", 0), stop = node.integer_or("stop", 0);
  if (start < 0) node.fail_at("start", "must be >= 0");
  if (stop < 0) node.fail_at("stop", "must be >= 0");
  return std::make_unique<StripDecoder>(single_char(node, "content"), static_cast<std::size_t>(start),
                                        static_cast<std::size_t>(stop));
}

}  // namespace z2z::tok
