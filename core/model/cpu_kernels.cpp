// Small f32 CPU kernels of the single-token decode path (see cpu_kernels.h).
#include "core/model/cpu_kernels.h"

#include <cblas.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <type_traits>

namespace z2z::model::cpu {

namespace {

#if defined(__x86_64__) && defined(__GNUC__)
// Y[m, rows] = X[m, cols] . W^T for m <= 4: every weight row is loaded once and multiplied into all
// m inputs (one BLAS gemv per input would stream W m times), two weight rows at a time, with the
// rows further ahead prefetched (the decoder's gemv, and linear() on unpacked matrices).
__attribute__((target("avx2,fma"))) float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// Elements per 64-byte cache line.
template <typename WT>
constexpr std::int64_t kLine = 64 / static_cast<std::int64_t>(sizeof(WT));

// Rows to prefetch ahead (~16 KB: the hyper-encoder's small matrices come from DRAM every step, and
// 8 rows of 128 floats did not cover the latency), and the first of them prefetched up front.
template <typename WT>
inline std::int64_t prefetch_rows(const WT* W, std::int64_t cols, std::int64_t rows) {
  const auto row_bytes = static_cast<std::int64_t>(sizeof(WT)) * std::max<std::int64_t>(1, cols);
  const std::int64_t ahead = std::max<std::int64_t>(8, 16384 / row_bytes);
  const std::int64_t head = std::min(ahead, rows) * cols;
  for (std::int64_t c = 0; c < head; c += kLine<WT>) _mm_prefetch(reinterpret_cast<const char*>(W + c), _MM_HINT_T0);
  return ahead;
}

// Packed weights are f32, or bf16 (the upper half of an f32, widened exactly on load): one packed
// kernel serves both, so the two storages give bit-identical results.
__attribute__((target("avx2,fma"))) inline __m256 load8(const float* p) { return _mm256_loadu_ps(p); }
__attribute__((target("avx2,fma"))) inline __m256 load8(const std::uint16_t* p) {
  const __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  return _mm256_castsi256_ps(_mm256_slli_epi32(w, 16));
}

template <int M, bool Accumulate = false>  // Accumulate: Y += X . W^T (M = 1 only)
__attribute__((target("avx2,fma"))) void linear_rows_avx2(const float* X, std::int64_t cols, const float* W,
                                                          std::int64_t rows, float* Y) {
  const std::int64_t vec_end = cols - cols % 8;
  const std::int64_t kAhead = prefetch_rows(W, cols, rows);
  std::int64_t r = 0;
  for (; r + 2 <= rows; r += 2) {
    const float* w0 = W + r * cols;
    const float* w1 = w0 + cols;
    if (r + kAhead < rows)
      for (std::int64_t c = 0; c < 2 * cols; c += kLine<float>)
        _mm_prefetch(reinterpret_cast<const char*>(w0 + kAhead * cols + c), _MM_HINT_T0);
    __m256 a0[M], a1[M];
    for (int i = 0; i < M; ++i) a0[i] = a1[i] = _mm256_setzero_ps();
    for (std::int64_t c = 0; c < vec_end; c += 8) {
      const __m256 v0 = load8(w0 + c), v1 = load8(w1 + c);
      for (int i = 0; i < M; ++i) {
        const __m256 x = _mm256_loadu_ps(X + i * cols + c);
        a0[i] = _mm256_fmadd_ps(v0, x, a0[i]);
        a1[i] = _mm256_fmadd_ps(v1, x, a1[i]);
      }
    }
    for (int i = 0; i < M; ++i) {
      float s0 = hsum(a0[i]), s1 = hsum(a1[i]);
      for (std::int64_t c = vec_end; c < cols; ++c)  // explicit fma: same rounding for f32 and bf16 weights
        s0 = std::fma(w0[c], X[i * cols + c], s0), s1 = std::fma(w1[c], X[i * cols + c], s1);
      if (Accumulate) {
        Y[r] += s0;
        Y[r + 1] += s1;
      } else {
        Y[i * rows + r] = s0;
        Y[i * rows + r + 1] = s1;
      }
    }
  }
  for (; r < rows; ++r) {
    const float* w0 = W + r * cols;
    for (int i = 0; i < M; ++i) {
      __m256 a = _mm256_setzero_ps();
      for (std::int64_t c = 0; c < vec_end; c += 8)
        a = _mm256_fmadd_ps(load8(w0 + c), _mm256_loadu_ps(X + i * cols + c), a);
      float s = hsum(a);
      for (std::int64_t c = vec_end; c < cols; ++c) s = std::fma(w0[c], X[i * cols + c], s);
      if (Accumulate)
        Y[r] += s;
      else
        Y[i * rows + r] = s;
    }
  }
}

// Best level the CPU has: 0 portable, 1 AVX2+FMA, 2 AVX-512F (+ AVX2+FMA); simd_level() lowers it.
const int kCpuLevel = !(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? 0
                      : __builtin_cpu_supports("avx512f")                                ? 2
                                                                                         : 1;
int g_level = kCpuLevel;
bool g_use_avx2 = g_level >= 1;
bool g_use_avx512 = g_level >= 2;

// Sum of 16 floats, through memory: GCC 12's reduce/extract/shuffle intrinsics use an undefined
// pass-through that trips -Wmaybe-uninitialized in its own header (GCC bug 105593).
__attribute__((target("avx512f,avx2,fma"))) float hsum16(__m512 v) {
  alignas(64) float t[16];
  _mm512_store_ps(t, v);
  return hsum(_mm256_add_ps(_mm256_load_ps(t), _mm256_load_ps(t + 8)));
}

// linear_rows_avx2 with 512-bit vectors (cols % 16 == 0): the hyper-encoder's few-row products are
// bound by FMA throughput once their weights are cached; Zen 4/5 and recent Xeons run these at
// full width.
__attribute__((target("avx512f,avx2,fma"))) inline __m512 load16(const float* p) { return _mm512_loadu_ps(p); }
__attribute__((target("avx512f,avx2,fma"))) inline __m512 load16(const std::uint16_t* p) {
  // maskz forms: the plain ones pass an undefined vector that trips GCC 12's -Wmaybe-uninitialized
  // in its own header (GCC bug 105593).
  const __m512i w = _mm512_maskz_cvtepu16_epi32(0xFFFF, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  return _mm512_castsi512_ps(_mm512_maskz_slli_epi32(0xFFFF, w, 16));
}

template <int M, bool Accumulate = false>
__attribute__((target("avx512f,avx2,fma"))) void linear_rows_avx512(const float* X, std::int64_t cols, const float* W,
                                                                    std::int64_t rows, float* Y) {
  const std::int64_t kAhead = prefetch_rows(W, cols, rows);
  std::int64_t r = 0;
  for (; r + 2 <= rows; r += 2) {
    const float* w0 = W + r * cols;
    const float* w1 = w0 + cols;
    if (r + kAhead < rows)
      for (std::int64_t c = 0; c < 2 * cols; c += kLine<float>)
        _mm_prefetch(reinterpret_cast<const char*>(w0 + kAhead * cols + c), _MM_HINT_T0);
    __m512 a0[M], a1[M];
    for (int i = 0; i < M; ++i) a0[i] = a1[i] = _mm512_setzero_ps();
    for (std::int64_t c = 0; c < cols; c += 16) {
      const __m512 v0 = load16(w0 + c), v1 = load16(w1 + c);
      for (int i = 0; i < M; ++i) {
        const __m512 x = _mm512_loadu_ps(X + i * cols + c);
        a0[i] = _mm512_fmadd_ps(v0, x, a0[i]);
        a1[i] = _mm512_fmadd_ps(v1, x, a1[i]);
      }
    }
    for (int i = 0; i < M; ++i) {
      const float s0 = hsum16(a0[i]), s1 = hsum16(a1[i]);
      if (Accumulate) {
        Y[r] += s0;
        Y[r + 1] += s1;
      } else {
        Y[i * rows + r] = s0;
        Y[i * rows + r + 1] = s1;
      }
    }
  }
  for (; r < rows; ++r) {
    const float* w0 = W + r * cols;
    for (int i = 0; i < M; ++i) {
      __m512 a = _mm512_setzero_ps();
      for (std::int64_t c = 0; c < cols; c += 16)
        a = _mm512_fmadd_ps(load16(w0 + c), _mm512_loadu_ps(X + i * cols + c), a);
      const float s = hsum16(a);
      if (Accumulate)
        Y[r] += s;
      else
        Y[i * rows + r] = s;
    }
  }
}

// Panel-packed few-row products (pack_panels / linear_packed): W's rows in panels of kPanel, each
// panel stored input-major, so one input value is broadcast into kPanel running sums at a time.
// No horizontal sums, and every output is one fma chain over the inputs in order: the AVX-512 and
// AVX2 kernels, and f32 or bf16 storage, give bit-identical results.
template <int M, typename WT>
__attribute__((target("avx512f,avx2,fma"))) void linear_packed_avx512(const float* X, std::int64_t cols, const WT* P,
                                                                      std::int64_t rows, float* Y) {
  constexpr std::int64_t kP = kPanel;
  // ~16 KB ahead, as the row kernels: the encoder's small matrices usually come from DRAM. The
  // prefetches run on past the matrix's end on purpose: in a HyperEncoder arena what the pass reads
  // next follows it (a prefetch never faults; the address is formed as an integer).
  constexpr std::int64_t kAheadBytes = 16384;
  const std::int64_t ahead = std::max<std::int64_t>(8, kAheadBytes / static_cast<std::int64_t>(kP * sizeof(WT)));
  const std::int64_t total = (rows + kP - 1) / kP * cols;  // input rows of all panels
  for (std::int64_t c = 0; c < std::min(ahead, total) * kP; c += kLine<WT>)
    _mm_prefetch(reinterpret_cast<const char*>(P + c), _MM_HINT_T0);
  const std::uintptr_t ahead_bytes = static_cast<std::uintptr_t>(ahead * kP) * sizeof(WT);
  for (std::int64_t r0 = 0; r0 < rows; r0 += kP) {
    const WT* p = P + r0 * cols;
    __m512 a[M][4];
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < 4; ++j) a[i][j] = _mm512_setzero_ps();
    for (std::int64_t c = 0; c < cols; ++c, p += kP) {
      const std::uintptr_t next = reinterpret_cast<std::uintptr_t>(p) + ahead_bytes;
      for (std::uintptr_t l = 0; l < kP * sizeof(WT); l += 64)
        _mm_prefetch(reinterpret_cast<const char*>(next + l), _MM_HINT_T0);
      const __m512 w0 = load16(p), w1 = load16(p + 16), w2 = load16(p + 32), w3 = load16(p + 48);
      for (int i = 0; i < M; ++i) {
        const __m512 x = _mm512_set1_ps(X[i * cols + c]);
        a[i][0] = _mm512_fmadd_ps(w0, x, a[i][0]);
        a[i][1] = _mm512_fmadd_ps(w1, x, a[i][1]);
        a[i][2] = _mm512_fmadd_ps(w2, x, a[i][2]);
        a[i][3] = _mm512_fmadd_ps(w3, x, a[i][3]);
      }
    }
    // Fully unrolled epilogue: with a runtime-indexed loop over a[][] GCC 12 keeps the array in
    // memory and stores all 4M accumulators on every input (2.8x slower).
    const std::int64_t n = std::min(kP, rows - r0);
#pragma GCC unroll 4
    for (int i = 0; i < M; ++i) {
      alignas(64) float t[kP];
      float* y = n == kP ? Y + i * rows + r0 : t;  // last panel, partly padding: via t
#pragma GCC unroll 4
      for (int j = 0; j < 4; ++j) _mm512_storeu_ps(y + 16 * j, a[i][j]);
      if (n < kP) std::copy_n(t, n, Y + i * rows + r0);
    }
  }
}

// The same with 8-wide vectors: each panel in quarters of 16 outputs (2M accumulators fit the 16
// ymm registers); same fma chains, so the same bits as the AVX-512 kernel.
template <int M, typename WT>
__attribute__((target("avx2,fma"))) void linear_packed_avx2(const float* X, std::int64_t cols, const WT* P,
                                                            std::int64_t rows, float* Y) {
  constexpr std::int64_t kP = kPanel;
  for (std::int64_t r0 = 0; r0 < rows; r0 += kP) {
    const std::int64_t n = std::min(kP, rows - r0);
    for (std::int64_t q = 0; q < n; q += 16) {
      const WT* p = P + r0 * cols + q;
      __m256 a[M][2];
      for (int i = 0; i < M; ++i) a[i][0] = a[i][1] = _mm256_setzero_ps();
      for (std::int64_t c = 0; c < cols; ++c, p += kP) {
        const __m256 w0 = load8(p), w1 = load8(p + 8);
        for (int i = 0; i < M; ++i) {
          const __m256 x = _mm256_set1_ps(X[i * cols + c]);
          a[i][0] = _mm256_fmadd_ps(w0, x, a[i][0]);
          a[i][1] = _mm256_fmadd_ps(w1, x, a[i][1]);
        }
      }
      const std::int64_t k = std::min<std::int64_t>(16, n - q);
#pragma GCC unroll 4
      for (int i = 0; i < M; ++i) {
        alignas(32) float t[16];
        float* y = k == 16 ? Y + i * rows + r0 + q : t;
        _mm256_storeu_ps(y, a[i][0]);
        _mm256_storeu_ps(y + 8, a[i][1]);
        if (k < 16) std::copy_n(t, k, Y + i * rows + r0 + q);
      }
    }
  }
}

// exp(x) for 8 floats: Cephes-style range reduction x = n ln2 + r, degree-6 polynomial for e^r,
// 2^n through the exponent bits (about 1 ulp); x < ln(FLT_MIN) gives 0, x > ~88.37 gives inf.
__attribute__((target("avx2,fma"))) __m256 exp8(__m256 x) {
  const __m256 lo = _mm256_set1_ps(-87.33654475f), hi = _mm256_set1_ps(88.3762626647949f);
  const __m256 under = _mm256_cmp_ps(x, lo, _CMP_LT_OQ);
  x = _mm256_min_ps(_mm256_max_ps(x, lo), hi);
  const __m256 n = _mm256_floor_ps(_mm256_fmadd_ps(x, _mm256_set1_ps(1.44269504088896341f), _mm256_set1_ps(0.5f)));
  x = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
  x = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), x);
  __m256 y = _mm256_set1_ps(1.9875691500e-4f);
  y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.3981999507e-3f));
  y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(8.3334519073e-3f));
  y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(4.1665795894e-2f));
  y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.6666665459e-1f));
  y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(5.0000001201e-1f));
  y = _mm256_fmadd_ps(y, _mm256_mul_ps(x, x), _mm256_add_ps(x, _mm256_set1_ps(1.0f)));
  const __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvttps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_andnot_ps(under, _mm256_mul_ps(y, _mm256_castsi256_ps(e)));
}

