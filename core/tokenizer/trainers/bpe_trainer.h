// BpeTrainer — trains a byte-level BPE tokenizer (GPT-2 style: regex pre-tokenization + byte-level
// alphabet) on texts and produces a standard HF tokenizer.json that HF tokenizers and our loader
// read with identical ids. Not a general trainer: byte-level BPE only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace z2z::tok {

struct BpeTrainerOptions {
  std::int64_t vocab_size = 4096;  // including special tokens and the 256-byte alphabet
  std::int64_t min_frequency = 2;  // pairs seen fewer times are never merged
  std::vector<std::string> special_tokens = {"<|endoftext|>", "<|pad|>"};  // ids 0, 1, ...
  std::function<void(std::int64_t done, std::int64_t total)> progress;     // called every ~64 merges
};

struct BpeTrainResult {
  std::string tokenizer_json;  // the whole file
  std::int64_t vocab_size = 0, merges = 0, words = 0;
};

// `texts`: documents; special-token strings inside them are treated as plain text.
BpeTrainResult train_byte_level_bpe(const std::vector<std::string>& texts, const BpeTrainerOptions& options);

// The GPT-2 pre-tokenization regex HF's ByteLevel pre-tokenizer applies when use_regex is true.
extern const char* const kGpt2Pattern;

}  // namespace z2z::tok
