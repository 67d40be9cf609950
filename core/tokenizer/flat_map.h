// Flat open-addressing hash maps used by the tokenizer hot paths:
//   StringIdMap — string -> int32 (vocabularies), keys stored once in one arena;
//   U64Map      — uint64 -> uint64 (BPE merges keyed by (left id, right id), trie edges).
// Not general containers: insert-only, no erase, built once and then read concurrently.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace z2z::tok {

inline std::uint64_t hash_bytes(const char* p, std::size_t n) {
  // wyhash-style mixing of 8-byte words; fast on the short keys tokenizers look up.
  constexpr std::uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull;
  std::uint64_t h = k0 ^ (n * k1);
  auto mix = [](std::uint64_t a, std::uint64_t b) {
    const __uint128_t r = static_cast<__uint128_t>(a) * b;
    return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
  };
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = mix(h ^ w, k1);
    p += 8;
    n -= 8;
  }
  if (n) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = mix(h ^ w ^ (static_cast<std::uint64_t>(n) << 56), k0);
  }
  return mix(h, k1 ^ 0x8ebc6af09c88c6e3ull);
}

inline std::uint64_t hash_u64(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

class StringIdMap {
 public:
  static constexpr std::int32_t kMissing = -1;

  void reserve(std::size_t n) {
    entries_.reserve(n);
    std::size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    rehash(cap);
  }
  std::size_t size() const { return entries_.size(); }

  // Insert or overwrite; returns false when the key was already present (value overwritten).
  bool insert(std::string_view key, std::int32_t value) {
    if ((entries_.size() + 1) * 2 > slots_.size()) rehash(slots_.empty() ? 16 : slots_.size() * 2);
    const std::uint64_t h = hash_bytes(key.data(), key.size());
    std::size_t i = h & mask_;
    while (slots_[i]) {
      Entry& e = entries_[slots_[i] - 1];
      if (e.hash == h && e.len == key.size() && !std::memcmp(arena_.data() + e.off, key.data(), key.size())) {
        e.value = value;
        return false;
      }
      i = (i + 1) & mask_;
    }
    entries_.push_back(
        Entry{h, static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(key.size()), value});
    arena_.append(key);
    slots_[i] = static_cast<std::uint32_t>(entries_.size());
    return true;
  }

  std::int32_t find(std::string_view key) const { return find(key, hash_bytes(key.data(), key.size())); }
  std::int32_t find(std::string_view key, std::uint64_t h) const {
    if (slots_.empty()) return kMissing;
    std::size_t i = h & mask_;
    while (std::uint32_t s = slots_[i]) {
      const Entry& e = entries_[s - 1];
      if (e.hash == h && e.len == key.size() && !std::memcmp(arena_.data() + e.off, key.data(), key.size()))
        return e.value;
      i = (i + 1) & mask_;
    }
    return kMissing;
  }

  template <typename F>
  void for_each(F&& f) const {
    for (const Entry& e : entries_) f(std::string_view(arena_.data() + e.off, e.len), e.value);
  }

 private:
  struct Entry {
    std::uint64_t hash;
    std::uint32_t off, len;
    std::int32_t value;
  };
  void rehash(std::size_t cap) {
    slots_.assign(cap, 0);
    mask_ = cap - 1;
    for (std::size_t k = 0; k < entries_.size(); ++k) {
      std::size_t i = entries_[k].hash & mask_;
      while (slots_[i]) i = (i + 1) & mask_;
      slots_[i] = static_cast<std::uint32_t>(k + 1);
    }
  }
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> slots_;
  std::string arena_;
  std::size_t mask_ = 0;
};

class U64Map {
 public:
  static constexpr std::uint64_t kEmpty = ~0ull;

  void reserve(std::size_t n) {
    std::size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    if (cap > keys_.size()) rehash(cap);
  }
  std::size_t size() const { return size_; }

  // Insert if absent; returns false (keeping the old value) when present.
  bool insert(std::uint64_t key, std::uint64_t value) {
    if ((size_ + 1) * 2 > keys_.size()) rehash(keys_.empty() ? 16 : keys_.size() * 2);
    std::size_t i = hash_u64(key) & mask_;
    while (keys_[i] != kEmpty) {
      if (keys_[i] == key) return false;
      i = (i + 1) & mask_;
    }
    keys_[i] = key;
    values_[i] = value;
    ++size_;
    return true;
  }

  // Pointer to the value, or nullptr.
  const std::uint64_t* find(std::uint64_t key) const {
    if (keys_.empty()) return nullptr;
    std::size_t i = hash_u64(key) & mask_;
    for (;;) {
      const std::uint64_t k = keys_[i];
      if (k == key) return &values_[i];
      if (k == kEmpty) return nullptr;
      i = (i + 1) & mask_;
    }
  }

 private:
  void rehash(std::size_t cap) {
    std::vector<std::uint64_t> ok = std::move(keys_), ov = std::move(values_);
    keys_.assign(cap, kEmpty);
    values_.assign(cap, 0);
    mask_ = cap - 1;
    for (std::size_t k = 0; k < ok.size(); ++k) {
      if (ok[k] == kEmpty) continue;
      std::size_t i = hash_u64(ok[k]) & mask_;
      while (keys_[i] != kEmpty) i = (i + 1) & mask_;
      keys_[i] = ok[k];
      values_[i] = ov[k];
    }
  }
  std::vector<std::uint64_t> keys_, values_;
  std::size_t mask_ = 0, size_ = 0;
};

}  // namespace z2z::tok