// erf(x) for 8 floats: Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), the formula ATen's
// vectorized erf uses, so GELU matches libtorch's CPU kernel closely.
__attribute__((target("avx2,fma"))) __m256 erf8(__m256 x) {
  const __m256 neg_zero = _mm256_set1_ps(-0.0f), one = _mm256_set1_ps(1.0f);
  const __m256 sign = _mm256_and_ps(neg_zero, x), a = _mm256_xor_ps(sign, x);
  const __m256 t = _mm256_div_ps(one, _mm256_fmadd_ps(_mm256_set1_ps(0.3275911f), a, one));
  __m256 r = _mm256_fmadd_ps(_mm256_set1_ps(1.061405429f), t, _mm256_set1_ps(-1.453152027f));
  r = _mm256_fmadd_ps(r, t, _mm256_set1_ps(1.421413741f));
  r = _mm256_fmadd_ps(r, t, _mm256_set1_ps(-0.284496736f));
  r = _mm256_fmadd_ps(r, t, _mm256_set1_ps(0.254829592f));
  const __m256 e = exp8(_mm256_xor_ps(neg_zero, _mm256_mul_ps(a, a)));
  const __m256 v = _mm256_fnmadd_ps(_mm256_mul_ps(r, t), e, one);  // 1 - r t e^(-a^2)
  return _mm256_xor_ps(sign, v);
}

