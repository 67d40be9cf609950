// Pattern — the {"String": s} | {"Regex": r} value that Split, Replace (normalizer and decoder) use.
// Not a regex engine: regexes go to Regex (PCRE2).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/tokenizer/json_util.h"
#include "core/tokenizer/regex.h"

namespace z2z::tok {

class Pattern {
 public:
  static Pattern from_json(const JsonRef& node);  // node = the {"String"|"Regex": ...} object
  static Pattern from_string(std::string s) {
    Pattern p;
    p.literal_ = std::move(s);
    return p;
  }

  // Every non-overlapping match [begin, end), left to right (none for an empty literal).
  void find_all(std::string_view text, std::vector<std::pair<std::size_t, std::size_t>>& out) const {
    if (regex_) {
      regex_->find_all(text, out);
      return;
    }
    if (literal_.empty()) return;
    for (std::size_t p = text.find(literal_); p != std::string_view::npos; p = text.find(literal_, p + literal_.size()))
      out.emplace_back(p, p + literal_.size());
  }
  bool is_literal() const { return !regex_; }
  const std::string& literal() const { return literal_; }

 private:
  std::string literal_;
  std::optional<Regex> regex_;
};

inline Pattern Pattern::from_json(const JsonRef& node) {
  if (!node.json().is_object()) node.fail("expected {{\"String\": ...}} or {{\"Regex\": ...}}");
  if (auto s = node.find("String")) return from_string(s->as_string());
  if (auto r = node.find("Regex")) {
    Pattern p;
    p.regex_.emplace(r->as_string(), r->path());
    return p;
  }
  node.fail("expected {{\"String\": ...}} or {{\"Regex\": ...}}");
}

}  // namespace z2z::tok
