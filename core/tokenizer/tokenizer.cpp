// Tokenizer: loads tokenizer.json into the stage components and runs encode/decode.
// Not a component: each stage lives in its own folder.
#include "core/tokenizer/tokenizer.h"

#include <fstream>
#include <sstream>

#include "core/tokenizer/decoders/decoder.h"
#include "core/tokenizer/json_util.h"
#include "core/tokenizer/models/model.h"
#include "core/tokenizer/normalizers/normalizer.h"
#include "core/tokenizer/pre_tokenizers/pre_tokenizer.h"
#include "core/tokenizer/processors/post_processor.h"
#include "core/tokenizer/unicode.h"
#include "core/util/error.h"

namespace z2z::tok {

struct Tokenizer::Impl {
  std::string source;
  NormalizerPtr normalizer;
  PreTokenizerPtr pre_tokenizer;
  ModelPtr model;
  PostProcessorPtr post_processor;
  DecoderPtr decoder;
  AddedVocabulary added;
  TokenAlphabet alphabet = TokenAlphabet::SentencePiece;
  std::int32_t vocab_size = 0;

  void encode(std::string_view text, const EncodeOptions& options, std::vector<Token>& out) const;
};

namespace {

bool mentions_byte_level(const nlohmann::json& j) {
  if (j.is_object()) {
    auto t = j.find("type");
    if (t != j.end() && t->is_string() && t->get<std::string>() == "ByteLevel") return true;
    for (const auto& [k, v] : j.items())
      if (mentions_byte_level(v)) return true;
  } else if (j.is_array()) {
    for (const auto& v : j)
      if (mentions_byte_level(v)) return true;
  }
  return false;
}

}  // namespace

Tokenizer Tokenizer::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) z2z::fail("{}: cannot open tokenizer file", path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in.good() && !in.eof()) z2z::fail("{}: read error", path);
  return from_json(ss.str(), path);
}

Tokenizer Tokenizer::from_json(std::string_view json_text, const std::string& source) {
  TokenizerJson tj = parse_tokenizer_json(json_text, source);
  auto impl = std::make_shared<Impl>();
  impl->source = source;
  const JsonRef root(tj.doc, "");
  try {
    if (auto n = root.find("normalizer")) impl->normalizer = normalizer_from_json(*n);
    if (auto p = root.find("pre_tokenizer")) impl->pre_tokenizer = pre_tokenizer_from_json(*p);
    impl->model = model_from_json(root.at("model"), &tj);
    if (auto p = root.find("post_processor")) impl->post_processor = post_processor_from_json(*p);
    if (auto d = root.find("decoder")) impl->decoder = decoder_from_json(*d);
    if (auto a = root.find("added_tokens")) impl->added.load(*a, impl->normalizer.get());
  } catch (const z2z::Error& e) {
    z2z::fail("{}: {}", source, e.what());
  }
  const bool bl = (root.has("pre_tokenizer") && mentions_byte_level(tj.doc["pre_tokenizer"])) ||
                  (root.has("decoder") && mentions_byte_level(tj.doc["decoder"]));
  impl->alphabet = bl ? TokenAlphabet::ByteLevel : TokenAlphabet::SentencePiece;
  std::int32_t max_id = impl->model->max_id();
  for (const auto& a : impl->added.tokens()) max_id = std::max(max_id, a.id);
  impl->vocab_size = max_id + 1;
  return Tokenizer(std::move(impl));
}

