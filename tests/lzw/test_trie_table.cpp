// TrieTable (the codebook's probe table) and util::block_cache (the recycled buffers behind it).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "core/lzw/trie_table.h"
#include "core/util/block_cache.h"

using z2z::lzw::TokenId;
using z2z::lzw::TrieTable;

namespace {

// Inserts `n` random keys, growing like Codebook does; checks every lookup against a std::map.
void fill_and_check(TrieTable& t, std::size_t n, std::uint32_t seed, std::map<std::uint64_t, TrieTable::Handle>& ref) {
  std::mt19937 rng(seed);
  for (std::size_t i = 0; i < n; ++i) {
    const auto parent = static_cast<TrieTable::Handle>(rng() % 5000);
    const auto token = static_cast<TokenId>(rng() % 300);
    TrieTable::Probe p = t.probe(TrieTable::key(parent, token));
    auto it = ref.find(p.key);
    if (it != ref.end()) {
      ASSERT_EQ(p.found, it->second);
      ASSERT_EQ(p.code, static_cast<TokenId>(it->second) + 1);
      continue;
    }
    ASSERT_EQ(p.found, TrieTable::kNone);
    ASSERT_EQ(p.code, -1);
    if (t.full()) {
      t.rehash(t.bucket_count() * 2);
      p = t.probe(p.key);
    }
    const auto node = static_cast<TrieTable::Handle>(ref.size());
    t.put(p, node, static_cast<TokenId>(node) + 1);
    ref.emplace(p.key, node);
  }
  for (const auto& [k, node] : ref) {
    const TrieTable::Probe p = t.probe(k);
    ASSERT_EQ(p.found, node);
    ASSERT_EQ(p.code, static_cast<TokenId>(node) + 1);
  }
}

}  // namespace

TEST(TrieTable, LookupsMatchAMapThroughGrowthAtEveryLoad) {
  for (unsigned per_key : {2u, 4u, 8u}) {
    TrieTable t(per_key);
    EXPECT_EQ(t.buckets_per_key(), per_key);
    EXPECT_EQ(t.probe(TrieTable::key(1, 2)).found, TrieTable::kNone);  // no table yet
    std::map<std::uint64_t, TrieTable::Handle> ref;
    fill_and_check(t, 20000, per_key, ref);
    EXPECT_EQ(t.size(), ref.size());
    EXPECT_LE(t.size() * per_key, t.bucket_count());  // the load never passed 1 / per_key
  }
}

TEST(TrieTable, CopiesAndMovesKeepTheKeysAndTheLoad) {
  TrieTable t(4);
  std::map<std::uint64_t, TrieTable::Handle> ref;
  fill_and_check(t, 3000, 7, ref);
  TrieTable copy(t);
  TrieTable moved(std::move(t));
  for (TrieTable* x : {&copy, &moved}) {
    EXPECT_EQ(x->size(), ref.size());
    EXPECT_EQ(x->buckets_per_key(), 4u);
    for (const auto& [k, node] : ref) ASSERT_EQ(x->probe(k).found, node);
  }
  // The copy is independent of the original.
  std::map<std::uint64_t, TrieTable::Handle> more = ref;
  fill_and_check(copy, 3000, 8, more);
  for (const auto& [k, node] : more)
    if (!ref.count(k)) {
      ASSERT_EQ(moved.probe(k).found, TrieTable::kNone);
    }
  moved.clear();
  EXPECT_TRUE(moved.empty());
  EXPECT_EQ(moved.probe(ref.begin()->first).found, TrieTable::kNone);
}

// Buckets whose occupancy bit is clear are never read: a table built in a recycled block (the
// block cache hands the same block back) must not see the keys a previous table left in it.
TEST(TrieTable, ARecycledBlockHoldsNoStaleKeys) {
  std::thread([] {  // a fresh thread: its block cache starts empty
    std::map<std::uint64_t, TrieTable::Handle> old_keys;
    {
      TrieTable t(4);
      t.rehash(std::size_t{1} << 14);  // 256 KB of buckets: a cached block
      fill_and_check(t, 3000, 11, old_keys);
    }  // the block goes back to this thread's cache, keys and all
    TrieTable t(4);
    t.rehash(std::size_t{1} << 14);  // same size: the same block comes back
    EXPECT_EQ(t.size(), 0u);
    for (const auto& [k, node] : old_keys) ASSERT_EQ(t.probe(k).found, TrieTable::kNone);
    std::map<std::uint64_t, TrieTable::Handle> ref;
    fill_and_check(t, 3000, 12, ref);  // a different key set: lookups still match a map
  })
      .join();
}

TEST(BlockCache, BigBlocksAreAlignedAndReusedSmallOnesAreNot) {
  std::thread([] {  // a fresh thread: its cache starts empty
    using namespace z2z::util;
    const std::size_t big = 3 * kMinCachedBytes + 123;
    void* a = acquire_block(big);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(a) % 64, 0u);
    std::memset(a, 0xAB, big);  // the whole block is usable
    release_block(a);
    void* b = acquire_block(big - 1000);  // best fit: the same block comes back
    EXPECT_EQ(b, a);
    void* c = acquire_block(big);  // the cache is empty now: a fresh block
    EXPECT_NE(c, b);
    release_block(b);
    release_block(c);
    // A request far smaller than any cached block does not take a huge block.
    void* tiny = acquire_block(kMinCachedBytes / 4);
    EXPECT_NE(tiny, b);
    EXPECT_NE(tiny, c);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(tiny) % 16, 0u);
    release_block(tiny);
    release_block(nullptr);  // ignored
  })
      .join();
}
