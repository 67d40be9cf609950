// TextCodec backed by core/tokenizer.
#include "app/z2z/text_codec.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

namespace z2z::cli {

namespace {

class TokenizerCodec : public TextCodec {
 public:
  explicit TokenizerCodec(tok::Tokenizer t)
      : tok_(std::move(t)), byte_level_(tok_.alphabet() == tok::TokenAlphabet::ByteLevel) {}
  std::vector<std::int32_t> encode(const std::string& text) const override { return tok_.encode_ids(text); }
  // Byte-level vocabularies: the exact bytes (an id may end inside a UTF-8 character; the
  // generator holds such tails back). SentencePiece: the tokenizer's decoder (leading-space rules).
  std::string decode(std::span<const std::int32_t> ids) const override {
    if (!byte_level_) return tok_.decode(ids);
    std::string out;
    for (std::int32_t id : ids) out += tok_.token_bytes(id);
    return out;
  }
  std::string token_bytes(std::int32_t id) const override { return tok_.token_bytes(id); }

 private:
  tok::Tokenizer tok_;
  bool byte_level_;
};

}  // namespace

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("{}: cannot open file", path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::unique_ptr<TextCodec> load_text_codec(const std::string& path) {
  if (!std::filesystem::exists(path)) fail("{}: tokenizer file not found", path);
  return std::make_unique<TokenizerCodec>(tok::Tokenizer::from_file(path));
}

std::unique_ptr<TextCodec> load_text_codec(const std::optional<std::string>& path, const model::ModelSummary& model) {
  if (path) return load_text_codec(*path);
  if (model.tokenizer_json) return load_text_codec(model.tokenizer_json->string());
  fail("{}: no tokenizer.json in the model directory; pass --tokenizer FILE or use ids", model.dir.string());
}

}  // namespace z2z::cli
