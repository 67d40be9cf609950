// Corpus loading for training and evaluation: text files -> documents (split at lines holding
// only a form feed, the shared corpora's separator) -> base ids with an end-of-text id after each
// document. No torch.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/tokenizer/tokenizer.h"

namespace z2z::train {

std::vector<std::string> read_documents(const std::vector<std::filesystem::path>& files);

struct SpecialIds {
  std::int32_t eos = 0, pad = 0;
  std::optional<std::int32_t> bos;
  std::vector<std::int32_t> disabled;  // every added/special token id
};
// eos = <|endoftext|> / </s> / <eos>; pad = <|pad|> / <pad> (else eos); bos = <s> / <bos> if present.
SpecialIds special_ids(const tok::Tokenizer& t);

struct TokenStream {
  std::vector<std::int32_t> ids;
  std::size_t documents = 0, bytes = 0;
};
TokenStream tokenize_documents(const tok::Tokenizer& t, const std::vector<std::string>& docs, std::int32_t eos);

// UTF-8 byte length of each id's text (for byte-perplexity).
std::vector<float> token_byte_lengths(const tok::Tokenizer& t);

// A stable hex digest of bytes (FNV-1a 64), for cache keys.
std::string digest(const std::string& bytes);

}  // namespace z2z::train
