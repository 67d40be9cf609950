// Codebook: trie + arena implementation. See codebook.h for the layout.
#include "core/lzw/codebook.h"

#include <bit>
#include <cassert>

#include "core/util/error.h"

namespace z2z::lzw {

namespace {
constexpr std::size_t kInitialBuckets = 64;
// A received id more than this far past the dense slot table goes to the sparse map instead of
// growing the table (protects against `[1, 2, 2000000000]`-style streams).
constexpr std::int64_t kMaxDenseJump = 1 << 16;
}  // namespace

Codebook::Codebook(std::int64_t initial_vocab_size, unsigned buckets_per_entry)
    : v_(initial_vocab_size), table_(buckets_per_entry) {
  if (v_ <= 0 || v_ >= std::int64_t{kNone}) fail("codebook: initial_vocab_size out of range: {}", v_);
  clear();
}

void Codebook::clear() {
  nodes_.clear();
  table_.clear();  // allocated on the first insert
  arena_.clear();
  arena_size_ = 0;
  dense_.clear();
  dense_size_ = 0;
  sparse_.clear();
  entry_count_ = 0;
}

void Codebook::reserve(std::size_t n) {
  // Room for n entries at the table's load, but at most for 2^20 up front (a huge input does not
  // commit hundreds of MB before it has made that many entries; the table grows from there).
  const std::size_t keys = std::min<std::size_t>(n, std::size_t{1} << 20);
  std::size_t want = std::bit_ceil(std::max<std::size_t>(kInitialBuckets, table_.buckets_per_key() * keys + 2));
  table_.rehash(want);  // no-op if the table is already that big
  nodes_.reserve(n);
  if (n > dense_.size()) dense_.resize(n);
  if (n * 3 + kSlack > arena_.size()) arena_.resize(n * 3 + kSlack);
}

void Codebook::grow_arena(std::size_t len) {
  arena_.resize(std::max(arena_.size() * 2, arena_size_ + len + kSlack + 64));
}

void Codebook::append_arena(std::span<const TokenId> seq) {
  reserve_arena(seq.size());
  std::copy(seq.begin(), seq.end(), arena_.begin() + static_cast<std::ptrdiff_t>(arena_size_));
  arena_size_ += seq.size();
}

const Codebook::Slot* Codebook::sparse_lookup(std::int64_t slot) const {
  auto it = sparse_.find(slot);
  return it == sparse_.end() ? nullptr : &it->second;
}

Codebook::Slot* Codebook::slot_for_insert(std::int64_t id) {
  std::int64_t s = id - v_;
  assert(s >= 0);
  auto n = static_cast<std::int64_t>(dense_size_);
  if (s < n) return &dense_[static_cast<std::size_t>(s)];
  if (s - n > kMaxDenseJump) return &sparse_[s];
  const auto us = static_cast<std::size_t>(s);
  if (us >= dense_.size()) dense_.resize(std::max<std::size_t>(64, 2 * us));      // not initialized
  for (std::size_t g = dense_size_; g <= us; ++g) dense_[g] = Slot{0, 0, kNone};  // skipped ids: empty
  dense_size_ = us + 1;
  // Migrate sparse entries now covered by the dense table.
  while (!sparse_.empty() && sparse_.begin()->first <= s) {
    dense_[static_cast<std::size_t>(sparse_.begin()->first)] = sparse_.begin()->second;
    sparse_.erase(sparse_.begin());
  }
  return &dense_[us];
}

std::span<const TokenId> Codebook::expansion(std::int64_t id) const {
  const Slot* s = slot_of(id);
  return s ? span_of(*s) : std::span<const TokenId>{};
}

Codebook::Handle Codebook::node_of_id(std::int64_t id) const {
  const Slot* s = slot_of(id);
  return s ? s->node : kNone;
}

Codebook::Handle Codebook::find(std::span<const TokenId> seq) const {
  if (seq.empty() || seq[0] < 0 || seq[0] >= v_) return kNone;
  Handle node = static_cast<Handle>(seq[0]);
  for (std::size_t i = 1; i < seq.size() && node != kNone; ++i) node = child(node, seq[i]);
  return node;
}

std::size_t Codebook::child_or_create(Handle parent, TokenId token) {
  TrieTable::Probe p = table_.probe(TrieTable::key(parent, token));
  if (p.found != kNone) return p.bucket;
  if (table_.full()) {  // keep the table's load factor (also allocates the first table)
    table_.rehash(std::max(kInitialBuckets, 2 * table_.bucket_count()));
    p = table_.probe(p.key);
  }
  if (nodes_.size() + static_cast<std::size_t>(v_) >= kNone - 1) fail("codebook: too many trie nodes");
  auto h = static_cast<Handle>(static_cast<std::size_t>(v_) + nodes_.size());
  nodes_.push_back(-1);
  table_.put(p, h, -1);
  return p.bucket;
}

Codebook::Handle Codebook::insert_child(Handle prefix_node, std::span<const TokenId> seq, TokenId id) {
  assert(seq.size() >= 2);
  const std::size_t b = child_or_create(prefix_node, seq.back());
  const Handle node = table_.at(b).node;
  table_.at(b).code = id;
  nodes_[node - v_] = id;
  reserve_arena(seq.size());  // before slot_for_insert: the slot pointer stays valid
  Slot* slot = slot_for_insert(id);
  assert(slot->len == 0);
  slot->offset = static_cast<std::uint32_t>(arena_size_);
  slot->len = static_cast<std::uint32_t>(seq.size());
  slot->node = node;
  append_arena(seq);
  ++entry_count_;
  return node;
}

Codebook::Handle Codebook::insert(std::span<const TokenId> seq, TokenId id) {
  assert(seq.size() >= 2 && seq[0] >= 0 && seq[0] < v_);
  Handle node = static_cast<Handle>(seq[0]);
  for (std::size_t i = 1; i + 1 < seq.size(); ++i) node = table_.at(child_or_create(node, seq[i])).node;
  return insert_child(node, seq, id);
}

std::vector<std::pair<TokenId, std::vector<TokenId>>> Codebook::entries() const {
  std::vector<std::pair<TokenId, std::vector<TokenId>>> out;
  out.reserve(entry_count_);
  for_each_entry(
      [&](TokenId id, std::span<const TokenId> e) { out.emplace_back(id, std::vector<TokenId>(e.begin(), e.end())); });
  return out;
}

}  // namespace z2z::lzw
