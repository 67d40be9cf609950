// block_cache: a 16-byte header in front of each block records its size and the pointer to free;
// a thread keeps up to kSlots released big blocks, best fit on reuse.
#include "core/util/block_cache.h"

#include <cstdint>
#include <cstdlib>

namespace z2z::util {

namespace {

constexpr std::size_t kAlign = 64;   // big blocks
constexpr std::size_t kHeader = 16;  // keeps malloc's 16-byte alignment for small blocks
constexpr std::size_t kSlots = 8;
constexpr std::size_t kMaxCachedBlock = std::size_t{64} << 20;   // bigger blocks go back to malloc
constexpr std::size_t kMaxCachedTotal = std::size_t{128} << 20;  // per thread

struct Header {
  std::size_t bytes;  // payload size
  void* raw;          // what to free()
};
static_assert(sizeof(Header) == kHeader);

Header* header_of(void* p) { return reinterpret_cast<Header*>(static_cast<unsigned char*>(p) - kHeader); }
void free_block(void* p) { std::free(header_of(p)->raw); }

// Blocks released after the thread's cache is gone (e.g. by objects with static storage destroyed
// at exit) go straight to free(): t_cache_gone is trivially destructible, so it outlives t_cache.
thread_local bool t_cache_gone = false;
struct Cache {
  void* blocks[kSlots] = {};
  std::size_t total = 0;  // bytes held
  ~Cache() {
    for (void*& b : blocks) {
      if (b) free_block(b);
      b = nullptr;
    }
    t_cache_gone = true;
  }
};
thread_local Cache t_cache;

}  // namespace

void* acquire_block(std::size_t bytes) {
  if (bytes == 0) bytes = 1;
  if (bytes >= kMinCachedBytes && !t_cache_gone) {
    // Best fit: the smallest cached block that holds `bytes`, if it is not absurdly bigger.
    std::size_t best = kSlots;
    for (std::size_t i = 0; i < kSlots; ++i) {
      void* b = t_cache.blocks[i];
      if (!b) continue;
      const std::size_t have = header_of(b)->bytes;
      if (have >= bytes && have / 8 <= bytes && (best == kSlots || have < header_of(t_cache.blocks[best])->bytes))
        best = i;
    }
    if (best != kSlots) {
      void* b = t_cache.blocks[best];
      t_cache.blocks[best] = nullptr;
      t_cache.total -= header_of(b)->bytes;
      return b;
    }
  }
  if (bytes > static_cast<std::size_t>(-1) - 2 * kAlign) throw std::bad_alloc();
  unsigned char* raw;
  unsigned char* payload;
  std::size_t have;
  if (bytes < kMinCachedBytes) {  // plain malloc: 16-byte aligned
    raw = static_cast<unsigned char*>(std::malloc(kHeader + bytes));
    payload = raw + kHeader;
    have = bytes;
  } else {  // 64-byte aligned payload, rounded up to whole lines
    have = (bytes + kAlign - 1) / kAlign * kAlign;
    raw = static_cast<unsigned char*>(std::aligned_alloc(kAlign, kAlign + have));
    payload = raw + kAlign;
  }
  if (!raw) throw std::bad_alloc();
  *header_of(payload) = Header{have, raw};
  return payload;
}

void release_block(void* p) noexcept {
  if (!p) return;
  const std::size_t bytes = header_of(p)->bytes;
  if (bytes >= kMinCachedBytes && bytes <= kMaxCachedBlock && !t_cache_gone) {
    // Take a free slot, else replace the smallest cached block if this one is bigger.
    std::size_t victim = kSlots;
    for (std::size_t i = 0; i < kSlots; ++i) {
      void* b = t_cache.blocks[i];
      if (!b) {
        victim = i;
        break;
      }
      if (header_of(b)->bytes < bytes &&
          (victim == kSlots || header_of(b)->bytes < header_of(t_cache.blocks[victim])->bytes))
        victim = i;
    }
    const std::size_t freed = victim != kSlots && t_cache.blocks[victim] ? header_of(t_cache.blocks[victim])->bytes : 0;
    if (victim != kSlots && t_cache.total - freed + bytes <= kMaxCachedTotal) {
      if (t_cache.blocks[victim]) free_block(t_cache.blocks[victim]);
      t_cache.blocks[victim] = p;
      t_cache.total += bytes - freed;
      return;
    }
  }
  free_block(p);
}

}  // namespace z2z::util