__attribute__((target("avx2,fma"))) void softmax_avx2(float* x, std::int64_t n) {
  const std::int64_t vn = n - n % 8;
  __m256 vmax = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
  for (std::int64_t i = 0; i < vn; i += 8) vmax = _mm256_max_ps(vmax, _mm256_loadu_ps(x + i));
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, vmax);
  float mx = *std::max_element(lanes, lanes + 8);
  for (std::int64_t i = vn; i < n; ++i) mx = std::max(mx, x[i]);
  if (!std::isfinite(mx)) {
    std::fill(x, x + n, 0.0f);
    return;
  }
  const __m256 m = _mm256_set1_ps(mx);
  __m256 vz = _mm256_setzero_ps();
  for (std::int64_t i = 0; i < vn; i += 8) {
    const __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(x + i), m));
    _mm256_storeu_ps(x + i, e);
    vz = _mm256_add_ps(vz, e);
  }
  float z = hsum(vz);
  for (std::int64_t i = vn; i < n; ++i) z += (x[i] = std::exp(x[i] - mx));
  const __m256 inv = _mm256_set1_ps(1.0f / z);
  for (std::int64_t i = 0; i < vn; i += 8) _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_loadu_ps(x + i), inv));
  for (std::int64_t i = vn; i < n; ++i) x[i] *= 1.0f / z;
}

