// The f32 CPU kernels of the single-token decode path (core/model/cpu_kernels.h) against plain
// double-precision references, at sizes that hit the vector bodies, their tails, the AVX2 multi-row
// kernel (m <= 4) and the sgemm path (m > 4), and head dims with and without the AVX2 attention.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/model/cpu_kernels.h"

namespace cpu = z2z::model::cpu;

namespace {

std::vector<float> randv(std::size_t n, unsigned seed, float scale = 1.0f) {
  std::mt19937 g(seed);
  std::normal_distribution<float> d(0.0f, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = d(g);
  return v;
}

void expect_close(double got, double want, double rel, const std::string& what) {
  EXPECT_LE(std::abs(got - want), rel * std::max(1.0, std::abs(want))) << what << ": got " << got << " want " << want;
}

// Every test runs at each SIMD level: AVX-512 and AVX2 (skipped where the CPU lacks them) and the
// portable code.
class CpuKernels : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    was_ = cpu::simd_level(-1);
    if (cpu::simd_level(GetParam()) < GetParam() || cpu::simd_level(-1) < GetParam())
      GTEST_SKIP() << "this CPU has no " << (GetParam() == 2 ? "AVX-512F" : "AVX2+FMA");
  }
  void TearDown() override { cpu::simd_level(was_); }
  int was_ = 0;
};

// Y[m, rows] against X . W^T in double precision.
void expect_product_close(const std::vector<float>& X, std::int64_t m, std::int64_t cols, const std::vector<float>& W,
                          std::int64_t rows, const std::vector<float>& Y, const std::string& what) {
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t r = 0; r < rows; ++r) {
      double want = 0;
      for (std::int64_t c = 0; c < cols; ++c)
        want +=
            static_cast<double>(X[static_cast<std::size_t>(i * cols + c)]) * W[static_cast<std::size_t>(r * cols + c)];
      expect_close(Y[static_cast<std::size_t>(i * rows + r)], want, 1e-5, what);
    }
}

}  // namespace

TEST_P(CpuKernels, LinearMatchesReference) {
  for (std::int64_t m : {1, 2, 3, 4, 5, 7}) {
    for (std::int64_t cols : {1, 7, 8, 33, 128}) {
      for (std::int64_t rows : {1, 3, 64}) {
        auto X = randv(static_cast<std::size_t>(m * cols), 1), W = randv(static_cast<std::size_t>(rows * cols), 2);
        std::vector<float> Y(static_cast<std::size_t>(m * rows), -1.0f);
        cpu::linear(X.data(), m, cols, W.data(), rows, Y.data());
        expect_product_close(X, m, cols, W, rows, Y, "linear m=" + std::to_string(m) + " cols=" + std::to_string(cols));
      }
    }
  }
}

// Panel-packed products: close to a double-precision reference, the same bits from f32 and bf16
// panels of an exactly-bf16 matrix, and the same bits on every vector path (each output is one fma
// chain over the inputs in order). They decline (false, Y untouched) for m > 4 or without AVX2.
namespace {
std::vector<float> packed_product(const std::vector<float>& X, std::int64_t m, std::int64_t cols,
                                  const std::vector<float>& W, std::int64_t rows, bool bf16, bool& done) {
  std::vector<float> Y(static_cast<std::size_t>(m * rows), -2.0f);
  const auto size = static_cast<std::size_t>(cpu::packed_size(rows, cols));
  if (bf16) {
    std::vector<std::uint16_t> P(size, 0xFFFF);
    cpu::pack_panels(W.data(), rows, cols, P.data());
    done = cpu::linear_packed(X.data(), m, cols, P.data(), rows, Y.data());
  } else {
    std::vector<float> P(size, std::numeric_limits<float>::quiet_NaN());
    cpu::pack_panels(W.data(), rows, cols, P.data());
    done = cpu::linear_packed(X.data(), m, cols, P.data(), rows, Y.data());
  }
  return Y;
}
}  // namespace

