// AddedVocabulary: loading, the byte trie and HF's find_matches rules (single_word, lstrip, rstrip).
#include "core/tokenizer/added_vocabulary.h"

#include "core/tokenizer/models/model.h"
#include "core/tokenizer/normalizers/normalizer.h"
#include "core/tokenizer/unicode.h"

namespace z2z::tok {

void AddedVocabulary::Trie::add(std::string_view key, std::int32_t token_index) {
  if (key.empty()) return;
  if (terminal.empty()) terminal.push_back(-1);
  std::uint64_t node = 0;
  for (unsigned char c : key) {
    const std::uint64_t k = (node << 8) | c;
    if (const std::uint64_t* child = edges.find(k)) {
      node = *child;
    } else {
      const std::uint64_t n = terminal.size();
      terminal.push_back(-1);
      edges.insert(k, n);
      node = n;
    }
  }
  if (terminal[node] < 0) ++count;
  // first writer wins on duplicates (HF keeps the first pattern of equal length)
  if (terminal[node] < 0) terminal[node] = token_index;
  first[static_cast<unsigned char>(key[0])] = true;
}

void AddedVocabulary::load(const JsonRef& node, const Normalizer* normalizer) {
  const std::size_t n = node.array_size();
  tokens_.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const JsonRef t = node.at(i);
    AddedToken a;
    const std::int64_t id = t.integer("id");
    if (id < 0 || id > kMaxTokenId) t.fail_at("id", "out of range: {} (ids are 0..{})", id, kMaxTokenId);
    a.id = static_cast<std::int32_t>(id);
    a.content = t.str("content");
    if (utf8_first_invalid(a.content) != std::string::npos) t.fail_at("content", "invalid UTF-8");
    a.single_word = t.boolean_or("single_word", false);
    a.lstrip = t.boolean_or("lstrip", false);
    a.rstrip = t.boolean_or("rstrip", false);
    a.special = t.boolean_or("special", false);
    a.normalized = t.boolean_or("normalized", !a.special);
    if (by_content_.count(a.content)) continue;  // HF ignores repeated contents
    by_id_[a.id] = tokens_.size();
    by_content_[a.content] = tokens_.size();
    tokens_.push_back(std::move(a));
  }
  // HF builds its tries from the special tokens first, then the others.
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      const AddedToken& a = tokens_[i];
      if (a.special != (pass == 0)) continue;
      if (!a.normalized) {
        raw_.add(a.content, static_cast<std::int32_t>(i));
      } else {
        NormalizedString ns(a.content, 0);
        if (normalizer) normalizer->normalize(ns);
        norm_.add(ns.text(), static_cast<std::int32_t>(i));
      }
    }
  }
}

std::int32_t AddedVocabulary::find(std::string_view content) const {
  auto it = by_content_.find(std::string(content));
  return it == by_content_.end() ? -1 : tokens_[it->second].id;
}

namespace {

// Last code point before byte `end` (requires end > 0).
std::uint32_t last_char(const std::string& t, std::size_t end) {
  std::size_t p = end - 1;
  while (p > 0 && (static_cast<unsigned char>(t[p]) & 0xC0) == 0x80) --p;
  std::uint32_t cp;
  utf8_decode(t.data(), t.size(), p, cp);
  return cp;
}

}  // namespace

void AddedVocabulary::split(Split&& s, bool normalized_set, bool split_special_tokens, std::vector<Split>& out) const {
  const Trie& trie = normalized_set ? norm_ : raw_;
  const std::string& t = s.text.text();
  const std::size_t n = t.size();
  if (trie.count == 0 || n == 0) {
    out.push_back(std::move(s));
    return;
  }
  struct Cut {
    std::size_t b, e;
    std::int32_t id;
  };
  std::vector<Cut> cuts;
  std::size_t start_offset = 0;
  std::size_t i = 0;
  while (i < n) {
    if (!trie.first[static_cast<unsigned char>(t[i])]) {
      ++i;
      continue;
    }
    std::uint64_t node = 0;
    std::int32_t best = -1;
    std::size_t best_end = 0;
    for (std::size_t j = i; j < n; ++j) {
      const std::uint64_t* child = trie.edges.find((node << 8) | static_cast<unsigned char>(t[j]));
      if (!child) break;
      node = *child;
      if (trie.terminal[node] >= 0) {
        best = trie.terminal[node];
        best_end = j + 1;
      }
    }
    if (best < 0) {
      ++i;
      continue;
    }
    const AddedToken& a = tokens_[static_cast<std::size_t>(best)];
    std::size_t start = i, stop = best_end;
    i = best_end;  // non-overlapping, like Aho-Corasick find_iter
    if (split_special_tokens && a.special) continue;
    if (a.single_word) {
      std::uint32_t cp;
      const bool start_space = start == 0 || !is_word_char(last_char(t, start));
      const bool stop_space = stop == n || (utf8_decode(t.data(), n, stop, cp), !is_word_char(cp));
      if (!start_space || !stop_space) continue;
    }
    if (a.lstrip) {
      std::size_t ns = start;
      while (ns > 0) {
        std::size_t p = ns - 1;
        while (p > 0 && (static_cast<unsigned char>(t[p]) & 0xC0) == 0x80) --p;
        std::uint32_t cp;
        utf8_decode(t.data(), n, p, cp);
        if (!is_white_space(cp)) break;
        ns = p;
      }
      start = std::max(ns, start_offset);
    }
    if (a.rstrip) {
      while (stop < n) {
        std::uint32_t cp;
        const int len = utf8_decode(t.data(), n, stop, cp);
        if (!is_white_space(cp)) break;
        stop += static_cast<std::size_t>(len);
      }
    }
    if (start_offset < start) cuts.push_back({start_offset, start, -1});
    cuts.push_back({start, stop, a.id});
    start_offset = stop;
  }
  if (cuts.empty()) {
    out.push_back(std::move(s));
    return;
  }
  if (start_offset != n) cuts.push_back({start_offset, n, -1});
  for (const Cut& c : cuts) {
    Split p;
    p.text = s.text.slice(c.b, std::min(c.e, n));
    p.added_id = c.id;
    out.push_back(std::move(p));
  }
}

}  // namespace z2z::tok
