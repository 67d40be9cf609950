// TrieTable — the codebook's child lookup: a flat hash table from (parent handle, next base id) to
// (child handle, child's entry id), built for the codec's one-probe-per-id loops.
//
// Layout: open addressing with linear probing over 16-byte buckets (key, child handle, child's
// entry id), so one probe of a present key touches one cache line, plus an occupancy bitmap (one bit
// per bucket, 1/128 of the table: 64 KB for the 8 MB table of an 80 k-id stream, so it stays in L2).
// Nothing is ever erased. Why the bitmap: a lookup of an ABSENT key (every insert, and every decoded
// code of a canonical stream) ends at the first empty bucket; reading "empty" from the bitmap instead
// of the bucket itself takes an L1/L2 hit instead of a miss into a multi-MB table (the insert that
// follows only stores into the bucket). It also means a new table is never filled: only its bitmap
// is cleared. The table grows at load 1/2; callers that know their size can reserve more room:
// each extra bucket an absent-key lookup walks is a branch on a cache miss, so the encoder and
// decoder keep the load <= 1/4 (docs/benchmarks.md). Memory: one block from util/block_cache
// (recycled per thread, so a codec call that builds and drops a codebook does not fault a fresh
// multi-MB table in every time).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

#include "core/lzw/config.h"

namespace z2z::lzw {

class TrieTable {
 public:
  using Handle = std::uint32_t;
  static constexpr Handle kNone = 0xFFFFFFFFu;

  struct Bucket {
    std::uint64_t key;
    Handle node;
    TokenId code;  // -1: the node is not an entry
  };
  static_assert(sizeof(Bucket) == 16);

  // Result of a lookup: the key's bucket, or the empty bucket it would take.
  struct Probe {
    Handle found;  // kNone if absent
    TokenId code;  // entry id of `found`, -1 if absent or not an entry
    std::size_t bucket;
    std::uint64_t key;
  };

  // The table grows when it would pass 1 key per `buckets_per_key` buckets (2 or more).
  explicit TrieTable(unsigned buckets_per_key = 2) : per_key_(buckets_per_key < 2 ? 2 : buckets_per_key) {}
  unsigned buckets_per_key() const { return per_key_; }
  TrieTable(const TrieTable& other);
  TrieTable& operator=(const TrieTable& other);
  TrieTable(TrieTable&& other) noexcept : per_key_(other.per_key_) { swap(other); }
  TrieTable& operator=(TrieTable&& other) noexcept {
    TrieTable tmp(std::move(other));
    swap(tmp);
    return *this;
  }
  ~TrieTable() { release(); }

  static std::uint64_t key(Handle parent, TokenId token) {
    return (std::uint64_t{parent} << 32) | static_cast<std::uint32_t>(token);
  }

  bool empty() const { return buckets_ == 0; }
  std::size_t size() const { return used_; }  // keys stored
  std::size_t bucket_count() const { return buckets_; }
  // Would one more key exceed the load factor (or is there no table yet)?
  bool full() const { return used_ >= max_used_; }

  Probe probe(std::uint64_t k) const {
    if (buckets_ == 0) return {kNone, -1, 0, k};
    for (std::size_t b = bucket_of(k);; b = (b + 1) & mask_) {
      if (!occupied(b)) return {kNone, -1, b, k};
      const Bucket& e = data_[b];
      if (e.key == k) return {e.node, e.code, b, k};
    }
  }

  // Store a new key in the empty bucket a probe returned (no insert in between).
  void put(const Probe& p, Handle node, TokenId code) {
    data_[p.bucket] = Bucket{p.key, node, code};
    bits_[p.bucket >> 6] |= std::uint64_t{1} << (p.bucket & 63);
    ++used_;
  }
  Bucket& at(std::size_t bucket) { return data_[bucket]; }

  // Grow to at least `buckets` buckets (rounded up to a power of two), keys moved over; no-op if
  // the table is already that big.
  void rehash(std::size_t buckets);
  // Drop every key (keeps nothing allocated).
  void clear() { release(); }

 private:
  std::size_t bucket_of(std::uint64_t k) const {
    return static_cast<std::size_t>((k * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  bool occupied(std::size_t b) const { return (bits_[b >> 6] >> (b & 63)) & 1; }
  static std::size_t bitmap_bytes(std::size_t buckets) { return ((buckets + 63) / 64 * 8 + 63) / 64 * 64; }
  void swap(TrieTable& o) noexcept;
  void release() noexcept;

  std::uint64_t* bits_ = nullptr;  // occupancy, 1 bit per bucket; start of the block (the buckets follow it)
  Bucket* data_ = nullptr;         // buckets whose bit is 0 hold garbage
  std::size_t buckets_ = 0;
  std::size_t mask_ = 0;
  int shift_ = 64;
  std::size_t used_ = 0;
  std::size_t max_used_ = 0;  // buckets_ / per_key_
  unsigned per_key_ = 2;
};

}  // namespace z2z::lzw