__attribute__((target("avx2,fma"))) void silu_mul_avx2(const float* gate, const float* up, std::int64_t n, float* out) {
  const std::int64_t vn = n - n % 8;
  const __m256 one = _mm256_set1_ps(1.0f), neg_zero = _mm256_set1_ps(-0.0f);
  for (std::int64_t i = 0; i < vn; i += 8) {
    const __m256 g = _mm256_loadu_ps(gate + i);
    const __m256 s = _mm256_div_ps(g, _mm256_add_ps(one, exp8(_mm256_xor_ps(neg_zero, g))));
    _mm256_storeu_ps(out + i, _mm256_mul_ps(s, _mm256_loadu_ps(up + i)));
  }
  for (std::int64_t i = vn; i < n; ++i) out[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

__attribute__((target("avx2,fma"))) void gelu_avx2(float* x, std::int64_t n, std::int64_t from = 0) {
  const std::int64_t vn = n - n % 8;
  const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f), k = _mm256_set1_ps(0.70710678118654752440f);
  for (std::int64_t i = from; i < vn; i += 8) {
    const __m256 v = _mm256_loadu_ps(x + i);
    _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_mul_ps(v, half), _mm256_add_ps(one, erf8(_mm256_mul_ps(v, k)))));
  }
  for (std::int64_t i = vn; i < n; ++i) x[i] = x[i] * 0.5f * (1.0f + std::erf(x[i] * 0.70710678118654752440f));
}

