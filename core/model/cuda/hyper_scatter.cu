// CUDA hyper-cache scatter kernel (see hyper_scatter.h). One block row per update, threads over D.
#include <cuda_runtime.h>

#include "core/model/cuda/hyper_scatter.h"

namespace {

__global__ void hyper_scatter_kernel(const float* __restrict__ rows, const std::int64_t* __restrict__ batch_idx,
                                     const std::int64_t* __restrict__ slot_idx, float* __restrict__ cache,
                                     std::int64_t K, std::int64_t D) {
  const std::int64_t n = blockIdx.y;
  const std::int64_t dst = (batch_idx[n] * K + slot_idx[n]) * D;
  for (std::int64_t d = blockIdx.x * blockDim.x + threadIdx.x; d < D; d += static_cast<std::int64_t>(blockDim.x) * gridDim.x)
    cache[dst + d] = rows[n * D + d];
}

}  // namespace

extern "C" int z2z_cuda_hyper_scatter_f32(const float* rows, const std::int64_t* batch_idx,
                                          const std::int64_t* slot_idx, float* cache, std::int64_t N, std::int64_t K,
                                          std::int64_t D, void* stream) {
  if (N <= 0 || D <= 0) return 0;
  const int threads = 256;
  const dim3 grid(static_cast<unsigned>((D + threads - 1) / threads), static_cast<unsigned>(N));
  hyper_scatter_kernel<<<grid, threads, 0, static_cast<cudaStream_t>(stream)>>>(rows, batch_idx, slot_idx, cache, K, D);
  return static_cast<int>(cudaGetLastError());
}
