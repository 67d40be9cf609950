// BPE model (HF tokenizers `models/bpe`): vocab + ranked merges, applied to one pre-token.
//
// Merging always applies the lowest-rank adjacent pair, leftmost first — the same result as HF's
// priority queue. Words of up to kSmallWord symbols use a linear scan; longer ones (Gemma-3 and
// Llama-2 hand whole lines or texts to the model) use a binary heap over a linked list of symbols,
// O(n log n). Results are cached per word (WordCache) like HF. Supports: byte-level vocabularies
// (the pre-token arrives as raw bytes, see ByteLevel), ignore_merges (a pre-token found whole in the
// vocab is one token), continuing_subword_prefix / end_of_word_suffix, byte_fallback (<0xNN>
// tokens), unk_token with fuse_unk. Not supported: dropout > 0 (non-deterministic).
//
// Long SentencePiece-style words (Llama-2 and Gemma-3 give BPE a whole text or line) are cut before
// a '▁' when no merge can ever cross that point: a merged symbol's string is the concatenation of
// its parts, so a symbol spanning the cut would contain "X▁" (X = the last character of the symbol
// before the cut); if no vocab token contains "X▁", the two sides merge independently and the
// result is the same as merging the whole word. The set of such X is computed at load time. The
// pieces are then merged and cached like ordinary words.
#include <algorithm>
#include <array>
#include <memory>
#include <unordered_set>

#include <fmt/format.h>

#include "core/tokenizer/flat_map.h"
#include "core/tokenizer/models/model.h"
#include "core/tokenizer/models/word_cache.h"
#include "core/tokenizer/unicode.h"

namespace z2z::tok {
namespace {

constexpr std::size_t kSmallWord = 24;
constexpr std::uint64_t kNoMerge = ~0ull;

struct Sym {
  std::int32_t id;
  std::uint32_t len;
  std::int32_t prev, next;
};
struct HeapItem {
  std::uint64_t key;  // rank << 32 | position (min-heap order: rank, then leftmost)
  std::int32_t new_id;
};
struct HeapGreater {
  bool operator()(const HeapItem& a, const HeapItem& b) const { return a.key > b.key; }
};

class Bpe final : public Model {
 public:
  void tokenize(const Split& split, std::vector<Token>& out) const override;
  std::int32_t token_to_id(std::string_view token) const override { return vocab_.find(token); }
  std::optional<std::string_view> id_to_token(std::int32_t id) const override {
    if (id < 0 || static_cast<std::size_t>(id) >= id_off_.size() || id_off_[id].first == UINT32_MAX)
      return std::nullopt;
    return std::string_view(tok_arena_).substr(id_off_[id].first, id_off_[id].second);
  }
  std::int32_t max_id() const override { return static_cast<std::int32_t>(id_off_.size()) - 1; }
  std::size_t vocab_size() const override { return vocab_.size(); }
  bool byte_fallback() const override { return byte_fallback_; }

  static std::unique_ptr<Bpe> build(const JsonRef& node, TokenizerJson* streamed);

 private:
  // packed (rank << 32 | new_id), or kNoMerge
  std::uint64_t merge_of(std::int32_t a, std::int32_t b) const {
    const std::uint64_t* v =
        merges_.find((static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b));
    return v ? *v : kNoMerge;
  }
  // Pieces of one word (raw bytes when byte_level), through the cache.
  void word_pieces(std::string_view w, bool byte_level, std::vector<WordPiece>& pieces) const;
  bool initial_bytes(std::string_view w, std::vector<WordPiece>& pieces) const;
  void initial_chars(std::string_view w, std::vector<WordPiece>& pieces) const;
  void merge_all(std::vector<WordPiece>& pieces) const;
  // Merge `word` (initial symbols of w) in independent segments cut before safe '▁'s, with the cache.
  void merge_segments(std::string_view w, std::vector<WordPiece>& word, std::vector<WordPiece>& pieces) const;
  void merge_small(std::vector<WordPiece>& pieces) const;
  void merge_large(std::vector<WordPiece>& pieces) const;
  std::int32_t char_id(std::uint32_t cp) const {
    if (cp < 128) return ascii_ids_[cp];
    const std::uint64_t* v = char_ids_.find(cp);
    return v ? static_cast<std::int32_t>(*v) : -1;
  }

