// Byte-level BPE training: count pre-tokens, then repeatedly merge the most frequent adjacent pair
// (ties: smallest pair of ids), updating pair counts only in the words that contain the pair.
#include "core/tokenizer/trainers/bpe_trainer.h"

#include <algorithm>
#include <array>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "core/tokenizer/regex.h"
#include "core/util/error.h"

namespace z2z::tok {

const char* const kGpt2Pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

namespace {

// GPT-2's byte -> printable unicode char table (the "byte-level alphabet").
std::array<std::string, 256> byte_alphabet() {
  std::array<std::string, 256> out;
  std::vector<int> bs;
  for (int b = '!'; b <= '~'; ++b) bs.push_back(b);
  for (int b = 0xA1; b <= 0xAC; ++b) bs.push_back(b);
  for (int b = 0xAE; b <= 0xFF; ++b) bs.push_back(b);
  std::vector<int> cs = bs;
  int n = 0;
  for (int b = 0; b < 256; ++b) {
    if (std::find(bs.begin(), bs.end(), b) == bs.end()) {
      bs.push_back(b);
      cs.push_back(256 + n++);
    }
  }
  for (std::size_t i = 0; i < bs.size(); ++i) {
    const auto cp = static_cast<std::uint32_t>(cs[i]);
    std::string s;
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    out[static_cast<std::size_t>(bs[i])] = s;
  }
  return out;
}

using Pair = std::uint64_t;
Pair make_pair_key(std::int32_t a, std::int32_t b) {
  return (static_cast<Pair>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b);
}
std::int32_t first_of(Pair p) { return static_cast<std::int32_t>(p >> 32); }
std::int32_t second_of(Pair p) { return static_cast<std::int32_t>(p & 0xFFFFFFFFu); }

struct Word {
  std::vector<std::int32_t> symbols;
  std::int64_t count = 0;
};

}  // namespace

BpeTrainResult train_byte_level_bpe(const std::vector<std::string>& texts, const BpeTrainerOptions& opt) {
  const auto n_special = static_cast<std::int64_t>(opt.special_tokens.size());
  if (opt.vocab_size < n_special + 256)
    fail("train-tokenizer: --vocab-size {} is smaller than 256 bytes + {} special tokens", opt.vocab_size, n_special);

  // 1. Pre-tokenize and count words (as byte strings).
  Regex re(kGpt2Pattern, "bpe trainer regex");
  std::unordered_map<std::string, std::int64_t> counts;
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (const std::string& t : texts) {
    spans.clear();
    re.find_all(t, spans);
    for (auto [b, e] : spans) counts[t.substr(b, e - b)]++;
  }

  // 2. Symbols: ids [0, n_special) specials, then the 256 bytes in byte order, then merges.
  const auto alphabet = byte_alphabet();
  std::vector<std::string> token_text;  // id -> byte-level string
  for (const auto& s : opt.special_tokens) token_text.push_back(s);
  for (int b = 0; b < 256; ++b) token_text.push_back(alphabet[static_cast<std::size_t>(b)]);
  const auto byte_id = [&](unsigned char c) { return static_cast<std::int32_t>(n_special + c); };

  std::vector<Word> words;
  words.reserve(counts.size());
  std::vector<std::string> sorted_keys;
  for (auto& [w, c] : counts) sorted_keys.push_back(w);
  std::sort(sorted_keys.begin(), sorted_keys.end());  // deterministic
  for (const auto& w : sorted_keys) {
    Word word;
    word.count = counts[w];
    for (unsigned char c : w) word.symbols.push_back(byte_id(c));
    words.push_back(std::move(word));
  }

  // 3. Pair statistics.
  std::unordered_map<Pair, std::int64_t> pair_count;
  std::unordered_map<Pair, std::unordered_set<std::uint32_t>> where;
  for (std::uint32_t wi = 0; wi < words.size(); ++wi) {
    const auto& s = words[wi].symbols;
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
      Pair p = make_pair_key(s[i], s[i + 1]);
      pair_count[p] += words[wi].count;
      where[p].insert(wi);
    }
  }
  // Max-heap by (count, smallest pair); entries may be stale and are re-checked when popped.
  using Item = std::pair<std::int64_t, Pair>;
  auto cmp = [](const Item& a, const Item& b) { return a.first != b.first ? a.first < b.first : a.second > b.second; };
  std::priority_queue<Item, std::vector<Item>, decltype(cmp)> heap(cmp);
  for (auto& [p, c] : pair_count) heap.push({c, p});

