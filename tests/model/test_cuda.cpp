// CUDA: the hyper-cache scatter kernel (core/model/cuda/hyper_scatter.cu) against torch's index_put_,
// greedy generation on the GPU against the CPU, and the clear error of `--device cuda` on a machine
// without CUDA. Tests that need a GPU are SKIPPED (never reported as passed) when libtorch has no CUDA
// or no device is visible — Debian's libtorch is CPU-only — or when the kernel was not built (no nvcc).
#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <torch/cuda.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/run.h"
#ifdef Z2Z_HAVE_CUDA_KERNELS
#include "core/model/cuda/hyper_scatter.h"
#endif

using z2z::test::run;
using z2z::test::shell_quote;
using z2z::test::z2z_bin;
namespace fs = std::filesystem;

namespace {

const char* kNoCuda =
    "no CUDA here: torch::cuda::is_available() is false (this libtorch is built without CUDA or no GPU is visible)";

class Checkpoints {
 public:
  Checkpoints() : dir_(fs::temp_directory_path() / ("z2z_cuda_" + std::to_string(::getpid()))) {
    auto r = run("/usr/bin/python3 " +
                 shell_quote(std::string(Z2Z_SOURCE_DIR) + "/tests/model/reference/make_checkpoints.py") + " " +
                 shell_quote(dir_.string()) + " --seed 7");
    ok_ = r.exit_code == 0;
    err_ = r.err;
  }
  ~Checkpoints() { fs::remove_all(dir_); }
  bool ok() const { return ok_; }
  const std::string& err() const { return err_; }
  std::string model(const std::string& name) const { return (dir_ / name).string(); }

 private:
  fs::path dir_;
  bool ok_ = false;
  std::string err_;
};

std::vector<int> greedy_codes(const std::string& out) {
  std::vector<int> codes;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    auto e = nlohmann::json::parse(line);
    if (e["type"] == "step") codes.push_back(e["code"].get<int>());
  }
  return codes;
}

}  // namespace

TEST(CudaHyperScatter, MatchesIndexPut) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << kNoCuda;
#ifndef Z2Z_HAVE_CUDA_KERNELS
  GTEST_SKIP() << "the CUDA hyper-scatter kernel is not built (CMake found no nvcc, or -DZ2Z_CUDA=OFF)";
#else
  // D not a multiple of the kernel's 256 threads; several batch rows; unique (row, slot) targets.
  const std::int64_t B = 3, K = 17, D = 300;
  const std::vector<std::int64_t> b = {0, 2, 1, 2, 0, 1, 2}, s = {0, 16, 5, 3, 9, 6, 0};
  const auto N = static_cast<std::int64_t>(b.size());
  auto f32 = at::TensorOptions().dtype(at::kFloat).device(at::kCUDA);
  at::manual_seed(3);
  at::Tensor cache = at::randn({B, K, D}, f32), rows = at::randn({N, D}, f32);
  at::Tensor bi = at::tensor(b, at::kLong).to(at::kCUDA), si = at::tensor(s, at::kLong).to(at::kCUDA);
  at::Tensor want = cache.clone();
  want.index_put_({bi, si}, rows);
  const int rc = z2z_cuda_hyper_scatter_f32(rows.data_ptr<float>(), bi.data_ptr<std::int64_t>(),
                                            si.data_ptr<std::int64_t>(), cache.data_ptr<float>(), N, K, D, nullptr);
  ASSERT_EQ(rc, 0) << "cudaError " << rc;
  torch::cuda::synchronize();
  EXPECT_TRUE(at::equal(cache.cpu(), want.cpu()));
#endif
}

TEST(CudaGenerate, GreedyMatchesCpu) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << kNoCuda;
  Checkpoints ck;
  ASSERT_TRUE(ck.ok()) << ck.err();
  for (const char* name : {"v2_llama", "v1_phi3_adapter"}) {
    const std::string base = z2z_bin() +
                             " generate --jsonl --max-new-tokens 16 --prompt-ids '5 6 7 5 6 7 5 6' --model " +
                             shell_quote(ck.model(name));
    auto cpu = run(base + " --device cpu"), gpu = run(base + " --device cuda");
    ASSERT_EQ(cpu.exit_code, 0) << cpu.err;
    ASSERT_EQ(gpu.exit_code, 0) << gpu.err;
    EXPECT_EQ(greedy_codes(cpu.out), greedy_codes(gpu.out)) << name;
  }
}

TEST(CudaGenerate, DeviceCudaWithoutCudaIsAClearError) {
  if (torch::cuda::is_available()) GTEST_SKIP() << "CUDA is available here; the no-CUDA error cannot be tested";
  Checkpoints ck;
  ASSERT_TRUE(ck.ok()) << ck.err();
  auto r = run(z2z_bin() + " generate --device cuda --max-new-tokens 2 --prompt-ids '5 6 7' --model " +
               shell_quote(ck.model("v2_llama")));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("--device cuda"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no CUDA support or no GPU is visible"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--device cpu"), std::string::npos) << r.err;  // says what to do instead
  EXPECT_TRUE(r.out.empty()) << r.out;
}
