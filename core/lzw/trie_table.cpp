// TrieTable: allocation (64-byte aligned blocks from util/block_cache) and rehash.
#include "core/lzw/trie_table.h"

#include <cstring>
#include <utility>

#include "core/util/block_cache.h"

namespace z2z::lzw {

TrieTable::TrieTable(const TrieTable& other) : per_key_(other.per_key_) {
  if (other.buckets_ == 0) return;
  rehash(other.buckets_);  // empty table of the same size; then copy the buckets verbatim
  std::memcpy(static_cast<void*>(data_), other.data_, buckets_ * sizeof(Bucket));
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
  std::swap(data_, o.data_);
  std::swap(buckets_, o.buckets_);
  std::swap(mask_, o.mask_);
  std::swap(shift_, o.shift_);
  std::swap(used_, o.used_);
  std::swap(max_used_, o.max_used_);
  std::swap(per_key_, o.per_key_);
}

void TrieTable::release() noexcept {
  util::release_block(data_);
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
  auto* fresh = static_cast<Bucket*>(util::acquire_block(buckets * sizeof(Bucket)));
  static_assert(kEmptyKey == ~std::uint64_t{0} && kNone == 0xFFFFFFFFu);
  std::memset(static_cast<void*>(fresh), 0xFF, buckets * sizeof(Bucket));  // every bucket empty

  TrieTable old(per_key_);
  swap(old);
  data_ = fresh;
  buckets_ = buckets;
  mask_ = buckets - 1;
  shift_ = 64 - std::countr_zero(buckets);
  max_used_ = buckets / per_key_;
  for (std::size_t b = 0; b < old.buckets_; ++b) {
    const Bucket& e = old.data_[b];
    if (e.key == kEmptyKey) continue;
    const Probe p = probe(e.key);
    put(p, e.node, e.code);
  }
}

}  // namespace z2z::lzw