// exp8 / erf8 / gelu_avx2 with 16 lanes: the same operations per lane, so the same bits (the
// encoder's MLP runs GELU over 512 values per slot and layer). maskz forms throughout: the plain ones
// trip GCC 12's -Wmaybe-uninitialized in its own header (GCC bug 105593).
__attribute__((target("avx512f,avx2,fma"))) __m512 exp16(__m512 x) {
  const __m512 lo = _mm512_set1_ps(-87.33654475f), hi = _mm512_set1_ps(88.3762626647949f);
  const __mmask16 under = _mm512_cmp_ps_mask(x, lo, _CMP_LT_OQ);
  x = _mm512_maskz_min_ps(0xFFFF, _mm512_maskz_max_ps(0xFFFF, x, lo), hi);
  const __m512 n =
      _mm512_maskz_roundscale_ps(0xFFFF, _mm512_fmadd_ps(x, _mm512_set1_ps(1.44269504088896341f), _mm512_set1_ps(0.5f)),
                                 _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
  x = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
  x = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), x);
  __m512 y = _mm512_set1_ps(1.9875691500e-4f);
  y = _mm512_fmadd_ps(y, x, _mm512_set1_ps(1.3981999507e-3f));
  y = _mm512_fmadd_ps(y, x, _mm512_set1_ps(8.3334519073e-3f));
  y = _mm512_fmadd_ps(y, x, _mm512_set1_ps(4.1665795894e-2f));
  y = _mm512_fmadd_ps(y, x, _mm512_set1_ps(1.6666665459e-1f));
  y = _mm512_fmadd_ps(y, x, _mm512_set1_ps(5.0000001201e-1f));
  y = _mm512_fmadd_ps(y, _mm512_mul_ps(x, x), _mm512_add_ps(x, _mm512_set1_ps(1.0f)));
  const __m512i e = _mm512_maskz_slli_epi32(
      0xFFFF, _mm512_add_epi32(_mm512_maskz_cvttps_epi32(0xFFFF, n), _mm512_set1_epi32(127)), 23);
  return _mm512_maskz_mul_ps(static_cast<__mmask16>(~under), y, _mm512_castsi512_ps(e));
}

__attribute__((target("avx512f,avx2,fma"))) __m512 erf16(__m512 x) {
  const __m512i sign_bit = _mm512_set1_epi32(static_cast<int>(0x80000000u));
  const __m512 one = _mm512_set1_ps(1.0f);
  const __m512i xi = _mm512_castps_si512(x), sign = _mm512_and_si512(xi, sign_bit);
  const __m512 a = _mm512_castsi512_ps(_mm512_xor_si512(sign, xi));
  const __m512 t = _mm512_div_ps(one, _mm512_fmadd_ps(_mm512_set1_ps(0.3275911f), a, one));
  __m512 r = _mm512_fmadd_ps(_mm512_set1_ps(1.061405429f), t, _mm512_set1_ps(-1.453152027f));
  r = _mm512_fmadd_ps(r, t, _mm512_set1_ps(1.421413741f));
  r = _mm512_fmadd_ps(r, t, _mm512_set1_ps(-0.284496736f));
  r = _mm512_fmadd_ps(r, t, _mm512_set1_ps(0.254829592f));
  const __m512 e = exp16(_mm512_castsi512_ps(_mm512_xor_si512(sign_bit, _mm512_castps_si512(_mm512_mul_ps(a, a)))));
  const __m512 v = _mm512_fnmadd_ps(_mm512_mul_ps(r, t), e, one);  // 1 - r t e^(-a^2)
  return _mm512_castsi512_ps(_mm512_xor_si512(sign, _mm512_castps_si512(v)));
}

__attribute__((target("avx512f,avx2,fma"))) void gelu_avx512(float* x, std::int64_t n) {
  const std::int64_t vn = n - n % 16;
  const __m512 half = _mm512_set1_ps(0.5f), one = _mm512_set1_ps(1.0f), k = _mm512_set1_ps(0.70710678118654752440f);
  for (std::int64_t i = 0; i < vn; i += 16) {
    const __m512 v = _mm512_loadu_ps(x + i);
    _mm512_storeu_ps(x + i, _mm512_mul_ps(_mm512_mul_ps(v, half), _mm512_add_ps(one, erf16(_mm512_mul_ps(v, k)))));
  }
  gelu_avx2(x, n, vn);  // the rest: one 8-lane block and the scalar tail, as gelu_avx2 alone would
}

