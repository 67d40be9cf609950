// Few-row matrix products of the hyper-encoder (core/model/cpu_kernels.h), on the demo encoder's
// shapes: the row-pair kernel (cpu::linear) against the panel-packed one (cpu::linear_packed) with
// f32 and bf16 panels, weights cached; and one whole encoder pass (the 14 matrices of a 2-layer
// res_latent_attn encoder, 3 slots) with the weights cached or after a 24 MB sweep that pushes them
// out of L2, as a decode step's 22 MB of decoder weights does.
//   build/bin/bench_kernels [benchmark flags]
#include <benchmark/benchmark.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/model/cpu_kernels.h"

using namespace z2z::model;

namespace {

std::vector<float> values(std::size_t n, float scale) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i)  // exactly bf16, so both panel storages hold the same matrix
    v[i] = std::bit_cast<float>(std::bit_cast<std::uint32_t>(scale * std::sin(0.37f * static_cast<float>(i))) &
                                0xFFFF0000u);
  return v;
}

struct Matrix {
  std::int64_t rows, cols;
  std::vector<float> w, p32;
  std::vector<std::uint16_t> p16;
  Matrix(std::int64_t r, std::int64_t c) : rows(r), cols(c), w(values(static_cast<std::size_t>(r * c), 0.05f)) {
    const auto size = static_cast<std::size_t>(cpu::packed_size(r, c));
    p32.resize(size);
    p16.resize(size);
    cpu::pack_panels(w.data(), r, c, p32.data());
    cpu::pack_panels(w.data(), r, c, p16.data());
  }
};

enum Kind { kRows = 0, kPackedF32 = 1, kPackedBf16 = 2 };

void product(const Matrix& M, const float* X, std::int64_t m, Kind kind, float* Y) {
  if (kind == kRows)
    cpu::linear(X, m, M.cols, M.w.data(), M.rows, Y);
  else if (kind == kPackedF32)
    cpu::linear_packed(X, m, M.cols, M.p32.data(), M.rows, Y);
  else
    cpu::linear_packed(X, m, M.cols, M.p16.data(), M.rows, Y);
}

// Args: kind, m (rows of X), weight rows, weight cols.
void BM_Product(benchmark::State& state) {
  const auto kind = static_cast<Kind>(state.range(0));
  const std::int64_t m = state.range(1);
  const Matrix M(state.range(2), state.range(3));
  const auto X = values(static_cast<std::size_t>(m * M.cols), 1.0f);
  std::vector<float> Y(static_cast<std::size_t>(m * M.rows));
  for (auto _ : state) {
    product(M, X.data(), m, kind, Y.data());
    benchmark::DoNotOptimize(Y.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * m * M.rows * M.cols);  // multiply-adds
}

// Args: kind, sweep MiB between passes (0: weights stay cached).
void BM_EncoderPass(benchmark::State& state) {
  const auto kind = static_cast<Kind>(state.range(0));
  const auto sweep_mib = static_cast<std::size_t>(state.range(1));
  std::vector<Matrix> mats;
  mats.emplace_back(128, 256);  // proj_in
  for (int layer = 0; layer < 2; ++layer) {
    for (int k = 0; k < 4; ++k) mats.emplace_back(128, 128);  // q, k, v, o
    mats.emplace_back(512, 128);                              // fc1
    mats.emplace_back(128, 512);                              // fc2
  }
  mats.emplace_back(256, 128);  // proj_out
  const std::int64_t m = 3;
  const auto X = values(static_cast<std::size_t>(m * 512), 1.0f);
  std::vector<float> Y(static_cast<std::size_t>(m * 512));
  std::vector<char> sweep(sweep_mib << 20, 1);
  for (auto _ : state) {
    if (!sweep.empty()) {
      state.PauseTiming();
      for (std::size_t i = 0; i < sweep.size(); i += 64) sweep[i] = static_cast<char>(sweep[i] + 1);
      benchmark::ClobberMemory();
      state.ResumeTiming();
    }
    for (const Matrix& M : mats) product(M, X.data(), m, kind, Y.data());
    benchmark::DoNotOptimize(Y.data());
    benchmark::ClobberMemory();
  }
}

void product_args(benchmark::internal::Benchmark* b) {
  for (int kind : {kRows, kPackedF32, kPackedBf16})
    for (int m : {2, 3})
      for (auto [rows, cols] : {std::pair{128, 128}, std::pair{512, 128}, std::pair{128, 512}})
        b->Args({kind, m, rows, cols});
}

}  // namespace

BENCHMARK(BM_Product)->Apply(product_args)->ArgNames({"kind", "m", "rows", "cols"});
BENCHMARK(BM_EncoderPass)
    ->ArgsProduct({{kRows, kPackedF32, kPackedBf16}, {0, 24}})
    ->ArgNames({"kind", "sweep_mib"})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
