// Metaspace decoder: the replacement character becomes a space, except in the first token when a
// prefix was prepended at encoding time (prepend_scheme != never), where it is dropped.
#include "core/tokenizer/decoders/decoder.h"

namespace z2z::tok {
namespace {

class MetaspaceDecoder final : public Decoder {
 public:
  MetaspaceDecoder(std::string rep, bool prepended) : rep_(std::move(rep)), prepended_(prepended) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      std::string& t = tokens[i];
      std::string r;
      std::size_t at = 0;
      for (std::size_t p = t.find(rep_); p != std::string::npos; p = t.find(rep_, p + rep_.size())) {
        r.append(t, at, p - at);
        if (!(i == 0 && prepended_)) r += ' ';
        at = p + rep_.size();
      }
      r.append(t, at, std::string::npos);
      t = std::move(r);
    }
  }

 private:
  std::string rep_;
  bool prepended_;
};

}  // namespace

DecoderPtr metaspace_decoder_from_json(const JsonRef& node) {
  bool prepended = true;
  if (auto ps = node.find("prepend_scheme"))
    prepended = ps->as_string() != "never";
  else
    prepended = node.boolean_or("add_prefix_space", true);
  return std::make_unique<MetaspaceDecoder>(single_char(node, "replacement"), prepended);
}

}  // namespace z2z::tok
