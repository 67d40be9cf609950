// block_cache — a per-thread cache of big heap blocks, for code that builds and drops multi-MB
// buffers call after call (the LZW codebook's probe table, arena and slot table).
//
// Why: glibc serves blocks above its mmap threshold with fresh mmap()s and unmaps them on free(), so
// every call pays one page fault per 4 KB it touches (seen at 10-15 % of encoding a long stream);
// its "dynamic threshold" avoids that only for sizes it has already freed once, so whether a
// buffer size is cheap depended on what else the process had freed. Blocks of at least
// kMinCachedBytes released here are kept instead (per thread: up to 8 blocks of <= 64 MB, 128 MB in
// all; best fit on reuse).
//
// Blocks of at least kMinCachedBytes are 64-byte aligned; smaller ones come straight from malloc
// (16-byte aligned). Release a block with release_block() on any thread (it joins that thread's
// cache).
#pragma once

#include <cstddef>
#include <new>

namespace z2z::util {

inline constexpr std::size_t kMinCachedBytes = std::size_t{64} << 10;

// At least `bytes` bytes (alignment: see above). Throws std::bad_alloc.
void* acquire_block(std::size_t bytes);
// Give back a block from acquire_block (nullptr is ignored).
void release_block(void* p) noexcept;

// std::allocator replacement for trivially constructible T: blocks come from the cache, and
// resize() leaves new elements default-initialized (uninitialized) instead of zeroing them.
template <typename T>
struct CachedBlockAllocator {
  using value_type = T;
  CachedBlockAllocator() = default;
  template <typename U>
  CachedBlockAllocator(const CachedBlockAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_alloc();
    return static_cast<T*>(acquire_block(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t) noexcept { release_block(p); }
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(static_cast<Args&&>(args)...);
  }
  template <typename U>
  bool operator==(const CachedBlockAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace z2z::util
