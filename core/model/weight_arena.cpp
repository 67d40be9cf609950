// WeightArena: mmap a 2 MiB-aligned anonymous region, madvise(MADV_HUGEPAGE), hand out aligned blocks.
#include "core/model/weight_arena.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "core/util/error.h"

namespace z2z::model {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
}

WeightArena::WeightArena(std::size_t capacity) {
  capacity_ = (capacity + kHugePage - 1) / kHugePage * kHugePage;
  if (capacity_ == 0) return;
  map_bytes_ = capacity_ + kHugePage;
  map_ = ::mmap(nullptr, map_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (map_ == MAP_FAILED) {
    const int err = errno;
    map_ = nullptr;
    fail("weight arena: cannot map {} bytes: {}", map_bytes_, std::strerror(err));
  }
  const auto addr = reinterpret_cast<std::uintptr_t>(map_);
  base_ = static_cast<char*>(map_) + ((kHugePage - addr % kHugePage) % kHugePage);
#ifdef MADV_HUGEPAGE
  huge_ = ::madvise(base_, capacity_, MADV_HUGEPAGE) == 0;
#endif
}

WeightArena::~WeightArena() {
  if (map_) ::munmap(map_, map_bytes_);
}

void* WeightArena::take(std::size_t bytes) {
  const std::size_t n = footprint(bytes);
  if (n > capacity_ - used_) fail("weight arena: {} bytes requested, {} of {} left", n, capacity_ - used_, capacity_);
  void* p = base_ + used_;
  used_ += n;
  return p;
}

}  // namespace z2z::model
