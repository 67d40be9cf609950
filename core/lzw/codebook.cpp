// Codebook: trie + arena implementation. See codebook.h for the layout.
#include "core/lzw/codebook.h"

#include <cassert>

#include "core/util/error.h"

namespace z2z::lzw {

namespace {
constexpr std::size_t kInitialBuckets = 1024;
// A received id more than this far past the dense slot table goes to the sparse map instead of
// growing the table (protects against `[1, 2, 2000000000]`-style streams).
constexpr std::int64_t kMaxDenseJump = 1 << 16;
}  // namespace

Codebook::Codebook(std::int64_t initial_vocab_size) : v_(initial_vocab_size) {
  if (v_ <= 0 || v_ >= std::int64_t{kNone}) fail("codebook: initial_vocab_size out of range: {}", v_);
  clear();
}

void Codebook::clear() {
  nodes_.clear();
  keys_.assign(kInitialBuckets, kEmptyKey);
  values_.assign(kInitialBuckets, kNone);
  shift_ = 64 - 10;
  used_ = 0;
  arena_.clear();
  dense_.clear();
  sparse_.clear();
  entry_count_ = 0;
}

const Codebook::Slot* Codebook::slot_of(std::int64_t id) const {
  std::int64_t s = id - v_;
  if (s < 0) return nullptr;
  if (s < static_cast<std::int64_t>(dense_.size())) {
    const Slot& slot = dense_[static_cast<std::size_t>(s)];
    return slot.len ? &slot : nullptr;
  }
  if (sparse_.empty()) return nullptr;
  auto it = sparse_.find(s);
  return it == sparse_.end() ? nullptr : &it->second;
}

Codebook::Slot* Codebook::slot_for_insert(std::int64_t id) {
  std::int64_t s = id - v_;
  assert(s >= 0);
  auto n = static_cast<std::int64_t>(dense_.size());
  if (s < n) return &dense_[static_cast<std::size_t>(s)];
  if (s - n > kMaxDenseJump) return &sparse_[s];
  dense_.resize(static_cast<std::size_t>(s) + 1);
  // Migrate sparse entries now covered by the dense table.
  while (!sparse_.empty() && sparse_.begin()->first <= s) {
    dense_[static_cast<std::size_t>(sparse_.begin()->first)] = sparse_.begin()->second;
    sparse_.erase(sparse_.begin());
  }
  return &dense_[static_cast<std::size_t>(s)];
}

std::span<const TokenId> Codebook::expansion(std::int64_t id) const {
  const Slot* s = slot_of(id);
  return s ? span_of(*s) : std::span<const TokenId>{};
}

Codebook::Handle Codebook::node_of_id(std::int64_t id) const {
  const Slot* s = slot_of(id);
  return s ? s->node : kNone;
}

Codebook::Handle Codebook::child(Handle node, TokenId token) const {
  if (node == kNone) return kNone;
  const std::uint64_t k = key(node, token);
  const std::size_t mask = keys_.size() - 1;
  for (std::size_t b = bucket(k);; b = (b + 1) & mask) {
    const std::uint64_t kb = keys_[b];
    if (kb == k) return values_[b];
    if (kb == kEmptyKey) return kNone;
  }
}

Codebook::Handle Codebook::find(std::span<const TokenId> seq) const {
  if (seq.empty() || seq[0] < 0 || seq[0] >= v_) return kNone;
  Handle node = static_cast<Handle>(seq[0]);
  for (std::size_t i = 1; i < seq.size() && node != kNone; ++i) node = child(node, seq[i]);
  return node;
}

void Codebook::grow_table() {
  std::vector<std::uint64_t> old_keys = std::move(keys_);
  std::vector<Handle> old_values = std::move(values_);
  keys_.assign(old_keys.size() * 2, kEmptyKey);
  values_.assign(old_keys.size() * 2, kNone);
  shift_ -= 1;
  const std::size_t mask = keys_.size() - 1;
  for (std::size_t i = 0; i < old_keys.size(); ++i) {
    if (old_keys[i] == kEmptyKey) continue;
    std::size_t b = bucket(old_keys[i]);
    while (keys_[b] != kEmptyKey) b = (b + 1) & mask;
    keys_[b] = old_keys[i];
    values_[b] = old_values[i];
  }
}

Codebook::Handle Codebook::child_or_create(Handle parent, TokenId token) {
  const std::uint64_t k = key(parent, token);
  std::size_t mask = keys_.size() - 1;
  std::size_t b = bucket(k);
  for (;; b = (b + 1) & mask) {
    if (keys_[b] == k) return values_[b];
    if (keys_[b] == kEmptyKey) break;
  }
  if ((used_ + 1) * 2 > keys_.size()) {  // keep load factor <= 1/2
    grow_table();
    mask = keys_.size() - 1;
    for (b = bucket(k); keys_[b] != kEmptyKey; b = (b + 1) & mask) {
    }
  }
  if (nodes_.size() + static_cast<std::size_t>(v_) >= kNone) fail("codebook: too many trie nodes");
  auto h = static_cast<Handle>(static_cast<std::size_t>(v_) + nodes_.size());
  nodes_.push_back(Node{-1});
  keys_[b] = k;
  values_[b] = h;
  ++used_;
  return h;
}

Codebook::Handle Codebook::insert_child(Handle prefix_node, std::span<const TokenId> seq, TokenId id) {
  assert(seq.size() >= 2);
  Handle node = child_or_create(prefix_node, seq.back());
  Slot* slot = slot_for_insert(id);
  assert(slot->len == 0);
  slot->offset = static_cast<std::uint32_t>(arena_.size());
  slot->len = static_cast<std::uint32_t>(seq.size());
  slot->node = node;
  arena_.insert(arena_.end(), seq.begin(), seq.end());
  nodes_[node - v_].code = id;
  ++entry_count_;
  return node;
}

Codebook::Handle Codebook::insert(std::span<const TokenId> seq, TokenId id) {
  assert(seq.size() >= 2 && seq[0] >= 0 && seq[0] < v_);
  Handle node = static_cast<Handle>(seq[0]);
  for (std::size_t i = 1; i + 1 < seq.size(); ++i) node = child_or_create(node, seq[i]);
  return insert_child(node, seq, id);
}

std::vector<std::pair<TokenId, std::vector<TokenId>>> Codebook::entries() const {
  std::vector<std::pair<TokenId, std::vector<TokenId>>> out;
  out.reserve(entry_count_);
  for_each_entry([&](TokenId id, std::span<const TokenId> e) { out.emplace_back(id, std::vector<TokenId>(e.begin(), e.end())); });
  return out;
}

}  // namespace z2z::lzw
