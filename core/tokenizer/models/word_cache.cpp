// WordCache implementation: open addressing per shard, keys and values in per-shard arenas.
#include "core/tokenizer/models/word_cache.h"

#include <cstring>

namespace z2z::tok {

WordCache::WordCache(std::size_t capacity) : per_shard_(capacity / kShards) {}

bool WordCache::get(std::string_view word, std::uint64_t h, std::vector<WordPiece>& out) const {
  Shard& s = shards_[h >> 60];
  std::lock_guard<std::mutex> lock(s.m);
  if (s.slots.empty()) return false;
  const std::size_t mask = s.slots.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const std::uint32_t e = s.slots[i];
    if (!e) return false;
    const Entry& en = s.entries[e - 1];
    if (en.hash == h && en.key_len == word.size() &&
        !std::memcmp(s.keys.data() + en.key_off, word.data(), word.size())) {
      out.insert(out.end(), s.values.begin() + en.val_off, s.values.begin() + en.val_off + en.val_n);
      return true;
    }
  }
}

void WordCache::put(std::string_view word, std::uint64_t h, const WordPiece* pieces, std::size_t n) const {
  if (word.size() >= kMaxWordBytes || per_shard_ == 0) return;
  Shard& s = shards_[h >> 60];
  std::lock_guard<std::mutex> lock(s.m);
  if (s.entries.size() >= per_shard_) return;  // full: stop inserting
  if (s.slots.empty()) {
    std::size_t cap = 16;
    while (cap < per_shard_ * 2) cap <<= 1;
    s.slots.assign(cap, 0);
    s.entries.reserve(per_shard_ / 4);
  }
  const std::size_t mask = s.slots.size() - 1;
  std::size_t i = h & mask;
  for (;; i = (i + 1) & mask) {
    const std::uint32_t e = s.slots[i];
    if (!e) break;
    const Entry& en = s.entries[e - 1];
    if (en.hash == h && en.key_len == word.size() && !std::memcmp(s.keys.data() + en.key_off, word.data(), word.size()))
      return;  // another thread got there first
  }
  s.entries.push_back(Entry{h, static_cast<std::uint32_t>(s.keys.size()), static_cast<std::uint32_t>(word.size()),
                            static_cast<std::uint32_t>(s.values.size()), static_cast<std::uint32_t>(n)});
  s.keys.append(word);
  s.values.insert(s.values.end(), pieces, pieces + n);
  s.slots[i] = static_cast<std::uint32_t>(s.entries.size());
}

}  // namespace z2z::tok
