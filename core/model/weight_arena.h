// Internal to z2z_engine: one anonymous mapping for the weights a decode step reads, asked to be
// backed by 2 MiB pages (madvise MADV_HUGEPAGE, honoured when transparent huge pages are set to
// "madvise" or "always"). A decode step streams every weight matrix once; with 4 KiB pages the
// 22 MB demo-size model spans ~5 400 pages, more than the TLB holds, so a step can pay a page walk
// per 4 KiB read; in 2 MiB pages it spans 11. Measured gain: the zip2zip step and its encoder
// passes, not clearly the plain base model (docs/model-engine.md, "Weight arena").
#pragma once

#include <cstddef>
#include <memory>

namespace z2z::model {

class WeightArena {
 public:
  // Reserves `capacity` bytes (rounded up to whole 2 MiB pages). Throws when the mapping fails.
  explicit WeightArena(std::size_t capacity);
  ~WeightArena();
  WeightArena(const WeightArena&) = delete;
  WeightArena& operator=(const WeightArena&) = delete;

  // The next `bytes` bytes, 64-byte aligned; throws when the arena is full. Zero-filled until written.
  void* take(std::size_t bytes);
  // Bytes `take` hands out for a block of `bytes` (for sizing an arena up front).
  static std::size_t footprint(std::size_t bytes) { return (bytes + 63) / 64 * 64; }

  std::size_t used() const { return used_; }
  std::size_t capacity() const { return capacity_; }
  bool huge_pages_requested() const { return huge_; }  // madvise accepted (the kernel may still fall back)

 private:
  void* map_ = nullptr;  // the whole mapping (one 2 MiB page more than capacity_, for alignment)
  std::size_t map_bytes_ = 0;
  char* base_ = nullptr;  // 2 MiB aligned
  std::size_t capacity_ = 0, used_ = 0;
  bool huge_ = false;
};

}  // namespace z2z::model
