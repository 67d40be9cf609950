// AddedVocabulary — the tokenizer.json "added_tokens" (special and normal) and how they are cut out
// of the text before the model sees it (HF tokenizers `added_vocabulary.rs`):
//   1. tokens with normalized=false are matched on the raw text (leftmost-longest, like HF's
//      Aho-Corasick), 2. the rest is normalized, 3. tokens with normalized=true are matched on the
//      normalized pieces (their content normalized the same way).
// single_word (no word character on either side), lstrip / rstrip (absorb whitespace on that side)
// behave as in HF. split_special_tokens skips matches of special tokens (their text is encoded as
// plain text). Not the model vocabulary.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/tokenizer/flat_map.h"
#include "core/tokenizer/json_util.h"
#include "core/tokenizer/normalized_string.h"

namespace z2z::tok {

class Normalizer;

struct AddedToken {
  std::int32_t id = 0;
  std::string content;
  bool single_word = false, lstrip = false, rstrip = false, normalized = true, special = false;
};

class AddedVocabulary {
 public:
  // `node` is the "added_tokens" array. Normalized tokens are matched in normalized form.
  void load(const JsonRef& node, const Normalizer* normalizer);

  const std::vector<AddedToken>& tokens() const { return tokens_; }
  const AddedToken* by_id(std::int32_t id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &tokens_[it->second];
  }
  std::int32_t find(std::string_view content) const;  // -1 when absent
  bool empty() const { return tokens_.empty(); }
  bool has_normalized() const { return !norm_.terminal.empty() && norm_.count > 0; }

  // Cut `s` at matches of the raw (normalized=false) or the normalized set; appends to `out`.
  void split(Split&& s, bool normalized_set, bool split_special_tokens, std::vector<Split>& out) const;

 private:
  struct Trie {
    U64Map edges;                        // (node << 8 | byte) -> child
    std::vector<std::int32_t> terminal;  // node -> token index, or -1
    std::array<bool, 256> first{};
    std::size_t count = 0;
    void add(std::string_view key, std::int32_t token_index);
  };
  std::vector<AddedToken> tokens_;
  std::unordered_map<std::int32_t, std::size_t> by_id_;
  std::unordered_map<std::string, std::size_t> by_content_;
  Trie raw_, norm_;
};

}  // namespace z2z::tok