  StringIdMap vocab_;
  std::string tok_arena_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> id_off_;  // id -> (offset, length) in tok_arena_
  U64Map merges_;
  std::array<std::int32_t, 128> ascii_ids_{};
  U64Map char_ids_;                               // code point -> id of single-character tokens
  std::array<std::int32_t, 256> byte_ids_{};      // byte -> id of its byte-level character
  std::array<std::int32_t, 256> fallback_ids_{};  // byte -> id of <0xNN>
  StringIdMap raw_vocab_;                         // ignore_merges on raw bytes: byte-decoded vocab
  bool bytes_fast_ = false;                       // every byte has a byte-level token, no prefix/suffix
  // per id: 1 = its string starts with '▁', 2 = its string ends with a character that precedes '▁'
  // inside some vocab token: a cut between symbols a|b is safe when (a & 2) == 0 and (b & 1)
  std::vector<std::uint8_t> meta_flags_;
  std::string prefix_, suffix_;
  std::int32_t unk_id_ = -1;
  bool fuse_unk_ = false, byte_fallback_ = false, ignore_merges_ = false;
  WordCache bytes_cache_, chars_cache_;
};

void Bpe::tokenize(const Split& split, std::vector<Token>& out) const {
  const std::string& w = split.text.text();
  if (w.empty()) return;
  thread_local std::vector<WordPiece> pieces;
  pieces.clear();
  word_pieces(w, split.byte_level, pieces);
  std::size_t pos = 0;
  for (const WordPiece& p : pieces) {
    const std::size_t a = std::min(pos, w.size()), b = std::min(pos + p.len, w.size());
    const auto span = split.text.input_span(a, b);
    out.push_back(Token{p.id, span.first, span.second});
    pos += p.len;
  }
}

void Bpe::word_pieces(std::string_view w, bool byte_level, std::vector<WordPiece>& pieces) const {
  if (byte_level && w.size() == 1 && bytes_fast_) {
    pieces.push_back({byte_ids_[static_cast<unsigned char>(w[0])], 1});
    return;
  }
  if (ignore_merges_) {
    const std::int32_t id = byte_level ? raw_vocab_.find(w) : vocab_.find(w);
    if (id >= 0) {
      pieces.push_back({id, static_cast<std::uint32_t>(w.size())});
      return;
    }
  }
  const bool cacheable = w.size() < WordCache::kMaxWordBytes;
  const std::uint64_t h = cacheable ? hash_bytes(w.data(), w.size()) : 0;
  const WordCache& cache = byte_level ? bytes_cache_ : chars_cache_;
  if (cacheable && cache.get(w, h, pieces)) return;
  const std::size_t first = pieces.size();
  thread_local std::vector<WordPiece> word;
  word.clear();
  if (!byte_level || !initial_bytes(w, word)) {
    if (byte_level) {
      // Slow path: spell the bytes in the byte-level alphabet and tokenize that; then convert the
      // piece lengths (bytes of the spelled string) back to raw bytes (one character per byte).
      std::string spelled;
      for (unsigned char c : w) spelled += byte_to_utf8(c);
      initial_chars(spelled, word);
      merge_all(word);
      std::size_t at = 0;
      for (WordPiece& p : word) {
        const std::size_t chars = utf8_count(std::string_view(spelled).substr(std::min(at, spelled.size()), p.len));
        at += p.len;
        p.len = static_cast<std::uint32_t>(chars);
      }
      pieces.insert(pieces.end(), word.begin(), word.end());
      if (cacheable) cache.put(w, h, pieces.data() + first, pieces.size() - first);
      return;
    }
    initial_chars(w, word);
    if (!meta_flags_.empty() && word.size() > 2 * kSmallWord) {
      merge_segments(w, word, pieces);
      if (cacheable) cache.put(w, h, pieces.data() + first, pieces.size() - first);
      return;
    }
  }
  merge_all(word);
  pieces.insert(pieces.end(), word.begin(), word.end());
  if (cacheable) cache.put(w, h, pieces.data() + first, pieces.size() - first);
}

void Bpe::merge_segments(std::string_view w, std::vector<WordPiece>& word, std::vector<WordPiece>& pieces) const {
  thread_local std::vector<WordPiece> seg;
  std::size_t i = 0, byte = 0;
  const std::size_t n = word.size();
  while (i < n) {
    std::size_t j = i + 1, end = byte + word[i].len;
    while (j < n && !((meta_flags_[static_cast<std::size_t>(word[j - 1].id)] & 2) == 0 &&
                      (meta_flags_[static_cast<std::size_t>(word[j].id)] & 1))) {
      end += word[j].len;
      ++j;
    }
    const std::string_view part = w.substr(byte, end - byte);
    const bool cacheable = part.size() < WordCache::kMaxWordBytes;
    const std::uint64_t h = cacheable ? hash_bytes(part.data(), part.size()) : 0;
    if (!(cacheable && chars_cache_.get(part, h, pieces))) {
      seg.assign(word.begin() + static_cast<std::ptrdiff_t>(i), word.begin() + static_cast<std::ptrdiff_t>(j));
      merge_all(seg);
      pieces.insert(pieces.end(), seg.begin(), seg.end());
      if (cacheable) chars_cache_.put(part, h, seg.data(), seg.size());
    }
    i = j;
    byte = end;
  }
}

bool Bpe::initial_bytes(std::string_view w, std::vector<WordPiece>& word) const {
  if (!bytes_fast_) return false;
  for (unsigned char c : w) word.push_back({byte_ids_[c], 1});
  return true;
}

void Bpe::initial_chars(std::string_view w, std::vector<WordPiece>& word) const {
  const bool plain = prefix_.empty() && suffix_.empty();
  std::int32_t unk = -1;
  std::uint32_t unk_len = 0;
  std::string s;
  for (std::size_t i = 0; i < w.size();) {
    std::uint32_t cp;
    const auto len = static_cast<std::size_t>(utf8_decode(w.data(), w.size(), i, cp));
    const bool is_first = i == 0, is_last = i + len >= w.size();
    std::string_view c = w.substr(i, len);
    std::int32_t id;
    if (plain) {
      id = char_id(cp);
    } else {
      s.clear();
      if (!is_first) s += prefix_;
      s += c;
      if (is_last) s += suffix_;
      id = vocab_.find(s);
      c = s;
    }
    i += len;
    if (id >= 0) {
      if (unk >= 0) {
        word.push_back({unk, unk_len});
        unk = -1;
      }
      word.push_back({id, static_cast<std::uint32_t>(len)});
      continue;
    }
    if (byte_fallback_) {
      bool all = true;
      for (unsigned char b : c) all = all && fallback_ids_[b] >= 0;
      if (all) {
        for (unsigned char b : c) word.push_back({fallback_ids_[b], 1});
        continue;
      }
    }
    if (unk_id_ >= 0) {
      if (unk >= 0 && fuse_unk_) {
        unk_len += static_cast<std::uint32_t>(len);
      } else {
        if (unk >= 0) word.push_back({unk, unk_len});
        unk = unk_id_;
        unk_len = static_cast<std::uint32_t>(len);
      }
    }
  }
  if (unk >= 0) word.push_back({unk, unk_len});
}

void Bpe::merge_all(std::vector<WordPiece>& word) const {
  if (word.size() < 2) return;
  if (word.size() <= kSmallWord)
    merge_small(word);
  else
    merge_large(word);
}

void Bpe::merge_small(std::vector<WordPiece>& word) const {
  std::uint64_t info[kSmallWord];
  std::size_t n = word.size();
  for (std::size_t i = 0; i + 1 < n; ++i) info[i] = merge_of(word[i].id, word[i + 1].id);
  while (n > 1) {
    std::uint64_t best = kNoMerge;
    std::size_t bi = 0;
    for (std::size_t i = 0; i + 1 < n; ++i)
      if (info[i] < best) {  // same rank means the same rule: strict < keeps the leftmost
        best = info[i];
        bi = i;
      }
    if (best == kNoMerge) break;
    word[bi].id = static_cast<std::int32_t>(best & 0xffffffffu);
    word[bi].len += word[bi + 1].len;
    for (std::size_t k = bi + 1; k + 1 < n; ++k) word[k] = word[k + 1];
    for (std::size_t k = bi + 1; k + 2 < n; ++k) info[k] = info[k + 1];
    --n;
    if (bi > 0) info[bi - 1] = merge_of(word[bi - 1].id, word[bi].id);
    if (bi + 1 < n) info[bi] = merge_of(word[bi].id, word[bi + 1].id);
  }
  word.resize(n);
}

void Bpe::merge_large(std::vector<WordPiece>& word) const {
  thread_local std::vector<Sym> syms;
  thread_local std::vector<HeapItem> heap;
  const std::size_t n = word.size();
  syms.resize(n);
  heap.clear();
  for (std::size_t i = 0; i < n; ++i)
    syms[i] = Sym{word[i].id, word[i].len, static_cast<std::int32_t>(i) - 1,
                  i + 1 < n ? static_cast<std::int32_t>(i + 1) : -1};
  auto push = [&](std::size_t pos, std::uint64_t m) {
    heap.push_back(HeapItem{(m & 0xffffffff00000000ull) | pos, static_cast<std::int32_t>(m & 0xffffffffu)});
    std::push_heap(heap.begin(), heap.end(), HeapGreater{});
  };
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const std::uint64_t m = merge_of(syms[i].id, syms[i + 1].id);
    if (m != kNoMerge)
      heap.push_back(HeapItem{(m & 0xffffffff00000000ull) | i, static_cast<std::int32_t>(m & 0xffffffffu)});
  }
  std::make_heap(heap.begin(), heap.end(), HeapGreater{});
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), HeapGreater{});
    const HeapItem top = heap.back();
    heap.pop_back();
    const std::size_t pos = top.key & 0xffffffffu;
    Sym& cur = syms[pos];
    if (cur.len == 0 || cur.next < 0) continue;
    Sym& right = syms[static_cast<std::size_t>(cur.next)];
    const std::uint64_t m = merge_of(cur.id, right.id);
    if (m == kNoMerge || static_cast<std::int32_t>(m & 0xffffffffu) != top.new_id) continue;  // stale entry
    cur.id = top.new_id;
    cur.len += right.len;
    right.len = 0;
    cur.next = right.next;
    if (cur.next >= 0) syms[static_cast<std::size_t>(cur.next)].prev = static_cast<std::int32_t>(pos);
    if (cur.prev >= 0) {
      const std::uint64_t pm = merge_of(syms[static_cast<std::size_t>(cur.prev)].id, cur.id);
      if (pm != kNoMerge) push(static_cast<std::size_t>(cur.prev), pm);
    }
    if (cur.next >= 0) {
      const std::uint64_t nm = merge_of(cur.id, syms[static_cast<std::size_t>(cur.next)].id);
      if (nm != kNoMerge) push(pos, nm);
    }
  }
  word.clear();
  for (std::int32_t i = 0; i >= 0; i = syms[static_cast<std::size_t>(i)].next)
    word.push_back({syms[static_cast<std::size_t>(i)].id, syms[static_cast<std::size_t>(i)].len});
}