TEST_P(CpuKernels, LinearPackedMatchesReferenceAndIsBitIdenticalAcrossStorageAndPaths) {
  for (std::int64_t m : {1, 2, 3, 4, 5}) {
    for (std::int64_t cols : {1, 7, 128}) {
      for (std::int64_t rows : {1, 17, 64, 130}) {  // partial panels and quarters too
        const std::string what =
            "m=" + std::to_string(m) + " cols=" + std::to_string(cols) + " rows=" + std::to_string(rows);
        auto X = randv(static_cast<std::size_t>(m * cols), 3), W = randv(static_cast<std::size_t>(rows * cols), 4);
        for (float& w : W)  // exactly bf16
          w = std::bit_cast<float>(std::bit_cast<std::uint32_t>(w) & 0xFFFF0000u);
        bool done32 = false, done16 = false;
        const auto Y32 = packed_product(X, m, cols, W, rows, false, done32);
        const auto Y16 = packed_product(X, m, cols, W, rows, true, done16);
        EXPECT_EQ(done32, GetParam() >= 1 && m <= 4) << what;
        EXPECT_EQ(done16, done32) << what;
        if (!done32) {
          EXPECT_EQ(Y32, std::vector<float>(Y32.size(), -2.0f)) << what;
          continue;
        }
        EXPECT_EQ(Y16, Y32) << what;
        expect_product_close(X, m, cols, W, rows, Y32, what);
        if (GetParam() == 2) {  // the AVX2 kernel gives the same bits
          cpu::simd_level(1);
          bool done_avx2 = false;
          EXPECT_EQ(packed_product(X, m, cols, W, rows, true, done_avx2), Y32) << what;
          EXPECT_TRUE(done_avx2);
          cpu::simd_level(2);
        }
      }
    }
  }
}

TEST_P(CpuKernels, GemvMatchesReference) {
  for (float beta : {0.0f, 1.0f, 0.5f}) {  // 0 and 1: the AVX2 kernel; others: BLAS
    for (std::int64_t cols : {1, 9, 256}) {
      for (std::int64_t rows : {1, 2, 7, 300}) {
        auto W = randv(static_cast<std::size_t>(rows * cols), 12), x = randv(static_cast<std::size_t>(cols), 13),
             y = randv(static_cast<std::size_t>(rows), 14);
        auto y0 = y;
        cpu::gemv(W.data(), rows, cols, x.data(), y.data(), beta);
        for (std::int64_t r = 0; r < rows; ++r) {
          double want = static_cast<double>(beta) * y0[static_cast<std::size_t>(r)];
          for (std::int64_t c = 0; c < cols; ++c)
            want += static_cast<double>(W[static_cast<std::size_t>(r * cols + c)]) * x[static_cast<std::size_t>(c)];
          expect_close(y[static_cast<std::size_t>(r)], want, 1e-5, "gemv beta=" + std::to_string(beta));
        }
      }
    }
  }
}

TEST_P(CpuKernels, SoftmaxMatchesReferenceAndMasksInfinity) {
  for (std::int64_t n : {1, 5, 8, 17, 300}) {
    auto x = randv(static_cast<std::size_t>(n), 3, 4.0f);
    if (n > 2) x[1] = -std::numeric_limits<float>::infinity();
    if (n > 4) x[3] = -200.0f;  // e^(x - max) underflows to 0
    std::vector<double> want(x.begin(), x.end());
    double mx = -INFINITY, z = 0;
    for (double v : want) mx = std::max(mx, v);
    for (double& v : want) z += (v = std::exp(v - mx));
    cpu::softmax(x.data(), n);
    for (std::int64_t i = 0; i < n; ++i)
      expect_close(x[static_cast<std::size_t>(i)], want[static_cast<std::size_t>(i)] / z, 2e-6,
                   "softmax n=" + std::to_string(n));
    if (n > 2) {
      EXPECT_EQ(x[1], 0.0f);
    }
  }
}