// Sums in double over 4-float groups (4 accumulators of 4 doubles): the scalar loops' one long
// dependency chain of double adds was ~0.35 us per 128-value layer norm, 10-20 of which run per
// hyper-encoder pass.
__attribute__((target("avx2,fma"))) double sum_d(const float* x, std::int64_t n, std::int64_t& done) {
  __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
  std::int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    a0 = _mm256_add_pd(a0, _mm256_cvtps_pd(_mm_loadu_ps(x + i)));
    a1 = _mm256_add_pd(a1, _mm256_cvtps_pd(_mm_loadu_ps(x + i + 4)));
    a2 = _mm256_add_pd(a2, _mm256_cvtps_pd(_mm_loadu_ps(x + i + 8)));
    a3 = _mm256_add_pd(a3, _mm256_cvtps_pd(_mm_loadu_ps(x + i + 12)));
  }
  alignas(32) double t[4];
  _mm256_store_pd(t, _mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3)));
  done = i;
  return (t[0] + t[1]) + (t[2] + t[3]);
}
// Sum of (x - mean)^2 in double, same grouping; mean = 0 gives the sum of squares.
__attribute__((target("avx2,fma"))) double sum_sq_d(const float* x, std::int64_t n, double mean, std::int64_t& done) {
  const __m256d m = _mm256_set1_pd(mean);
  __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
  std::int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256d d0 = _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(x + i)), m);
    const __m256d d1 = _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(x + i + 4)), m);
    const __m256d d2 = _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(x + i + 8)), m);
    const __m256d d3 = _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(x + i + 12)), m);
    a0 = _mm256_fmadd_pd(d0, d0, a0);
    a1 = _mm256_fmadd_pd(d1, d1, a1);
    a2 = _mm256_fmadd_pd(d2, d2, a2);
    a3 = _mm256_fmadd_pd(d3, d3, a3);
  }
  alignas(32) double t[4];
  _mm256_store_pd(t, _mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3)));
  done = i;
  return (t[0] + t[1]) + (t[2] + t[3]);
}
// out[i] = float((x[i] - mean) * rstd) * w[i] + b[i], four at a time: per element the same
// operations as the scalar loop (double subtract and multiply, round to float, float multiply then
// add, no fma), so the same bits. Returns how many it did.
__attribute__((target("avx2,fma"))) std::int64_t norm_apply_d(const float* x, std::int64_t n, double mean, double rstd,
                                                              const float* w, const float* b, float* out) {
  const __m256d m = _mm256_set1_pd(mean), r = _mm256_set1_pd(rstd);
  std::int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m128 f = _mm256_cvtpd_ps(_mm256_mul_pd(_mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(x + i)), m), r));
    _mm_storeu_ps(out + i, _mm_add_ps(_mm_mul_ps(f, _mm_loadu_ps(w + i)), _mm_loadu_ps(b + i)));
  }
  return i;
}

__attribute__((target("avx2,fma"))) float dot_avx2(const float* a, const float* b, std::int64_t n) {
  __m256 a0 = _mm256_setzero_ps(), a1 = a0;
  std::int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    a0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), a0);
    a1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), a1);
  }
  float s = hsum(_mm256_add_ps(a0, a1));
  for (; i < n; ++i) s = std::fma(a[i], b[i], s);
  return s;
}

// attend() for head_dim % 8 == 0: K and V rows are read once for all G query heads.
__attribute__((target("avx2,fma"))) void attend_avx2(const float* q, std::int64_t G, const float* K, const float* V,
                                                     std::int64_t S, std::int64_t hd, float scale, float* sc,
                                                     float* out) {
  for (std::int64_t p = 0; p < S; ++p) {
    const float* k = K + p * hd;
    for (std::int64_t g = 0; g < G; ++g) {
      __m256 acc = _mm256_setzero_ps();
      for (std::int64_t j = 0; j < hd; j += 8)
        acc = _mm256_fmadd_ps(_mm256_loadu_ps(q + g * hd + j), _mm256_loadu_ps(k + j), acc);
      sc[g * S + p] = hsum(acc) * scale;
    }
  }
  for (std::int64_t g = 0; g < G; ++g) softmax_avx2(sc + g * S, S);
  std::fill(out, out + G * hd, 0.0f);
  for (std::int64_t p = 0; p < S; ++p) {
    const float* v = V + p * hd;
    for (std::int64_t g = 0; g < G; ++g) {
      const __m256 w = _mm256_set1_ps(sc[g * S + p]);
      float* o = out + g * hd;
      for (std::int64_t j = 0; j < hd; j += 8)
        _mm256_storeu_ps(o + j, _mm256_fmadd_ps(w, _mm256_loadu_ps(v + j), _mm256_loadu_ps(o + j)));
    }
  }
}
#endif

}  // namespace

void gemv(const float* W, std::int64_t rows, std::int64_t cols, const float* x, float* y, float beta) {
  if (rows <= 0) return;
  if (cols <= 0) {
    for (std::int64_t i = 0; i < rows; ++i) y[i] = beta == 0.0f ? 0.0f : beta * y[i];
    return;
  }
#if defined(__x86_64__) && defined(__GNUC__)
  // Two rows per iteration with the next rows prefetched: ~20 % faster than OpenBLAS 0.3.21's sgemv
  // on the decoder's matrices (a decode step's worth: 0.31 vs 0.40 ms, bench notes in
  // docs/benchmarks.md).
  if (g_use_avx512 && cols % 16 == 0 && beta == 0.0f) return linear_rows_avx512<1>(x, cols, W, rows, y);
  if (g_use_avx512 && cols % 16 == 0 && beta == 1.0f) return linear_rows_avx512<1, true>(x, cols, W, rows, y);
  if (g_use_avx2 && beta == 0.0f) return linear_rows_avx2<1>(x, cols, W, rows, y);
  if (g_use_avx2 && beta == 1.0f) return linear_rows_avx2<1, true>(x, cols, W, rows, y);
#endif
  cblas_sgemv(CblasRowMajor, CblasNoTrans, static_cast<int>(rows), static_cast<int>(cols), 1.0f, W,
              static_cast<int>(cols), x, 1, beta, y, 1);
}

