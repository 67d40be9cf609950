// Model-engine speed at batch 1 on the demo-size random-weight checkpoint (bench/make_bench_model.py:
// Llama 6 x 256, 8/4 heads, MLP 704, vocab 4096; zip2zip K=512 S=4, res_latent_attn encoders):
// prefill and greedy decode, plain base model vs zip2zip, plus a STREAM-like copy that measures the
// memory bandwidth the decode speed is compared against (bench/model_vs_pytorch.sh builds the table).
//   build/bin/bench_model [--model_dir=DIR] [--threads=N] [--prompt=N] [--decode=N] [benchmark flags]
//   build/bin/bench_model --print_codes      greedy codes of one run per model as JSON (parity check)
//   build/bin/bench_model --f32_encoder_reads  bf16 checkpoints: encoders read their f32 copies (A/B)
//   build/bin/bench_model --no_proj_in_tables  encoders project every slot through proj_in (A/B)
// Without --model_dir the checkpoint is generated once into /tmp/z2z_bench_model_<uid>.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/lzw/codec.h"
#include "core/model/zip2zip_model.h"

using namespace z2z::model;

namespace {

std::string g_model_dir;
bool g_bf16_encoders = true;   // --f32_encoder_reads: read bf16 checkpoints' encoder matrices as f32
bool g_proj_in_tables = true;  // --no_proj_in_tables
int g_threads = 1;
int g_prompt = 128;  // prompt length in base tokens
int g_decode = 128;  // codes generated per decode iteration

// Same formula as bench/pytorch_eager.py: repetitive ids (LZW finds repeats), never 0..2 (specials).
std::vector<std::int32_t> bench_prompt(int n) {
  std::vector<std::int32_t> ids;
  for (int i = 0; i < n; ++i) ids.push_back(3 + (i * 7 + (i / 5) * 3) % 61 + (i % 3) * 17);
  return ids;
}

std::shared_ptr<Zip2ZipModel> model(const std::string& which) {
  static std::map<std::string, std::shared_ptr<Zip2ZipModel>> cache;
  auto& m = cache[which];
  if (!m) {
    LoadOptions lo;
    lo.bf16_encoder_weights = g_bf16_encoders;
    lo.proj_in_tables = g_proj_in_tables;
    m = Zip2ZipModel::load(std::filesystem::path(g_model_dir) / which, lo);
  }
  return m;
}

std::vector<std::int32_t> prompt_codes(const Zip2ZipModel& m) {
  return z2z::lzw::encode(m.compression(), bench_prompt(g_prompt)).codes;
}

// Greedy over the emittable joint indices [0, V0 + K) (index j there is token id j).
std::int32_t argmax(const std::vector<float>& logits, const Zip2ZipModel& m) {
  const auto n = static_cast<std::size_t>(m.summary().V0 + m.summary().K);
  std::size_t best = 0;
  for (std::size_t j = 1; j < n; ++j)
    if (logits[j] > logits[best]) best = j;
  return static_cast<std::int32_t>(best);
}

void BM_Prefill(benchmark::State& state, const std::string& which) {
  auto m = model(which);
  InferenceSession s(m);
  const auto codes = prompt_codes(*m);
  double encoder_ms = 0, forward_ms = 0;
  for (auto _ : state) {
    s.reset();
    StepResult r = s.feed(codes);
    benchmark::DoNotOptimize(r.logits.data());
    encoder_ms += r.encoder_ms;
    forward_ms += r.forward_ms;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(codes.size()));
  state.counters["encoder_share"] = encoder_ms / std::max(1e-9, encoder_ms + forward_ms);
  state.counters["codes"] = static_cast<double>(codes.size());
  state.counters["base_tokens"] = g_prompt;
}

void BM_Decode(benchmark::State& state, const std::string& which) {
  auto m = model(which);
  InferenceSession s(m);
  const auto codes = prompt_codes(*m);
  double step_ms = 0, encoder_ms = 0;
  for (auto _ : state) {
    state.PauseTiming();
    s.reset();
    StepResult r = s.feed(codes);
    state.ResumeTiming();
    for (int i = 0; i < g_decode; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      std::int32_t next = argmax(r.logits, *m);
      r = s.feed(std::span<const std::int32_t>(&next, 1));
      step_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      encoder_ms += r.encoder_ms;
    }
  }
  state.SetItemsProcessed(state.iterations() * g_decode);
  state.counters["ms_per_code"] = step_ms / static_cast<double>(state.iterations() * g_decode);
  state.counters["encoder_share"] = step_ms > 0 ? encoder_ms / step_ms : 0;
}

// STREAM "copy" (b[i] = a[i]) over two arrays of state.range(0) MiB each; bytes_per_second counts
// read + write bytes, as STREAM does. 256 MiB: main memory; 12 MiB: a footprint like a decode step's
// weights (~23 MB), which can stay in this machine's 32 MiB L3 when it is quiet.
void BM_StreamCopy(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0)) << 18;  // floats per array
  std::vector<float> a(n, 1.0f), b(n, 0.0f);
  for (auto _ : state) {
    std::memcpy(b.data(), a.data(), n * sizeof(float));
    benchmark::DoNotOptimize(b.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(2 * n * sizeof(float)));
}