void Tokenizer::Impl::encode(std::string_view input, const EncodeOptions& options, std::vector<Token>& out) const {
  // 0. UTF-8 policy
  std::string repaired;
  std::vector<std::uint32_t> to_input;
  std::string_view text = input;
  if (const std::size_t bad = utf8_first_invalid(input); bad != std::string_view::npos) {
    if (options.invalid_utf8 == InvalidUtf8::Reject)
      z2z::fail("input is not valid UTF-8 (byte {} = 0x{:02X})", bad, static_cast<unsigned char>(input[bad]));
    repaired = utf8_repair(input, &to_input);
    text = repaired;
  }
  if (text.size() > 0xffffffffu - 16) z2z::fail("input too large ({} bytes; the limit is 4 GiB)", text.size());

  // 1. added tokens on the raw text, 2. normalize, 3. added tokens on the normalized text
  std::vector<Split> splits;
  {
    Split whole;
    whole.text = NormalizedString(std::string(text), 0);
    added.split(std::move(whole), false, options.split_special_tokens, splits);
  }
  if (normalizer || added.has_normalized()) {
    std::vector<Split> next;
    next.reserve(splits.size());
    for (Split& s : splits) {
      if (s.added_id >= 0) {
        next.push_back(std::move(s));
        continue;
      }
      if (normalizer) normalizer->normalize(s.text);
      added.split(std::move(s), true, options.split_special_tokens, next);
    }
    splits = std::move(next);
  }
  // 4. pre-tokenize
  if (pre_tokenizer) pre_tokenizer->pre_tokenize(splits);
  // 5. model
  const std::size_t first = out.size();
  for (const Split& s : splits) {
    if (s.added_id >= 0) {
      const auto span = s.text.input_span(0, s.text.size());
      out.push_back(Token{s.added_id, span.first, span.second});
    } else {
      model->tokenize(s, out);
    }
  }
  // 6. post-process
  if (options.add_special_tokens && post_processor) {
    std::vector<Token> mine(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
    post_processor->process(mine, static_cast<std::uint32_t>(text.size()));
    out.resize(first);
    out.insert(out.end(), mine.begin(), mine.end());
  }
  // 7. spans back to the caller's bytes
  if (!to_input.empty()) {
    for (std::size_t i = first; i < out.size(); ++i) {
      Token& t = out[i];
      const std::uint32_t b = to_input[t.begin];
      std::uint32_t e = b;
      if (t.end > t.begin) {
        e = to_input[t.end];
        if (e <= to_input[t.end - 1]) e = to_input[t.end - 1] + 1;  // ends inside a U+FFFD
      }
      t.begin = b;
      t.end = e;
    }
  }
}

std::vector<Token> Tokenizer::encode(std::string_view text, const EncodeOptions& options) const {
  std::vector<Token> out;
  out.reserve(text.size() / 3 + 8);
  impl_->encode(text, options, out);
  return out;
}

std::vector<std::int32_t> Tokenizer::encode_ids(std::string_view text, const EncodeOptions& options) const {
  std::vector<Token> toks = encode(text, options);
  std::vector<std::int32_t> ids(toks.size());
  for (std::size_t i = 0; i < toks.size(); ++i) ids[i] = toks[i].id;
  return ids;
}

std::string Tokenizer::decode(std::span<const std::int32_t> ids, bool skip_special_tokens) const {
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::int32_t id = ids[i];
    if (const AddedToken* a = impl_->added.by_id(id)) {
      if (skip_special_tokens && a->special) continue;
      tokens.push_back(a->content);
      continue;
    }
    auto t = impl_->model->id_to_token(id);
    if (!t)
      z2z::fail("id #{} ({}) is not in the vocabulary of {} (ids are 0..{})", i, id, impl_->source,
                impl_->vocab_size - 1);
    tokens.emplace_back(*t);
  }
  if (!impl_->decoder) {
    std::string out;
    for (std::size_t i = 0; i < tokens.size(); ++i) out += (i ? " " : "") + tokens[i];
    return out;
  }
  impl_->decoder->decode_chain(tokens);
  std::string out;
  for (const auto& t : tokens) out += t;
  return out;
}

std::optional<std::int32_t> Tokenizer::token_to_id(std::string_view token) const {
  if (std::int32_t id = impl_->added.find(token); id >= 0) return id;
  if (std::int32_t id = impl_->model->token_to_id(token); id >= 0) return id;
  return std::nullopt;
}

std::optional<std::string> Tokenizer::id_to_token(std::int32_t id) const {
  if (const AddedToken* a = impl_->added.by_id(id)) return a->content;
  if (auto t = impl_->model->id_to_token(id)) return std::string(*t);
  return std::nullopt;
}

std::string Tokenizer::token_bytes(std::int32_t id) const {
  if (const AddedToken* a = impl_->added.by_id(id)) return a->content;
  auto t = impl_->model->id_to_token(id);
  if (!t) return {};
  std::string out;
  if (impl_->alphabet == TokenAlphabet::ByteLevel) {
    if (byte_level_decode(*t, out)) return out;
    return std::string(*t);
  }
  const std::string_view s = *t;
  if (s.size() == 6 && s.substr(0, 3) == "<0x" && s[5] == '>') {
    auto hex = [](char c) { return c >= 'A' ? (c & ~0x20) - 'A' + 10 : c - '0'; };
    out.push_back(static_cast<char>(hex(s[3]) * 16 + hex(s[4])));
    return out;
  }
  static const std::string kMeta = "\xE2\x96\x81";  // ▁
  std::size_t at = 0;
  for (std::size_t p = s.find(kMeta); p != std::string_view::npos; p = s.find(kMeta, p + 3)) {
    out.append(s.substr(at, p - at));
    out.push_back(' ');
    at = p + 3;
  }
  out.append(s.substr(at));
  return out;
}

std::int32_t Tokenizer::vocab_size() const { return impl_->vocab_size; }
std::size_t Tokenizer::model_vocab_size() const { return impl_->model->vocab_size(); }
const std::vector<AddedToken>& Tokenizer::added_tokens() const { return impl_->added.tokens(); }
bool Tokenizer::is_special(std::int32_t id) const {
  const AddedToken* a = impl_->added.by_id(id);
  return a && a->special;
}
bool Tokenizer::is_added(std::int32_t id) const { return impl_->added.by_id(id) != nullptr; }
TokenAlphabet Tokenizer::alphabet() const { return impl_->alphabet; }
const std::string& Tokenizer::source() const { return impl_->source; }

}  // namespace z2z::tok
