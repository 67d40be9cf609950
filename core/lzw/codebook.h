// Codebook — the bijection (sequence of 2..S base ids) <-> hypertoken id of the zip2zip LZW codec
// (reference §1.2), built for speed: no vector hashing on the hot path.
//
// Storage:
//  * a trie over base ids. A sequence is a node handle: handles < V are the single base tokens,
//    handles >= V index `nodes_`. Children are found in one flat hash table keyed by (parent handle,
//    next base id) (`TrieTable`, trie_table.h); a bucket holds the key, the child's handle and the
//    child's entry id, so one probe answers "which node, and is it an entry (under which id)". A node
//    may exist without being an entry (the decoder can create entries whose proper prefixes are not
//    entries, §1.2).
//  * expansions of all entries in one arena (`arena_`), addressed per slot (id - V). The arena and
//    the slot table keep some uninitialized room past their logical end (`arena_size_`, `dense_size_`),
//    so the codec can copy expansions in fixed 16-byte chunks and append without reallocating.
//  * hypertoken ids normally arrive in order; ids far ahead of the dense slot table (the decoder's
//    "trust the received id" branch, §1.4 item 5) go to a small sparse map.
// Not thread-safe; one codebook per stream.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <span>
#include <utility>
#include <vector>

#include "core/lzw/config.h"
#include "core/lzw/trie_table.h"
#include "core/util/block_cache.h"

namespace z2z::lzw {

class Codebook {
 public:
  using Handle = TrieTable::Handle;
  static constexpr Handle kNone = TrieTable::kNone;
  // Room kept past the arena's logical end: copy_small() may read/write up to 3 ids past a sequence.
  static constexpr std::size_t kSlack = 8;

  // buckets_per_entry: room of the probe table (TrieTable); the codec asks for 4 (see trie_table.h).
  explicit Codebook(std::int64_t initial_vocab_size, unsigned buckets_per_entry = 2);

  std::int64_t V() const { return v_; }
  std::size_t size() const { return entry_count_; }  // number of entries
  void clear();

  // --- id side ------------------------------------------------------------------------------
  bool contains_id(std::int64_t id) const { return slot_of(id) != nullptr; }
  // Base ids of entry `id` (empty span if `id` is not an entry).
  std::span<const TokenId> expansion(std::int64_t id) const;
  // Trie node of entry `id`, kNone if absent.
  Handle node_of_id(std::int64_t id) const;

  // --- sequence side (trie) -------------------------------------------------------------------
  // Child of `node` by base id `token`; kNone if absent or if node is kNone.
  Handle child(Handle node, TokenId token) const {
    if (node == kNone) return kNone;
    return probe(node, token).found;
  }
  // Node of a whole sequence (length >= 1, base ids < V), kNone if no entry has it as prefix.
  Handle find(std::span<const TokenId> seq) const;
  // Entry id stored at a node, -1 if the node is not an entry (single tokens are never entries).
  TokenId code_of(Handle node) const { return node < v_ ? -1 : nodes_[node - v_]; }
  bool is_entry(Handle node) const { return node != kNone && node >= v_ && nodes_[node - v_] >= 0; }
  bool contains(std::span<const TokenId> seq) const { return is_entry(find(seq)); }

  // One probe for "child or where it would go", for the codec's lookup-then-insert.
  using Probe = TrieTable::Probe;  // found, code, bucket (the key's or the empty one it would take), key
  Probe probe(Handle node, TokenId token) const { return table_.probe(TrieTable::key(node, token)); }
  // Insert seq = (sequence of prefix_node) + token as entry `id`, after probe(prefix_node, token)
  // returned p with p.code < 0 (not an entry; no insert in between). seq.data() must have 3 more
  // readable ids past its end (the codec's buffers do; see copy_small).
  Handle insert_probed(const Probe& p, Handle prefix_node, std::span<const TokenId> seq, TokenId id) {
    const auto s = static_cast<std::size_t>(id - v_);
    const std::size_t len = seq.size();
    if (p.found == kNone && !table_.full() && s == dense_size_ && s < dense_.size() &&
        arena_size_ + len + kSlack <= arena_.size()) [[likely]] {
      // Fast path: a new node, the next dense slot, arena room available.
      const auto h = static_cast<Handle>(static_cast<std::size_t>(v_) + nodes_.size());
      nodes_.push_back(id);
      table_.put(p, h, id);
      dense_[s] = Slot{static_cast<std::uint32_t>(arena_size_), static_cast<std::uint32_t>(len), h};
      ++dense_size_;
      copy_small(arena_.data() + arena_size_, seq.data(), len);
      arena_size_ += len;
      ++entry_count_;
      return h;
    }
    return insert_child(prefix_node, seq, id);  // slow path: grows what needs growing, re-probes
  }