int print_codes() {
  std::string out = "{";
  for (const char* which : {"base", "z2z"}) {
    auto m = model(which);
    InferenceSession s(m);
    const auto codes = prompt_codes(*m);
    StepResult r = s.feed(codes);
    std::vector<std::int32_t> gen;
    for (int i = 0; i < g_decode; ++i) {
      gen.push_back(argmax(r.logits, *m));
      r = s.feed(std::span<const std::int32_t>(&gen.back(), 1));
    }
    out += fmt::format("{}\"{}\":{{\"prompt\":[{}],\"generated\":[{}]}}", out.size() > 1 ? "," : "", which,
                       fmt::join(codes, ","), fmt::join(gen, ","));
  }
  std::printf("%s}\n", out.c_str());
  return 0;
}

void summary_context() {
  for (const char* which : {"base", "z2z"}) {
    const ModelSummary& s = model(which)->summary();
    // Bytes a decode step reads besides activations: every decoder weight except the embedding
    // table (one row of it), zip2zip adds the K x D output cache (hyper logits).
    std::int64_t bytes = s.decoder_bytes - s.model_vocab * s.hidden * 4 + s.hidden * 4;
    if (s.zip2zip) bytes += s.K * s.hidden * 4;
    benchmark::AddCustomContext(std::string(which) + "_decode_weight_bytes", std::to_string(bytes));
    benchmark::AddCustomContext(std::string(which) + "_encoder_bytes", std::to_string(s.encoder_params * 4));
    // KV cache read per decode step and context position: layers x (K and V) x kv heads x head dim.
    benchmark::AddCustomContext(std::string(which) + "_kv_bytes_per_position",
                                std::to_string(s.layers * 2 * s.kv_heads * s.head_dim * 4));
    benchmark::AddCustomContext(std::string(which) + "_K", std::to_string(s.K));
    benchmark::AddCustomContext(std::string(which) + "_hidden", std::to_string(s.hidden));
  }
  benchmark::AddCustomContext("threads", std::to_string(compute_threads()));
  benchmark::AddCustomContext("prompt_base_tokens", std::to_string(g_prompt));
  benchmark::AddCustomContext("decode_codes", std::to_string(g_decode));
}

}  // namespace

int main(int argc, char** argv) {
  bool want_codes = false;
  std::vector<char*> rest{argv[0]};
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const char* flag) -> const char* {
      const std::string f = std::string(flag) + "=";
      return a.rfind(f, 0) == 0 ? argv[i] + f.size() : nullptr;
    };
    if (auto v = value("--model_dir"))
      g_model_dir = v;
    else if (auto v = value("--threads"))
      g_threads = std::atoi(v);
    else if (auto v = value("--prompt"))
      g_prompt = std::atoi(v);
    else if (auto v = value("--decode"))
      g_decode = std::atoi(v);
    else if (a == "--print_codes")
      want_codes = true;
    else if (a == "--f32_encoder_reads")
      g_bf16_encoders = false;
    else if (a == "--no_proj_in_tables")
      g_proj_in_tables = false;
    else
      rest.push_back(argv[i]);
  }
  if (g_model_dir.empty()) {
    g_model_dir = "/tmp/z2z_bench_model_" + std::to_string(::getuid());
    const std::string cmd =
        "/usr/bin/python3 '" + std::string(Z2Z_SOURCE_DIR) + "/bench/make_bench_model.py' '" + g_model_dir + "'";
    if (std::system(cmd.c_str()) != 0) {
      std::fprintf(stderr, "bench_model: could not create the checkpoint (%s)\n", cmd.c_str());
      return 1;
    }
  }
  set_compute_threads(g_threads);
  if (want_codes) return print_codes();

  // CPU time = the whole process (OpenMP workers included when --threads > 1).
  for (const char* which : {"base", "z2z"}) {
    benchmark::RegisterBenchmark((std::string("BM_Prefill/") + which).c_str(), BM_Prefill, std::string(which))
        ->Unit(benchmark::kMillisecond)
        ->MeasureProcessCPUTime();
    benchmark::RegisterBenchmark((std::string("BM_Decode/") + which).c_str(), BM_Decode, std::string(which))
        ->Unit(benchmark::kMillisecond)
        ->MeasureProcessCPUTime();
  }
  benchmark::RegisterBenchmark("BM_StreamCopy", BM_StreamCopy)
      ->Arg(256)
      ->Arg(12)
      ->Unit(benchmark::kMillisecond)
      ->MeasureProcessCPUTime();
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  summary_context();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
