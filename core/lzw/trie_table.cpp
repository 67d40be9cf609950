// TrieTable: allocation (64-byte aligned blocks from util/block_cache) and rehash.
#include "core/lzw/trie_table.h"

#include <cstring>
#include <utility>

#include "core/util/block_cache.h"

namespace z2z::lzw {

TrieTable::TrieTable(const TrieTable& other) : per_key_(other.per_key_) {
  if (other.buckets_ == 0) return;
  rehash(other.buckets_);  // empty table of the same size; then copy bitmap and buckets verbatim
  std::memcpy(bits_, other.bits_, bitmap_bytes(buckets_));
  for (std::size_t b = 0; b < buckets_; ++b)
    if (occupied(b)) data_[b] = other.data_[b];
  used_ = other.used_;
}

TrieTable& TrieTable::operator=(const TrieTable& other) {
  if (this != &other) {
    TrieTable tmp(other);
    swap(tmp);
  }
  return *this;
}

void TrieTable::swap(TrieTable& o) noexcept {
  std::swap(bits_, o.bits_);
  std::swap(data_, o.data_);
  std::swap(buckets_, o.buckets_);
  std::swap(mask_, o.mask_);
  std::swap(shift_, o.shift_);
  std::swap(used_, o.used_);
  std::swap(max_used_, o.max_used_);
  std::swap(per_key_, o.per_key_);
}

void TrieTable::release() noexcept {
  util::release_block(bits_);
  bits_ = nullptr;
  data_ = nullptr;
  buckets_ = 0;
  mask_ = 0;
  shift_ = 64;
  used_ = 0;
  max_used_ = 0;
}

void TrieTable::rehash(std::size_t buckets) {
  buckets = std::bit_ceil(std::max<std::size_t>(buckets, 16));
  if (buckets <= buckets_) return;
  const std::size_t map_bytes = bitmap_bytes(buckets);
  auto* block = static_cast<unsigned char*>(util::acquire_block(map_bytes + buckets * sizeof(Bucket)));
  std::memset(block, 0, map_bytes);  // every bucket empty; the buckets themselves are not touched

  TrieTable old(per_key_);
  swap(old);
  bits_ = reinterpret_cast<std::uint64_t*>(block);
  data_ = reinterpret_cast<Bucket*>(block + map_bytes);
  buckets_ = buckets;
  mask_ = buckets - 1;
  shift_ = 64 - std::countr_zero(buckets);
  max_used_ = buckets / per_key_;
  for (std::size_t b = 0; b < old.buckets_; ++b) {
    if (!old.occupied(b)) continue;
    const Bucket& e = old.data_[b];
    const Probe p = probe(e.key);
    put(p, e.node, e.code);
  }
}

}  // namespace z2z::lzw
