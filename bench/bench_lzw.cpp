// LZW codec throughput on real token streams: the ids of ../shared/data/fixtures/llama3.jsonl
// (HF tokenizers output), S=4, K unlimited and K=2048. Reports base tokens/s (items/s) on one core.
//   build/bin/bench_lzw --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/lzw/codec.h"

using namespace z2z::lzw;

namespace {

// All fixture documents, and their concatenation (one long stream).
struct Corpus {
  std::vector<std::vector<TokenId>> docs;
  std::vector<TokenId> all;
};

const Corpus& corpus() {
  static Corpus c = [] {
    Corpus out;
    std::ifstream in(std::string(Z2Z_SHARED_DIR) + "/data/fixtures/llama3.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line);
      std::vector<TokenId> ids = j["ids"].get<std::vector<TokenId>>();
      out.all.insert(out.all.end(), ids.begin(), ids.end());
      out.docs.push_back(std::move(ids));
    }
    if (out.all.empty()) throw std::runtime_error("bench_lzw: no fixture ids found");
    return out;
  }();
  return c;
}

CompressionConfig llama3_config(std::int64_t K) {
  // Llama-3: 128000 BPE tokens + 256 special tokens (disabled), S=4.
  std::vector<TokenId> specials;
  for (TokenId id = 128000; id < 128256; ++id) specials.push_back(id);
  return CompressionConfig(LzwConfig{128256, K, 4, 128004, specials});
}

void BM_Encode(benchmark::State& state, bool per_doc) {
  const auto cfg = llama3_config(state.range(0) == 0 ? LzwConfig::kUnlimited : state.range(0));
  const Corpus& c = corpus();
  std::size_t tokens = 0, codes = 0;
  for (auto _ : state) {
    if (per_doc) {
      for (const auto& d : c.docs) {
        EncodeResult r = encode(cfg, d);
        codes += r.codes.size();
        benchmark::DoNotOptimize(r.codes.data());
      }
    } else {
      EncodeResult r = encode(cfg, c.all);
      codes += r.codes.size();
      benchmark::DoNotOptimize(r.codes.data());
    }
    tokens += c.all.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(tokens));
  state.counters["codes/token"] = static_cast<double>(codes) / static_cast<double>(tokens);
}

void BM_Decode(benchmark::State& state, bool per_doc) {
  const auto cfg = llama3_config(state.range(0) == 0 ? LzwConfig::kUnlimited : state.range(0));
  const Corpus& c = corpus();
  std::vector<std::vector<TokenId>> encoded;
  if (per_doc)
    for (const auto& d : c.docs) encoded.push_back(encode(cfg, d).codes);
  else
    encoded.push_back(encode(cfg, c.all).codes);
  std::size_t tokens = 0;
  for (auto _ : state) {
    for (const auto& e : encoded) {
      DecodeResult r = decode(cfg, e);
      tokens += r.ids.size();
      benchmark::DoNotOptimize(r.ids.data());
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(tokens));  // base tokens produced
}

}  // namespace

BENCHMARK_CAPTURE(BM_Encode, stream, false)->Arg(0)->Arg(2048)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Encode, per_doc, true)->Arg(0)->Arg(2048)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Decode, stream, false)->Arg(0)->Arg(2048)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Decode, per_doc, true)->Arg(0)->Arg(2048)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