  std::vector<std::pair<std::int32_t, std::int32_t>> merges;
  const std::int64_t target_merges = opt.vocab_size - n_special - 256;
  std::unordered_map<std::string, std::int32_t> text_to_id;
  for (std::size_t i = 0; i < token_text.size(); ++i) text_to_id.emplace(token_text[i], static_cast<std::int32_t>(i));
  while (static_cast<std::int64_t>(token_text.size()) < opt.vocab_size && !heap.empty()) {
    auto [c, p] = heap.top();
    heap.pop();
    auto it = pair_count.find(p);
    const std::int64_t actual = it == pair_count.end() ? 0 : it->second;
    if (actual != c) {
      if (actual > 0) heap.push({actual, p});
      continue;
    }
    if (c < opt.min_frequency) break;
    const std::int32_t a = first_of(p), b = second_of(p);
    // Two merges can spell the same string ("ab"+"c", "a"+"bc"): they share one id, as in HF.
    std::string merged = token_text[static_cast<std::size_t>(a)] + token_text[static_cast<std::size_t>(b)];
    auto [tid, is_new] = text_to_id.emplace(merged, static_cast<std::int32_t>(token_text.size()));
    const std::int32_t new_id = tid->second;
    if (is_new) token_text.push_back(std::move(merged));
    merges.emplace_back(a, b);
    std::unordered_map<Pair, std::int64_t> touched;
    std::vector<std::uint32_t> ws(where[p].begin(), where[p].end());
    std::sort(ws.begin(), ws.end());
    for (std::uint32_t wi : ws) {
      auto& s = words[wi].symbols;
      const std::int64_t wc = words[wi].count;
      std::vector<std::int32_t> out;
      out.reserve(s.size());
      for (std::size_t i = 0; i < s.size();) {
        if (i + 1 < s.size() && s[i] == a && s[i + 1] == b) {
          // Remove the pairs around the merged occurrence, add the new ones.
          if (!out.empty()) {
            touched[make_pair_key(out.back(), a)] -= wc;
            touched[make_pair_key(out.back(), new_id)] += wc;
          }
          if (i + 2 < s.size()) {
            touched[make_pair_key(b, s[i + 2])] -= wc;
            touched[make_pair_key(new_id, s[i + 2])] += wc;
          }
          out.push_back(new_id);
          i += 2;
        } else {
          out.push_back(s[i]);
          ++i;
        }
      }
      s = std::move(out);
      for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        Pair q = make_pair_key(s[i], s[i + 1]);
        if (first_of(q) == new_id || second_of(q) == new_id) where[q].insert(wi);
      }
    }
    pair_count.erase(p);
    where.erase(p);
    for (auto& [q, delta] : touched) {
      if (delta == 0) continue;
      std::int64_t& v = pair_count[q];
      v += delta;
      if (v <= 0) {
        pair_count.erase(q);
      } else if (delta > 0) {
        heap.push({v, q});
      }
    }
    if (opt.progress && merges.size() % 64 == 0) opt.progress(static_cast<std::int64_t>(merges.size()), target_merges);
  }

  // 4. tokenizer.json
  using ojson = nlohmann::ordered_json;
  ojson added = ojson::array();
  for (std::int64_t i = 0; i < n_special; ++i)
    added.push_back(ojson{{"id", i},
                          {"content", opt.special_tokens[static_cast<std::size_t>(i)]},
                          {"single_word", false},
                          {"lstrip", false},
                          {"rstrip", false},
                          {"normalized", false},
                          {"special", true}});
  ojson vocab = ojson::object();
  for (std::size_t i = 0; i < token_text.size(); ++i) vocab[token_text[i]] = i;
  ojson merge_list = ojson::array();
  for (auto [a, b] : merges)
    merge_list.push_back(token_text[static_cast<std::size_t>(a)] + " " + token_text[static_cast<std::size_t>(b)]);
  ojson byte_level{{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}};
  ojson j{{"version", "1.0"},
          {"truncation", nullptr},
          {"padding", nullptr},
          {"added_tokens", added},
          {"normalizer", nullptr},
          {"pre_tokenizer", byte_level},
          {"post_processor", byte_level},
          {"decoder", byte_level},
          {"model", ojson{{"type", "BPE"},
                          {"dropout", nullptr},
                          {"unk_token", nullptr},
                          {"continuing_subword_prefix", nullptr},
                          {"end_of_word_suffix", nullptr},
                          {"fuse_unk", false},
                          {"byte_fallback", false},
                          {"ignore_merges", false},
                          {"vocab", vocab},
                          {"merges", merge_list}}}};
  BpeTrainResult r;
  r.tokenizer_json = j.dump(1);
  r.vocab_size = static_cast<std::int64_t>(token_text.size());
  r.merges = static_cast<std::int64_t>(merges.size());
  r.words = static_cast<std::int64_t>(words.size());
  return r;
}

}  // namespace z2z::tok
