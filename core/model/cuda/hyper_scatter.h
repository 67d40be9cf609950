// CUDA kernel for the hyper-cache scatter: cache[b, slot, :] = rows[n, :] for n in [0, N).
// Plain C ABI over raw device pointers (no torch here). Built only when CMake finds the CUDA
// toolkit (option Z2Z_CUDA); the engine falls back to torch's index_put_ otherwise or on CPU tensors.
#pragma once

#include <cstdint>

extern "C" {
// rows [N, D], batch_idx [N], slot_idx [N], cache [B, K, D]; all contiguous device memory, f32.
// Returns 0 on success, a cudaError_t value otherwise.
int z2z_cuda_hyper_scatter_f32(const float* rows, const std::int64_t* batch_idx, const std::int64_t* slot_idx,
                               float* cache, std::int64_t N, std::int64_t K, std::int64_t D, void* stream);
}