std::unique_ptr<Bpe> Bpe::build(const JsonRef& node, TokenizerJson* streamed) {
  auto m = std::make_unique<Bpe>();
  if (auto d = node.find("dropout")) {
    if (!d->json().is_number() || d->json().get<double>() != 0.0)
      node.fail_at("dropout", "unsupported value {} (BPE dropout is non-deterministic; use null)", d->json().dump());
  }
  // vocab
  std::vector<std::pair<std::string, std::int32_t>> local_vocab;
  std::vector<std::pair<std::string, std::int32_t>>* vocab = nullptr;
  if (streamed && streamed->has_vocab) {
    vocab = &streamed->vocab;
  } else {
    const JsonRef v = node.at("vocab");
    if (!v.json().is_object()) v.fail("expected an object {{token: id}}");
    for (const auto& [k, val] : v.json().items()) {
      if (!val.is_number_integer() || val.get<std::int64_t>() < 0)
        v.fail_at(fmt::format("\"{}\"", k), "expected a non-negative integer id");
      if (val.get<std::int64_t>() > kMaxTokenId)
        v.fail_at(fmt::format("\"{}\"", k), "id {} out of range (ids are 0..{})", val.get<std::int64_t>(), kMaxTokenId);
      local_vocab.emplace_back(k, val.get<std::int32_t>());
    }
    vocab = &local_vocab;
  }
  m->vocab_.reserve(vocab->size());
  std::int32_t max_id = -1;
  for (const auto& [k, id] : *vocab) max_id = std::max(max_id, id);  // both readers capped ids at kMaxTokenId
  m->id_off_.assign(static_cast<std::size_t>(max_id + 1), {UINT32_MAX, 0});
  std::size_t arena = 0;
  for (const auto& [k, id] : *vocab) arena += k.size();
  m->tok_arena_.reserve(arena);
  m->ascii_ids_.fill(-1);
  for (const auto& [k, id] : *vocab) {
    m->vocab_.insert(k, id);
    m->id_off_[static_cast<std::size_t>(id)] = {static_cast<std::uint32_t>(m->tok_arena_.size()),
                                                static_cast<std::uint32_t>(k.size())};
    m->tok_arena_ += k;
    if (!k.empty() && static_cast<std::size_t>(utf8_len(static_cast<unsigned char>(k[0]))) == k.size()) {
      std::uint32_t cp;
      utf8_decode(k.data(), k.size(), 0, cp);
      if (cp < 128)
        m->ascii_ids_[cp] = id;
      else
        m->char_ids_.insert(cp, static_cast<std::uint64_t>(id));
    }
  }
  // options
  auto opt_string = [&](const char* key) { return node.has(key) ? node.str(key) : std::string(); };
  m->prefix_ = opt_string("continuing_subword_prefix");
  m->suffix_ = opt_string("end_of_word_suffix");
  m->fuse_unk_ = node.boolean_or("fuse_unk", false);
  m->byte_fallback_ = node.boolean_or("byte_fallback", false);
  m->ignore_merges_ = node.boolean_or("ignore_merges", false);
  if (node.has("unk_token")) {
    const std::string unk = node.str("unk_token");
    m->unk_id_ = m->vocab_.find(unk);
    if (m->unk_id_ < 0) node.fail_at("unk_token", "\"{}\" is not in the vocab", unk);
  }
  for (int b = 0; b < 256; ++b) {
    m->fallback_ids_[b] = m->vocab_.find(fmt::format("<0x{:02X}>", b));
    m->byte_ids_[b] = m->vocab_.find(byte_to_utf8(static_cast<unsigned char>(b)));
  }
  m->bytes_fast_ = m->prefix_.empty() && m->suffix_.empty() &&
                   std::all_of(m->byte_ids_.begin(), m->byte_ids_.end(), [](std::int32_t id) { return id >= 0; });
  // '▁' cut points (see the file comment): characters that precede '▁' inside a vocab token
  {
    static const std::string kMeta = "\xE2\x96\x81";
    std::unordered_set<std::uint32_t> before_meta;
    bool any_meta = false;
    for (const auto& [k, id] : *vocab) {
      for (std::size_t p = k.find(kMeta); p != std::string::npos; p = k.find(kMeta, p + 1)) {
        any_meta = true;
        if (p == 0) continue;
        std::size_t q = p - 1;
        while (q > 0 && (static_cast<unsigned char>(k[q]) & 0xC0) == 0x80) --q;
        std::uint32_t cp;
        utf8_decode(k.data(), k.size(), q, cp);
        before_meta.insert(cp);
      }
    }
    if (any_meta && m->prefix_.empty() && m->suffix_.empty()) {
      m->meta_flags_.assign(static_cast<std::size_t>(max_id + 1), 0);
      for (const auto& [k, id] : *vocab) {
        std::uint8_t f = k.compare(0, kMeta.size(), kMeta) == 0 ? 1 : 0;
        if (!k.empty()) {
          std::size_t q = k.size() - 1;
          while (q > 0 && (static_cast<unsigned char>(k[q]) & 0xC0) == 0x80) --q;
          std::uint32_t cp;
          utf8_decode(k.data(), k.size(), q, cp);
          if (before_meta.count(cp)) f |= 2;
        }
        m->meta_flags_[static_cast<std::size_t>(id)] = f;
      }
    }
  }
  if (m->ignore_merges_ && m->bytes_fast_) {
    m->raw_vocab_.reserve(vocab->size());
    std::string raw;
    for (const auto& [k, id] : *vocab)
      if (byte_level_decode(k, raw)) m->raw_vocab_.insert(raw, id);
  }
  // merges: (left, right) -> (rank, id of left+right); a repeated pair keeps its last rank (as HF)
  std::vector<std::pair<std::string, std::string>> local_merges;
  std::vector<std::pair<std::string, std::string>>* merges = nullptr;
  if (streamed && streamed->has_merges) {
    merges = &streamed->merges;
  } else if (auto mj = node.find("merges")) {
    for (std::size_t i = 0; i < mj->array_size(); ++i) {
      const JsonRef e = mj->at(i);
      if (e.json().is_string()) {
        const std::string s = e.as_string();
        const auto sp = s.find(' ');
        if (sp == std::string::npos || s.find(' ', sp + 1) != std::string::npos) e.fail("expected \"left right\"");
        local_merges.emplace_back(s.substr(0, sp), s.substr(sp + 1));
      } else if (e.json().is_array() && e.json().size() == 2) {
        local_merges.emplace_back(e.at(0).as_string(), e.at(1).as_string());
      } else {
        e.fail("expected \"left right\" or [\"left\", \"right\"]");
      }
    }
    merges = &local_merges;
  }
  if (merges) {
    m->merges_.reserve(merges->size());
    std::string joined;
    for (std::size_t r = merges->size(); r-- > 0;) {
      const auto& [a, b] = (*merges)[r];
      const std::int32_t ia = m->vocab_.find(a), ib = m->vocab_.find(b);
      if (ia < 0) node.fail_at(fmt::format("merges[{}]", r), "\"{}\" is not in the vocab", a);
      if (ib < 0) node.fail_at(fmt::format("merges[{}]", r), "\"{}\" is not in the vocab", b);
      joined.assign(a);
      joined.append(b, std::min(m->prefix_.size(), b.size()), std::string::npos);
      const std::int32_t nid = m->vocab_.find(joined);
      if (nid < 0) node.fail_at(fmt::format("merges[{}]", r), "\"{}\" (the merged token) is not in the vocab", joined);
      m->merges_.insert(
          (static_cast<std::uint64_t>(static_cast<std::uint32_t>(ia)) << 32) | static_cast<std::uint32_t>(ib),
          (static_cast<std::uint64_t>(r) << 32) | static_cast<std::uint32_t>(nid));
    }
  }
  return m;
}

}  // namespace

ModelPtr bpe_from_json(const JsonRef& node, TokenizerJson* streamed) { return Bpe::build(node, streamed); }

}  // namespace z2z::tok
