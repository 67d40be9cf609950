// Tokenizer throughput, single thread, on the kb512 corpora (../shared/data/corpora/kb512/<domain>.txt,
// 5 domains, ~2.2 MB): every document (separated by a line holding "\f") encoded with
// add_special_tokens=false, for the six shared tokenizers. Reports bytes/s (MB/s = bytes_per_second/1e6).
//   build/bin/bench_tokenizer                     Google Benchmark runs (warm word cache, like HF's)
//   build/bin/bench_tokenizer --tsv [--repeat N] [--only NAME]  one TSV line per (tokenizer, mode) for
//                                                 bench/tokenizer_vs_hf.sh: name, mode, bytes, tokens,
//                                                 id checksum, best seconds, MB/s
// mode "doc" = one encode per document, "file" = one encode per domain file (as tokenizer_vs_hf.mjs).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/tokenizer/tokenizer.h"

namespace {

const char* kDomains[] = {"code", "math", "chat", "multilingual", "web"};
const std::pair<const char*, const char*> kTokenizers[] = {
    {"llama3", "llama3.json"}, {"qwen3", "qwen3.json"},         {"gemma3", "gemma3.json"},
    {"o200k", "o200k.json"},   {"deepseek3", "deepseek3.json"}, {"llama2", "llama2-phi35.json"},
};

struct Corpus {
  std::vector<std::string> files, docs;
};

// Split like JavaScript's text.split(/\n\f\n/) in tokenizer_vs_hf.mjs, dropping empty documents.
std::vector<std::string> split_docs(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  for (;;) {
    const std::size_t p = text.find("\n\f\n", at);
    std::string d = text.substr(at, p == std::string::npos ? std::string::npos : p - at);
    if (!d.empty()) out.push_back(std::move(d));
    if (p == std::string::npos) break;
    at = p + 3;
  }
  return out;
}

const Corpus& corpus() {
  static const Corpus c = [] {
    Corpus out;
    for (const char* d : kDomains) {
      std::ifstream in(std::string(Z2Z_SHARED_DIR) + "/data/corpora/kb512/" + d + ".txt", std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      if (ss.str().empty()) throw std::runtime_error(std::string("bench_tokenizer: missing corpus ") + d);
      out.files.push_back(ss.str());
      for (auto& doc : split_docs(out.files.back())) out.docs.push_back(std::move(doc));
    }
    return out;
  }();
  return c;
}

z2z::tok::Tokenizer load(const char* file) {
  return z2z::tok::Tokenizer::from_file(std::string(Z2Z_SHARED_DIR) + "/data/tokenizers/" + file);
}

std::size_t total_bytes(const std::vector<std::string>& v) {
  std::size_t n = 0;
  for (const auto& s : v) n += s.size();
  return n;
}

void BM_Encode(benchmark::State& state, const char* file, bool per_doc) {
  const auto t = load(file);
  const auto& list = per_doc ? corpus().docs : corpus().files;
  std::size_t tokens = 0;
  for (auto _ : state) {
    tokens = 0;
    for (const auto& s : list) tokens += t.encode(s).size();
    benchmark::DoNotOptimize(tokens);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total_bytes(list)));
  state.counters["tokens"] = static_cast<double>(tokens);
}

int tsv(int repeat, const char* only) {
  for (const auto& [name, file] : kTokenizers) {
    if (only && std::strcmp(only, name) != 0) continue;
    const auto t = load(file);
    for (int per_doc = 1; per_doc >= 0; --per_doc) {
      const auto& list = per_doc ? corpus().docs : corpus().files;
      double best = 1e30;
      std::size_t tokens = 0;
      std::uint64_t checksum = 0;
      for (int r = 0; r <= repeat; ++r) {  // round 0 warms the word cache
        tokens = 0;
        checksum = 0;
        const auto t0 = std::chrono::steady_clock::now();
        for (const auto& s : list) {
          const auto toks = t.encode(s);
          for (const auto& k : toks) checksum += static_cast<std::uint64_t>(k.id) * (tokens++ % 1000 + 1);
        }
        const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (r > 0) best = std::min(best, dt);
      }
      const std::size_t b = total_bytes(list);
      std::printf("%s\t%s\t%zu\t%zu\t%llu\t%.4f\t%.2f\n", name, per_doc ? "doc" : "file", b, tokens,
                  static_cast<unsigned long long>(checksum), best, static_cast<double>(b) / 1e6 / best);
      std::fflush(stdout);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--tsv") == 0) {
      int repeat = 3;
      const char* only = nullptr;
      for (int j = 1; j + 1 < argc; ++j) {
        if (std::strcmp(argv[j], "--repeat") == 0) repeat = std::atoi(argv[j + 1]);
        if (std::strcmp(argv[j], "--only") == 0) only = argv[j + 1];
      }
      return tsv(repeat, only);
    }
  }
  for (const auto& [name, file] : kTokenizers) {
    benchmark::RegisterBenchmark((std::string("encode/") + name + "/doc").c_str(), BM_Encode, file, true)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("encode/") + name + "/file").c_str(), BM_Encode, file, false)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