TEST_P(CpuKernels, SiluAndGeluMatchReference) {
  const std::int64_t n = 1001;  // vector body + tail
  auto g = randv(n, 4, 6.0f), u = randv(n, 5);
  g[0] = -120.0f, g[1] = 120.0f, g[2] = 0.0f;  // exp overflow / underflow edges
  std::vector<float> out(n), x = g;
  cpu::silu_mul(g.data(), u.data(), n, out.data());
  cpu::gelu(x.data(), n);
  for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
    const double gi = g[i];
    expect_close(out[i], gi / (1.0 + std::exp(-gi)) * u[i], 2e-6, "silu");
    expect_close(x[i], 0.5 * gi * (1.0 + std::erf(gi / std::sqrt(2.0))), 2e-6, "gelu");
  }
  if (GetParam() == 2) {  // the 16-lane GELU does per lane what the 8-lane one does: the same bits
    std::vector<float> y = g;
    cpu::simd_level(1);
    cpu::gelu(y.data(), n);
    cpu::simd_level(2);
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i)
      ASSERT_EQ(std::bit_cast<std::uint32_t>(x[i]), std::bit_cast<std::uint32_t>(y[i])) << "gelu element " << i;
  }
}

TEST_P(CpuKernels, AttendMatchesReference) {
  for (std::int64_t hd : {8, 12, 32}) {  // 12: no AVX2 path (head_dim % 8 != 0)
    for (std::int64_t G : {1, 2, 4}) {
      for (std::int64_t S : {1, 9, 100}) {
        auto q = randv(static_cast<std::size_t>(G * hd), 6), K = randv(static_cast<std::size_t>(S * hd), 7),
             V = randv(static_cast<std::size_t>(S * hd), 8);
        const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
        std::vector<float> scores(static_cast<std::size_t>(G * S)), out(static_cast<std::size_t>(G * hd));
        cpu::attend(q.data(), G, K.data(), V.data(), S, hd, scale, scores.data(), out.data());
        for (std::int64_t g = 0; g < G; ++g) {
          std::vector<double> p(static_cast<std::size_t>(S));
          double mx = -INFINITY, z = 0;
          for (std::int64_t s = 0; s < S; ++s) {
            double d = 0;
            for (std::int64_t j = 0; j < hd; ++j)
              d += static_cast<double>(q[static_cast<std::size_t>(g * hd + j)]) *
                   K[static_cast<std::size_t>(s * hd + j)];
            p[static_cast<std::size_t>(s)] = d * scale;
            mx = std::max(mx, p[static_cast<std::size_t>(s)]);
          }
          for (double& v : p) z += (v = std::exp(v - mx));
          for (std::int64_t j = 0; j < hd; ++j) {
            double want = 0;
            for (std::int64_t s = 0; s < S; ++s)
              want += p[static_cast<std::size_t>(s)] / z * V[static_cast<std::size_t>(s * hd + j)];
            expect_close(out[static_cast<std::size_t>(g * hd + j)], want, 1e-5,
                         "attend hd=" + std::to_string(hd) + " G=" + std::to_string(G) + " S=" + std::to_string(S));
          }
        }
      }
    }
  }
}

TEST_P(CpuKernels, NormsMatchReference) {
  const std::int64_t n = 257;
  auto x = randv(n, 9, 3.0f), w = randv(n, 10), b = randv(n, 11);
  std::vector<float> rms(n), ln(n);
  cpu::rms_norm(x.data(), w.data(), n, 1e-5, rms.data());
  cpu::layer_norm(x.data(), w.data(), b.data(), n, 1e-5, ln.data());
  double ss = 0, s = 0;
  for (float v : x) ss += static_cast<double>(v) * v, s += v;
  const double mean = s / n;
  double var = 0;
  for (float v : x) var += (v - mean) * (v - mean);
  var /= n;
  for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
    expect_close(rms[i], w[i] * x[i] / std::sqrt(ss / n + 1e-5), 1e-6, "rms_norm");
    expect_close(ln[i], (x[i] - mean) / std::sqrt(var + 1e-5) * w[i] + b[i], 1e-6, "layer_norm");
  }
}

INSTANTIATE_TEST_SUITE_P(Paths, CpuKernels, ::testing::Values(2, 1, 0), [](const auto& info) {
  return info.param == 2 ? std::string("avx512") : info.param == 1 ? std::string("avx2") : std::string("portable");
});