void gemv_t(const float* W, std::int64_t rows, std::int64_t cols, const float* x, float* y) {
  if (cols <= 0) return;
  if (rows <= 0) {
    for (std::int64_t i = 0; i < cols; ++i) y[i] = 0.0f;
    return;
  }
  cblas_sgemv(CblasRowMajor, CblasTrans, static_cast<int>(rows), static_cast<int>(cols), 1.0f, W,
              static_cast<int>(cols), x, 1, 0.0f, y, 1);
}

std::int64_t packed_size(std::int64_t rows, std::int64_t cols) { return (rows + kPanel - 1) / kPanel * kPanel * cols; }

namespace {
// Calls f(std::integral_constant<int, m>{}) for m in 1..4: the few-row kernels are templates on m.
template <typename F>
void with_rows(std::int64_t m, F&& f) {
  switch (m) {
    case 1:
      return f(std::integral_constant<int, 1>{});
    case 2:
      return f(std::integral_constant<int, 2>{});
    case 3:
      return f(std::integral_constant<int, 3>{});
    default:
      return f(std::integral_constant<int, 4>{});
  }
}

template <typename WT, typename F>
void pack_panels_as(const float* W, std::int64_t rows, std::int64_t cols, WT* P, F convert) {
  for (std::int64_t r0 = 0; r0 < rows; r0 += kPanel)
    for (std::int64_t c = 0; c < cols; ++c)
      for (std::int64_t j = 0; j < kPanel; ++j)
        P[r0 * cols + c * kPanel + j] = r0 + j < rows ? convert(W[(r0 + j) * cols + c]) : WT{};
}

template <typename WT>
bool linear_packed_simd(const float* X, std::int64_t m, std::int64_t cols, const WT* P, std::int64_t rows, float* Y) {
  if (m <= 0 || rows <= 0) return true;
  if (cols <= 0 || m > 4) return false;
#if defined(__x86_64__) && defined(__GNUC__)
  if (g_use_avx512)
    return with_rows(m, [&](auto M) { linear_packed_avx512<decltype(M)::value>(X, cols, P, rows, Y); }), true;
  if (g_use_avx2)
    return with_rows(m, [&](auto M) { linear_packed_avx2<decltype(M)::value>(X, cols, P, rows, Y); }), true;
#else
  (void)X, (void)P, (void)Y;
#endif
  return false;
}
}  // namespace

void pack_panels(const float* W, std::int64_t rows, std::int64_t cols, float* P) {
  pack_panels_as(W, rows, cols, P, [](float w) { return w; });
}
void pack_panels(const float* W, std::int64_t rows, std::int64_t cols, std::uint16_t* P) {
  pack_panels_as(W, rows, cols, P,
                 [](float w) { return static_cast<std::uint16_t>(std::bit_cast<std::uint32_t>(w) >> 16); });
}
bool linear_packed(const float* X, std::int64_t m, std::int64_t cols, const float* P, std::int64_t rows, float* Y) {
  return linear_packed_simd(X, m, cols, P, rows, Y);
}
bool linear_packed(const float* X, std::int64_t m, std::int64_t cols, const std::uint16_t* P, std::int64_t rows,
                   float* Y) {
  return linear_packed_simd(X, m, cols, P, rows, Y);
}

int simd_level(int level) {
#if defined(__x86_64__) && defined(__GNUC__)
  const int was = g_level;
  if (level >= 0) {
    g_level = std::min(level, kCpuLevel);
    g_use_avx2 = g_level >= 1;
    g_use_avx512 = g_level >= 2;
  }
  return was;
#else
  (void)level;
  return 0;
#endif
}

namespace {

// The vector kernels for m in 1..4 rows; false if this CPU level / shape has none.
bool linear_rows_simd(const float* X, std::int64_t m, std::int64_t cols, const float* W, std::int64_t rows, float* Y) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (m < 1 || m > 4) return false;
  if (g_use_avx512 && cols % 16 == 0)
    return with_rows(m, [&](auto M) { linear_rows_avx512<decltype(M)::value>(X, cols, W, rows, Y); }), true;
  if (g_use_avx2) return with_rows(m, [&](auto M) { linear_rows_avx2<decltype(M)::value>(X, cols, W, rows, Y); }), true;
#endif
  (void)X, (void)m, (void)cols, (void)W, (void)rows, (void)Y;
  return false;
}

}  // namespace

void linear_rows(const float* X, std::int64_t m, std::int64_t cols, const float* W, std::int64_t rows, float* Y) {
  if (linear_rows_simd(X, m, cols, W, rows, Y)) return;
  for (std::int64_t i = 0; i < m; ++i) gemv(W, rows, cols, X + i * cols, Y + i * rows);
}

