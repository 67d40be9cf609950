// Regex — a compiled PCRE2 pattern (UTF + UCP, JIT when available) for Split, Replace and the
// ByteLevel pre-tokenizer. Immutable and shareable between threads; match scratch (match data, JIT
// stack) is per thread. Patterns come from tokenizer.json (Oniguruma syntax in HF tokenizers); the
// constructs those files use (\p{..}, (?i:..), lookahead, classes with literal CJK ranges) mean the
// same in PCRE2; \s \S \w \W are rewritten to Oniguruma's Unicode meaning (regex.cpp).
// Not a general regex API: only "find every non-overlapping match".
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace z2z::tok {

class Regex {
 public:
  // Throws z2z::Error naming `where` (the JSON path) when the pattern does not compile.
  Regex(const std::string& pattern, const std::string& where);  // Oniguruma syntax
  // A literal pattern (escaped).
  static Regex literal(const std::string& text, const std::string& where);

  const std::string& pattern() const { return pattern_; }

  // Every non-empty, non-overlapping match [begin, end) of `text` (valid UTF-8), left to right.
  void find_all(std::string_view text, std::vector<std::pair<std::size_t, std::size_t>>& out) const;

 private:
  Regex(const std::string& pattern, const std::string& where, bool oniguruma);
  struct Code;
  std::shared_ptr<const Code> code_;
  std::string pattern_;
};

}  // namespace z2z::tok
