// Small f32 CPU kernels of the single-token decode path (see cpu_kernels.h).
#include "core/model/cpu_kernels.h"

#include <cblas.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <limits>

namespace z2z::model::cpu {

void gemv(const float* W, std::int64_t rows, std::int64_t cols, const float* x, float* y, float beta) {
  if (rows <= 0) return;
  if (cols <= 0) {
    for (std::int64_t i = 0; i < rows; ++i) y[i] = beta == 0.0f ? 0.0f : beta * y[i];
    return;
  }
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

namespace {

#if defined(__x86_64__) && defined(__GNUC__)
// Y[m, rows] = X[m, cols] . W^T for m <= 4: every weight row is loaded once and multiplied into all
// m inputs (one BLAS gemv per input would stream W m times), two weight rows at a time, with the
// rows further ahead prefetched (the hyper-encoder's weights usually come from DRAM).
__attribute__((target("avx2,fma"))) float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

template <int M>
__attribute__((target("avx2,fma"))) void linear_rows_avx2(const float* X, std::int64_t cols, const float* W,
                                                          std::int64_t rows, float* Y) {
  const std::int64_t vec_end = cols - cols % 8;
  constexpr std::int64_t kAhead = 8;  // rows prefetched ahead
  std::int64_t r = 0;
  for (; r + 2 <= rows; r += 2) {
    const float* w0 = W + r * cols;
    const float* w1 = w0 + cols;
    if (r + kAhead < rows)
      for (std::int64_t c = 0; c < 2 * cols; c += 16)
        _mm_prefetch(reinterpret_cast<const char*>(w0 + kAhead * cols + c), _MM_HINT_T0);
    __m256 a0[M], a1[M];
    for (int i = 0; i < M; ++i) a0[i] = a1[i] = _mm256_setzero_ps();
    for (std::int64_t c = 0; c < vec_end; c += 8) {
      const __m256 v0 = _mm256_loadu_ps(w0 + c), v1 = _mm256_loadu_ps(w1 + c);
      for (int i = 0; i < M; ++i) {
        const __m256 x = _mm256_loadu_ps(X + i * cols + c);
        a0[i] = _mm256_fmadd_ps(v0, x, a0[i]);
        a1[i] = _mm256_fmadd_ps(v1, x, a1[i]);
      }
    }
    for (int i = 0; i < M; ++i) {
      float s0 = hsum(a0[i]), s1 = hsum(a1[i]);
      for (std::int64_t c = vec_end; c < cols; ++c) s0 += w0[c] * X[i * cols + c], s1 += w1[c] * X[i * cols + c];
      Y[i * rows + r] = s0;
      Y[i * rows + r + 1] = s1;
    }
  }
  for (; r < rows; ++r) {
    const float* w0 = W + r * cols;
    for (int i = 0; i < M; ++i) {
      __m256 a = _mm256_setzero_ps();
      for (std::int64_t c = 0; c < vec_end; c += 8)
        a = _mm256_fmadd_ps(_mm256_loadu_ps(w0 + c), _mm256_loadu_ps(X + i * cols + c), a);
      float s = hsum(a);
      for (std::int64_t c = vec_end; c < cols; ++c) s += w0[c] * X[i * cols + c];
      Y[i * rows + r] = s;
    }
  }
}

const bool kHaveAvx2Fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif

}  // namespace

void linear_rows(const float* X, std::int64_t m, std::int64_t cols, const float* W, std::int64_t rows, float* Y) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (kHaveAvx2Fma && m >= 1 && m <= 4) {
    switch (m) {
      case 1:
        return linear_rows_avx2<1>(X, cols, W, rows, Y);
      case 2:
        return linear_rows_avx2<2>(X, cols, W, rows, Y);
      case 3:
        return linear_rows_avx2<3>(X, cols, W, rows, Y);
      default:
        return linear_rows_avx2<4>(X, cols, W, rows, Y);
    }
  }
#endif
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
  for (std::int64_t i = 0; i < n; ++i) ss += static_cast<double>(x[i]) * x[i];
  const float var = static_cast<float>(ss / static_cast<double>(n));
  const float r = 1.0f / std::sqrt(var + static_cast<float>(eps));
  for (std::int64_t i = 0; i < n; ++i) out[i] = w[i] * (x[i] * r);
}

void layer_norm(const float* x, const float* w, const float* b, std::int64_t n, double eps, float* out) {
  double s = 0;
  for (std::int64_t i = 0; i < n; ++i) s += x[i];
  const double mean = s / static_cast<double>(n);
  double ss = 0;
  for (std::int64_t i = 0; i < n; ++i) ss += (x[i] - mean) * (x[i] - mean);
  const double rstd = 1.0 / std::sqrt(ss / static_cast<double>(n) + eps);
  for (std::int64_t i = 0; i < n; ++i) out[i] = static_cast<float>((x[i] - mean) * rstd) * w[i] + b[i];
}

void softmax(float* x, std::int64_t n) {
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
  for (std::int64_t i = 0; i < n; ++i) out[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

void gelu(float* x, std::int64_t n) {
  constexpr float kSqrtHalf = 0.70710678118654752440f;
  for (std::int64_t i = 0; i < n; ++i) x[i] = x[i] * 0.5f * (1.0f + std::erf(x[i] * kSqrtHalf));
}

void rope(float* x, const float* cos, const float* sin, std::int64_t hd) {
  const std::int64_t half = hd / 2;
  for (std::int64_t i = 0; i < half; ++i) {
    const float a = x[i], b = x[i + half];
    x[i] = a * cos[i] + -b * sin[i];
    x[i + half] = b * cos[i + half] + a * sin[i + half];
  }
}

void add(float* y, const float* x, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) y[i] += x[i];
}

}  // namespace z2z::model::cpu
