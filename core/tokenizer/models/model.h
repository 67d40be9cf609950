// Model stage (HF tokenizers `models/`): turns one pre-token (a Split) into tokens with input spans,
// and maps ids <-> token strings. model_from_json() (registry.cpp) picks the model by "type"; only
// BPE is supported (byte-level and SentencePiece-style with byte_fallback).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/tokenizer/json_util.h"
#include "core/tokenizer/normalized_string.h"
#include "core/tokenizer/token.h"

namespace z2z::tok {

// Largest token id we accept (vocab and added tokens). Ids index dense per-id tables (8+ bytes per id
// up to the largest one), so a 2 KB tokenizer.json with one id of 300 000 000 would otherwise allocate
// gigabytes (found by fuzz_tokenizer_json). Real vocabularies stay far below (Gemma 3: 262 144).
constexpr std::int64_t kMaxTokenId = (std::int64_t{1} << 24) - 1;

class Model {
 public:
  virtual ~Model() = default;
  // Append the tokens of one pre-token. Thread-safe.
  virtual void tokenize(const Split& split, std::vector<Token>& out) const = 0;
  virtual std::int32_t token_to_id(std::string_view token) const = 0;  // -1 when absent
  virtual std::optional<std::string_view> id_to_token(std::int32_t id) const = 0;
  virtual std::int32_t max_id() const = 0;  // largest id in the vocabulary (-1 when empty)
  virtual std::size_t vocab_size() const = 0;
  virtual bool byte_fallback() const = 0;
};
using ModelPtr = std::unique_ptr<const Model>;

// `streamed` carries model.vocab / model.merges when the loader streamed them out of the DOM.
ModelPtr model_from_json(const JsonRef& node, TokenizerJson* streamed);
ModelPtr bpe_from_json(const JsonRef& node, TokenizerJson* streamed);

}  // namespace z2z::tok
