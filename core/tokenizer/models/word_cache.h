// WordCache — the per-word BPE result cache (HF tokenizers keeps one too): pre-token bytes ->
// (id, byte length) list. Sharded, one mutex per shard, bounded: once a shard is full it stops
// inserting (like HF's cache). Shared by all threads using one tokenizer; words of 256 bytes or
// more are never cached. Not a general LRU.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace z2z::tok {

struct WordPiece {
  std::int32_t id;
  std::uint32_t len;  // bytes of the pre-token
};

class WordCache {
 public:
  static constexpr std::size_t kMaxWordBytes = 256;

  explicit WordCache(std::size_t capacity = 1 << 17);

  // On a hit, appends the pieces to `out` and returns true.
  bool get(std::string_view word, std::uint64_t hash, std::vector<WordPiece>& out) const;
  void put(std::string_view word, std::uint64_t hash, const WordPiece* pieces, std::size_t n) const;

 private:
  struct Entry {
    std::uint64_t hash;
    std::uint32_t key_off, key_len, val_off, val_n;
  };
  struct Shard {
    std::mutex m;
    std::vector<std::uint32_t> slots;  // 1-based entry index, 0 = empty
    std::vector<Entry> entries;
    std::string keys;
    std::vector<WordPiece> values;
  };
  static constexpr std::size_t kShards = 16;
  std::size_t per_shard_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace z2z::tok
