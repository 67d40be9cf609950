// Tokenizer — a Hugging Face tokenizer.json pipeline whose ids are identical to HF `tokenizers`:
//   added tokens (raw) -> normalizer -> added tokens (normalized) -> pre-tokenizer -> model (BPE)
//   -> post-processor (add_special_tokens); decode: ids -> token strings -> decoder.
// Components live in normalizers/, pre_tokenizers/, models/, decoders/, processors/ (one file each,
// chosen by the JSON "type"). A built Tokenizer is immutable and safe to share between threads (each
// call uses its own scratch; the per-word BPE cache is internally synchronized). Copies share state.
//
// Invalid UTF-8 input: InvalidUtf8::Replace (default) encodes each ill-formed subsequence as U+FFFD
// (Rust from_utf8_lossy rule) and maps its tokens' spans back to the offending input bytes;
// InvalidUtf8::Reject throws z2z::Error naming the byte offset. Spans always index the caller's bytes.
// Not supported: pair sequences, truncation/padding settings, WordPiece/Unigram/WordLevel models.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenizer/added_vocabulary.h"
#include "core/tokenizer/token.h"

namespace z2z::tok {

enum class InvalidUtf8 { Replace, Reject };

struct EncodeOptions {
  bool add_special_tokens = false;    // run the post-processor (BOS/EOS...)
  bool split_special_tokens = false;  // special-token text in the input is encoded as plain text
  InvalidUtf8 invalid_utf8 = InvalidUtf8::Replace;
};

// How token strings spell bytes (for display and token_bytes()).
enum class TokenAlphabet {
  ByteLevel,     // GPT-2 byte-level alphabet ('Ġ' = space, 'Ċ' = newline)
  SentencePiece  // '▁' = space, <0xNN> byte-fallback tokens
};

class Tokenizer {
 public:
  // Throws z2z::Error naming the file and JSON path on anything unreadable or unsupported.
  static Tokenizer from_file(const std::string& path);
  static Tokenizer from_json(std::string_view json_text, const std::string& source = "tokenizer.json");

  std::vector<Token> encode(std::string_view text, const EncodeOptions& options = {}) const;
  std::vector<std::int32_t> encode_ids(std::string_view text, const EncodeOptions& options = {}) const;

  // Throws z2z::Error on an id that is neither in the model vocab nor an added token.
  std::string decode(std::span<const std::int32_t> ids, bool skip_special_tokens = false) const;

  std::optional<std::int32_t> token_to_id(std::string_view token) const;
  std::optional<std::string> id_to_token(std::int32_t id) const;  // vocab string ('Ġthe', '▁the', '<s>')
  // The bytes a token stands for in text: the alphabet undone ('Ġthe' -> " the", '<0x0A>' -> "\n");
  // added tokens give their content. Empty for unknown ids.
  std::string token_bytes(std::int32_t id) const;

  // max id + 1 over the model vocab and the added tokens (the id space, HF get_vocab_size(true)
  // when ids are dense).
  std::int32_t vocab_size() const;
  std::size_t model_vocab_size() const;
  const std::vector<AddedToken>& added_tokens() const;
  bool is_special(std::int32_t id) const;
  bool is_added(std::int32_t id) const;
  TokenAlphabet alphabet() const;
  const std::string& source() const;

 private:
  struct Impl;
  explicit Tokenizer(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace z2z::tok
