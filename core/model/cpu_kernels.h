// Internal to z2z_engine: small f32 CPU kernels for the single-token decode path and the per-entry
// hyper-encoder path (batch 1, one position). Row-major matrices, raw pointers into libtorch-owned
// storage, no allocation; matrix-vector products go straight to the system BLAS (cblas_sgemv, the
// libblas.so.3 alternative libtorch uses too), everything else is a plain loop. This avoids the
// per-op dispatch of libtorch and OpenBLAS' sgemm path, which repacks the whole weight matrix when
// it is called with one row (measured: 2.5x slower than sgemv for the decode step).
#pragma once

#include <cstdint>

namespace z2z::model::cpu {

// Vector paths are chosen at run time (CPUID): 2 = AVX-512F for the row products (+ AVX2 for the
// rest), 1 = AVX2+FMA, 0 = portable code. simd_level(l) caps the level at l (tests; l < 0 only
// queries) and returns the previous one.
int simd_level(int level);

// y[rows] = W[rows, cols] . x[cols] + beta * y   (beta 0: y is overwritten)
void gemv(const float* W, std::int64_t rows, std::int64_t cols, const float* x, float* y, float beta = 0.0f);
// y[cols] = W[rows, cols]^T . x[rows]
void gemv_t(const float* W, std::int64_t rows, std::int64_t cols, const float* x, float* y);
// Y[m, rows] = X[m, cols] . W[rows, cols]^T for a few rows (the hyper-encoder's slots): m <= 4 with
// AVX2+FMA reads W once for all rows; otherwise one gemv per row (faster than sgemm for small m).
void linear_rows(const float* X, std::int64_t m, std::int64_t cols, const float* W, std::int64_t rows, float* Y);

// Few-row products through a panel-packed copy of W: W's rows in panels of kPanel, each panel stored
// input-major (P[p*kPanel*cols + c*kPanel + j] = W[p*kPanel + j, c], zeros past the last row), so a
// product broadcasts one input value into kPanel running sums at a time: no horizontal sums. For the
// hyper-encoder's 2-4 slots: 1.24-1.45x faster than linear_rows with f32 panels, 2.3-3.0x with bf16
// panels (bench/bench_kernels.cpp). Every output is one fma chain over the
// inputs in order, so f32 and bf16 panels (bf16 = the upper halves of f32 weights that are exactly
// bf16) and the AVX2 and AVX-512 kernels give bit-identical results. linear_packed returns false
// (and does nothing) for m > 4 or without AVX2+FMA: the caller then uses linear() on W itself.
constexpr std::int64_t kPanel = 64;
std::int64_t packed_size(std::int64_t rows, std::int64_t cols);  // elements of P
void pack_panels(const float* W, std::int64_t rows, std::int64_t cols, float* P);
void pack_panels(const float* W, std::int64_t rows, std::int64_t cols, std::uint16_t* P);
bool linear_packed(const float* X, std::int64_t m, std::int64_t cols, const float* P, std::int64_t rows, float* Y);
bool linear_packed(const float* X, std::int64_t m, std::int64_t cols, const std::uint16_t* P, std::int64_t rows,
                   float* Y);

// Y[m, rows] = X[m, cols] . W[rows, cols]^T for any m: linear_rows for m <= 4, BLAS sgemm beyond.
void linear(const float* X, std::int64_t m, std::int64_t cols, const float* W, std::int64_t rows, float* Y);

// HF RMSNorm: out = w * (x / sqrt(mean(x^2) + eps)). out may alias x.
void rms_norm(const float* x, const float* w, std::int64_t n, double eps, float* out);
// nn.LayerNorm over n values (biased variance). out may alias x.
void layer_norm(const float* x, const float* w, const float* b, std::int64_t n, double eps, float* out);
// In-place softmax of x[n] (max-subtracted); entries equal to -inf get probability 0.
// softmax, silu_mul and gelu use AVX2 exp/erf approximations (~1 ulp / 1.5e-7) where available.
void softmax(float* x, std::int64_t n);
// out[i] = silu(gate[i]) * up[i]
void silu_mul(const float* gate, const float* up, std::int64_t n, float* out);
// In-place exact (erf) GELU.
void gelu(float* x, std::int64_t n);
// Attention of one query position for the G query heads sharing one KV head: q [G, hd], K and V
// [S, hd], scores scratch [G * S]; out [G, hd] = softmax(scale * q K^T) V.
void attend(const float* q, std::int64_t G, const float* K, const float* V, std::int64_t S, std::int64_t hd,
            float scale, float* scores, float* out);
// HF rotate_half RoPE on one head vector x[hd] with cos/sin[hd].
void rope(float* x, const float* cos, const float* sin, std::int64_t hd);
// a . b (vector paths sum in a different order than the scalar loop: results differ in the last bits)
float dot(const float* a, const float* b, std::int64_t n);
// y += x
void add(float* y, const float* x, std::int64_t n);

}  // namespace z2z::model::cpu
