// Session benchmarks: building a session by appending (canonical LZW of synthetic ids, as
// `z2z inspect` does), derived-state queries at random steps, and the JSON writer/reader: from_json of
// an id-only session, and session::load of a 100k-step model-run-like file (text, 8 candidates per
// step: bench/synthetic_session.h, the studio's bench file) with the fast reader and with the general
// reader it falls back to (session_readers.h).
// Run: build/bin/bench_session --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <filesystem>
#include <random>
#include <vector>

#include "bench/synthetic_session.h"

#include "core/session/session.h"
#include "core/session/session_file.h"
#include "core/session/session_readers.h"
#include "core/session/session_text.h"

namespace {

using namespace z2z;

std::vector<std::int32_t> ids(std::size_t n) {
  std::mt19937 rng(1);
  std::vector<std::int32_t> v;
  v.reserve(n);
  for (std::size_t i = 0; i < n; ++i) v.push_back(1 + static_cast<int>(rng() % 24) + (i % 3 == 0 ? 30 : 0));
  return v;
}

const lzw::CompressionConfig& config() {
  static const lzw::CompressionConfig c(lzw::LzwConfig{64, lzw::LzwConfig::kUnlimited, 4, 0, {}});
  return c;
}

const session::Session& million() {
  static const session::Session s = session::from_ids(ids(1'000'000), config());
  return s;
}

void BM_BuildByAppending(benchmark::State& st) {
  const auto v = ids(static_cast<std::size_t>(st.range(0)));
  for (auto _ : st) benchmark::DoNotOptimize(session::from_ids(v, config()).steps());
  st.SetItemsProcessed(st.iterations() * st.range(0));  // base tokens
}
BENCHMARK(BM_BuildByAppending)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_CountersAt(benchmark::State& st) {
  const auto& s = million();
  std::mt19937 rng(2);
  for (auto _ : st) benchmark::DoNotOptimize(s.counters(static_cast<std::int64_t>(rng() % (s.steps() + 1))));
}
BENCHMARK(BM_CountersAt);

void BM_EntryAt(benchmark::State& st) {
  const auto& s = million();
  std::mt19937 rng(3);
  for (auto _ : st) {
    const auto& e = s.entries()[rng() % s.entries().size()];
    benchmark::DoNotOptimize(s.entry(e.id, static_cast<std::int64_t>(rng() % (s.steps() + 1))));
  }
}
BENCHMARK(BM_EntryAt);

void BM_HistogramAt(benchmark::State& st) {
  const auto& s = million();
  std::mt19937 rng(4);
  for (auto _ : st) benchmark::DoNotOptimize(s.length_histogram(static_cast<std::int64_t>(rng() % (s.steps() + 1))));
}
BENCHMARK(BM_HistogramAt);

void BM_CodebookTableAtEnd(benchmark::State& st) {
  const auto& s = million();
  for (auto _ : st) benchmark::DoNotOptimize(s.codebook(s.steps()).size());
  st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(s.entries().size()));
}
BENCHMARK(BM_CodebookTableAtEnd)->Unit(benchmark::kMillisecond);

void BM_ToJson(benchmark::State& st) {
  const auto s = session::from_ids(ids(100'000), config());
  std::size_t bytes = 0;
  for (auto _ : st) bytes = session::to_json(s).size();
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_ToJson)->Unit(benchmark::kMillisecond);

void BM_FromJson(benchmark::State& st) {
  const std::string text = session::to_json(session::from_ids(ids(100'000), config()));
  for (auto _ : st) benchmark::DoNotOptimize(session::from_json(text).steps());
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_FromJson)->Unit(benchmark::kMillisecond);

// The 100k-step model-run file (95.6 MB), written once.
const std::filesystem::path& rich_file() {
  static const std::filesystem::path path = [] {
    const auto p =
        std::filesystem::temp_directory_path() / ("z2z_bench_session_" + std::to_string(::getpid()) + ".json");
    session::save(*bench::synthetic_session(100'000), p);
    std::atexit([] { std::filesystem::remove(rich_file()); });
    return p;
  }();
  return path;
}

void BM_LoadFile(benchmark::State& st) {
  const auto& path = rich_file();
  for (auto _ : st) benchmark::DoNotOptimize(session::load(path).steps());
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(std::filesystem::file_size(path)));
}
BENCHMARK(BM_LoadFile)->Unit(benchmark::kMillisecond);

void BM_LoadFileGeneralReader(benchmark::State& st) {  // what every load cost before the fast path
  const auto& path = rich_file();
  std::string text(std::filesystem::file_size(path), '\0');
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f || std::fread(text.data(), 1, text.size(), f) != text.size()) st.SkipWithError("cannot read");
  if (f) std::fclose(f);
  for (auto _ : st) benchmark::DoNotOptimize(session::detail::read_any_layout(text, "bench").steps());
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_LoadFileGeneralReader)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