void linear(const float* X, std::int64_t m, std::int64_t cols, const float* W, std::int64_t rows, float* Y) {
  if (m <= 0 || rows <= 0) return;
  if (m <= 4 || cols <= 0) return linear_rows(X, m, cols, W, rows, Y);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(m), static_cast<int>(rows),
              static_cast<int>(cols), 1.0f, X, static_cast<int>(cols), W, static_cast<int>(cols), 0.0f, Y,
              static_cast<int>(rows));
}

void rms_norm(const float* x, const float* w, std::int64_t n, double eps, float* out) {
  double ss = 0;
  std::int64_t i0 = 0;
#if defined(__x86_64__) && defined(__GNUC__)
  if (g_use_avx2) ss = sum_sq_d(x, n, 0.0, i0);
#endif
  for (std::int64_t i = i0; i < n; ++i) ss += static_cast<double>(x[i]) * x[i];
  const float var = static_cast<float>(ss / static_cast<double>(n));
  const float r = 1.0f / std::sqrt(var + static_cast<float>(eps));
  for (std::int64_t i = 0; i < n; ++i) out[i] = w[i] * (x[i] * r);
}

void layer_norm(const float* x, const float* w, const float* b, std::int64_t n, double eps, float* out) {
  double s = 0, ss = 0;
  std::int64_t i0 = 0, i1 = 0;
#if defined(__x86_64__) && defined(__GNUC__)
  if (g_use_avx2) s = sum_d(x, n, i0);
#endif
  for (std::int64_t i = i0; i < n; ++i) s += x[i];
  const double mean = s / static_cast<double>(n);
#if defined(__x86_64__) && defined(__GNUC__)
  if (g_use_avx2) ss = sum_sq_d(x, n, mean, i1);
#endif
  for (std::int64_t i = i1; i < n; ++i) ss += (x[i] - mean) * (x[i] - mean);
  const double rstd = 1.0 / std::sqrt(ss / static_cast<double>(n) + eps);
  std::int64_t i2 = 0;
#if defined(__x86_64__) && defined(__GNUC__)
  if (g_use_avx2) i2 = norm_apply_d(x, n, mean, rstd, w, b, out);
#endif
  for (std::int64_t i = i2; i < n; ++i) out[i] = static_cast<float>((x[i] - mean) * rstd) * w[i] + b[i];
}

void softmax(float* x, std::int64_t n) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (g_use_avx2) return softmax_avx2(x, n);
#endif
  float mx = -std::numeric_limits<float>::infinity();
  for (std::int64_t i = 0; i < n; ++i) mx = std::max(mx, x[i]);
  if (!std::isfinite(mx)) {  // every entry masked (cannot happen on the decode path): zeros
    std::fill(x, x + n, 0.0f);
    return;
  }
  float z = 0;
  for (std::int64_t i = 0; i < n; ++i) z += (x[i] = std::exp(x[i] - mx));
  const float inv = 1.0f / z;
  for (std::int64_t i = 0; i < n; ++i) x[i] *= inv;
}

void silu_mul(const float* gate, const float* up, std::int64_t n, float* out) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (g_use_avx2) return silu_mul_avx2(gate, up, n, out);
#endif
  for (std::int64_t i = 0; i < n; ++i) out[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

void gelu(float* x, std::int64_t n) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (g_use_avx512) return gelu_avx512(x, n);
  if (g_use_avx2) return gelu_avx2(x, n);
#endif
  constexpr float kSqrtHalf = 0.70710678118654752440f;
  for (std::int64_t i = 0; i < n; ++i) x[i] = x[i] * 0.5f * (1.0f + std::erf(x[i] * kSqrtHalf));
}

void attend(const float* q, std::int64_t G, const float* K, const float* V, std::int64_t S, std::int64_t hd,
            float scale, float* scores, float* out) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (g_use_avx2 && hd % 8 == 0) return attend_avx2(q, G, K, V, S, hd, scale, scores, out);
#endif
  for (std::int64_t g = 0; g < G; ++g) {
    float* sc = scores + g * S;
    gemv(K, S, hd, q + g * hd, sc);
    for (std::int64_t j = 0; j < S; ++j) sc[j] *= scale;
    softmax(sc, S);
    gemv_t(V, S, hd, sc, out + g * hd);
  }
}

void rope(float* x, const float* cos, const float* sin, std::int64_t hd) {
  const std::int64_t half = hd / 2;
  for (std::int64_t i = 0; i < half; ++i) {
    const float a = x[i], b = x[i + half];
    x[i] = a * cos[i] + -b * sin[i];
    x[i + half] = b * cos[i + half] + a * sin[i + half];
  }
}

float dot(const float* a, const float* b, std::int64_t n) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (g_use_avx2) return dot_avx2(a, b, n);
#endif
  float s = 0;
  for (std::int64_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

void add(float* y, const float* x, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) y[i] += x[i];
}

}  // namespace z2z::model::cpu