  // Pre-size for about n entries (avoids rehashing while a stream of known length is encoded).
  void reserve(std::size_t n);
  // Make sure one more entry of up to `len` ids can be stored without moving the arena, so spans
  // returned by expansion() stay valid across that insert.
  void reserve_arena(std::size_t len) {
    if (arena_size_ + len + kSlack > arena_.size()) grow_arena(len);
  }

  // Insert `seq` (length >= 2, base ids < V) as entry `id`; returns the node of `seq`.
  // Precondition (checked by callers): no entry holds `id` yet. If `seq` is already an entry
  // under another id, both ids expand to `seq` and lookups by sequence return the newer id
  // (the reference's behaviour for its "trust the received id" branch).
  Handle insert(std::span<const TokenId> seq, TokenId id);
  // Faster insert when the node of seq[0..n-1] is known: seq = prefix + token.
  Handle insert_child(Handle prefix_node, std::span<const TokenId> seq, TokenId id);
  // Same, but `prefix_node` may be kNone (prefix not in the trie): falls back to insert().
  Handle insert_at(Handle prefix_node, std::span<const TokenId> seq, TokenId id) {
    return prefix_node == kNone ? insert(seq, id) : insert_child(prefix_node, seq, id);
  }

  // Entries sorted by id: (id, expansion).
  std::vector<std::pair<TokenId, std::vector<TokenId>>> entries() const;
  template <typename F>
  void for_each_entry(F&& f) const {  // f(id, span) in id order
    for (std::size_t s = 0; s < dense_size_; ++s)
      if (dense_[s].len) f(static_cast<TokenId>(v_ + static_cast<std::int64_t>(s)), span_of(dense_[s]));
    for (const auto& [s, slot] : sparse_) f(static_cast<TokenId>(v_ + s), span_of(slot));
  }

  // --- codec internals ------------------------------------------------------------------------
  // Expansion of entry `id` as (pointer, length, node) without building a span; data is nullptr
  // if `id` is not an entry. The pointer has kSlack readable ids after the expansion.
  struct EntryRef {
    const TokenId* data;
    std::uint32_t len;
    Handle node;
  };
  EntryRef entry_ref(std::int64_t id) const {
    const Slot* s = slot_of(id);
    if (!s) return {nullptr, 0, kNone};
    return {arena_.data() + s->offset, s->len, s->node};
  }
  // Copy n ids in 16-byte chunks: may read and write up to 3 ids past n (both sides need room).
  static void copy_small(TokenId* dst, const TokenId* src, std::size_t n) {
    for (std::size_t k = 0; k < n; k += 4) std::memcpy(dst + k, src + k, 4 * sizeof(TokenId));
  }

 private:
  struct Slot {  // trivial: dense_ room past dense_size_ is left uninitialized (slots below it are set)
    std::uint32_t offset;
    std::uint32_t len;  // 0 = empty
    Handle node;
  };

  const Slot* slot_of(std::int64_t id) const {
    const std::int64_t s = id - v_;
    if (s < 0) return nullptr;
    if (s < static_cast<std::int64_t>(dense_size_)) {
      const Slot& slot = dense_[static_cast<std::size_t>(s)];
      return slot.len ? &slot : nullptr;
    }
    return sparse_.empty() ? nullptr : sparse_lookup(s);
  }
  const Slot* sparse_lookup(std::int64_t slot) const;
  Slot* slot_for_insert(std::int64_t id);
  std::span<const TokenId> span_of(const Slot& s) const { return {arena_.data() + s.offset, s.len}; }
  // Bucket of the child (parent, token), created (as a non-entry node) if absent.
  std::size_t child_or_create(Handle parent, TokenId token);
  void grow_arena(std::size_t len);
  void append_arena(std::span<const TokenId> seq);

  std::int64_t v_;
  std::vector<TokenId, util::CachedBlockAllocator<TokenId>> nodes_;  // entry id of node V+i, -1 if not an entry
  TrieTable table_;                                                  // (parent, token) -> (child, entry id)
  // size() is the allocated room; arena_size_ ids are in use. Room past that is not initialized: copy_small
  // may copy (memcpy) a few ids of it into the slack of other buffers, never read as ids.
  std::vector<TokenId, util::CachedBlockAllocator<TokenId>> arena_;
  std::size_t arena_size_ = 0;
  std::vector<Slot, util::CachedBlockAllocator<Slot>>
      dense_;  // size() is the allocated room; dense_size_ slots are in use
  std::size_t dense_size_ = 0;
  std::map<std::int64_t, Slot> sparse_;
  std::size_t entry_count_ = 0;
};

}  // namespace z2z::lzw
