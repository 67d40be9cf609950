// Derived state of a Session at step t equals a brute-force recomputation from the raw events
// (codebook replayed with a fresh decoder, counters and uses recounted), at several steps of
// several random model-like runs; appending validates its input.
#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "core/lzw/codec.h"
#include "core/session/session.h"
#include "core/session/session_text.h"
#include "core/session/stream_items.h"
#include "core/util/error.h"
#include "session/session_fixtures.h"

using namespace z2z;
using session::Session;

namespace {

struct Brute {
  std::map<std::int32_t, std::vector<std::int32_t>> codebook;
  std::map<std::int32_t, std::int64_t> uses, last_use;
  std::int64_t base = 0, hyper = 0;
  double ms = 0;
  std::map<std::size_t, std::int64_t> hist;
};

Brute brute(const test::Recorded& r, const lzw::LzwConfig& lc, std::int64_t t) {
  Brute b;
  const lzw::CompressionConfig cfg(lc);
  lzw::DecoderState dec(cfg);
  std::vector<std::int32_t> out;
  dec.push(r.prompt.codes, out);
  for (auto c : r.prompt.codes)
    if (c >= cfg.V()) ++b.uses[c], b.last_use[c] = -1;
  for (std::int64_t i = 0; i < t; ++i) {
    const auto& e = r.steps[static_cast<std::size_t>(i)];
    b.base += static_cast<std::int64_t>(e.base_ids.size());
    b.ms += e.sample_ms + e.forward_ms + e.encoder_ms;
    if (e.is_hyper) ++b.hyper, ++b.uses[e.code], b.last_use[e.code] = i, ++b.hist[e.base_ids.size()];
    if (!e.eos) dec.push(e.code, out);
  }
  for (const auto& [id, seq] : dec.codebook().entries()) b.codebook[id] = seq;
  return b;
}

}  // namespace

TEST(SessionState, DerivedStateEqualsBruteForceAtEveryStep) {
  for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
    const auto lc = test::small_config(8, seed == 4 ? 6 : 40, 4);  // seed 4: the codebook fills up
    const auto r = test::record_run(seed, 120, lc);
    const Session s = test::make_session(r, lc);
    ASSERT_EQ(s.steps(), 120);
    for (std::int64_t t = 0; t <= s.steps(); t += (t < 10 ? 1 : 7)) {
      SCOPED_TRACE(testing::Message() << "seed " << seed << " t " << t);
      const Brute b = brute(r, lc, t);
      const auto c = s.counters(t);
      EXPECT_EQ(c.step, t);
      EXPECT_EQ(c.base_tokens, b.base);
      EXPECT_EQ(c.hyper_codes, b.hyper);
      EXPECT_NEAR(c.elapsed_ms, b.ms, 1e-3);
      EXPECT_EQ(c.codebook_size, static_cast<std::int64_t>(b.codebook.size()));
      EXPECT_EQ(c.prompt_codes, static_cast<std::int64_t>(r.prompt.codes.size()));
      EXPECT_EQ(c.steps_saved(), b.base - t);
      const auto rows = s.codebook(t);
      ASSERT_EQ(rows.size(), b.codebook.size());
      for (const auto& row : rows) {
        ASSERT_TRUE(b.codebook.count(row.entry->id)) << row.entry->id;
        EXPECT_EQ(row.entry->base_ids, b.codebook.at(row.entry->id));
        const auto u = b.uses.count(row.entry->id) ? b.uses.at(row.entry->id) : 0;
        EXPECT_EQ(row.uses, u) << row.entry->id;
        EXPECT_EQ(row.last_use, u ? b.last_use.at(row.entry->id) : session::EntryState::kNever);
        const auto one = s.entry(row.entry->id, t);
        ASSERT_TRUE(one);
        EXPECT_EQ(one->uses, row.uses);
      }
      const auto h = s.length_histogram(t);
      for (std::size_t len = 2; len < h.size(); ++len)
        EXPECT_EQ(h[len], b.hist.count(len) ? b.hist.at(len) : 0) << "len " << len;
    }
    // An entry created at step k does not exist at k, exists at k + 1.
    for (const auto& e : s.entries()) {
      if (e.created_step < 0) continue;
      EXPECT_FALSE(s.entry(e.id, e.created_step));
      EXPECT_TRUE(s.entry(e.id, e.created_step + 1));
    }
  }
}

TEST(SessionState, PrefixIdsNestEntries) {
  const auto lc = test::small_config();
  const auto r = test::record_run(7, 200, lc);
  const Session s = test::make_session(r, lc);
  int nested = 0;
  for (const auto& e : s.entries()) {
    if (e.base_ids.size() == 2) {
      EXPECT_EQ(e.prefix_id, e.base_ids[0]);
    } else if (e.prefix_id >= 0) {
      const auto* p = s.find_entry(e.prefix_id);
      ASSERT_NE(p, nullptr);
      EXPECT_TRUE(std::equal(p->base_ids.begin(), p->base_ids.end(), e.base_ids.begin()));
      EXPECT_EQ(p->base_ids.size() + 1, e.base_ids.size());
      ++nested;
    }
  }
  EXPECT_GT(nested, 0);
}

TEST(SessionState, StepViewsRoundTripTheEvents) {
  const auto lc = test::small_config();
  const auto r = test::record_run(9, 50, lc);
  const Session s = test::make_session(r, lc);
  for (std::int64_t i = 0; i < s.steps(); ++i) {
    const auto e = s.step_event(i);
    const auto& o = r.steps[static_cast<std::size_t>(i)];
    EXPECT_EQ(e.code, o.code);
    EXPECT_EQ(e.base_ids, o.base_ids);
    EXPECT_EQ(e.is_hyper, o.is_hyper);
    EXPECT_EQ(e.eos, o.eos);
    EXPECT_DOUBLE_EQ(e.prob, o.prob);
    ASSERT_EQ(e.top.size(), o.top.size());
    EXPECT_EQ(e.top[0].base_ids, o.top[0].base_ids);
    ASSERT_EQ(e.inserted.size(), o.inserted.size());
    for (std::size_t k = 0; k < e.inserted.size(); ++k) EXPECT_EQ(e.inserted[k].base_ids, o.inserted[k].base_ids);
  }
  EXPECT_TRUE(s.step(s.steps() - 1).special);  // the EOS (pad id 0) is a special token
}

TEST(SessionState, AppendRejectsInconsistentEvents) {
  const auto lc = test::small_config();
  const auto r = test::record_run(5, 30, lc);
  auto expect_error = [&](auto mutate, const std::string& needle) {
    session::RunInfo info;
    info.compression = lc;
    Session s(info);
    s.append_prompt(r.prompt);
    for (std::size_t i = 0; i + 1 < 10; ++i) s.append_step(r.steps[i]);
    gen::StepEvent e = r.steps[9];
    mutate(e);
    try {
      s.append_step(e);
      ADD_FAILURE() << "no error for " << needle;
    } catch (const Error& err) {
      EXPECT_NE(std::string(err.what()).find(needle), std::string::npos) << err.what();
    }
    EXPECT_EQ(s.steps(), 9);  // nothing half-applied
  };
  expect_error([](gen::StepEvent& e) { e.step = 3; }, "steps[9].step");
  expect_error([](gen::StepEvent& e) { e.base_ids.clear(); }, "steps[9].base_ids");
  expect_error([](gen::StepEvent& e) { e.code = 5, e.is_hyper = true; }, "steps[9].is_hyper");
  expect_error([](gen::StepEvent& e) { e.code = 5, e.is_hyper = false, e.base_ids = {4}; }, "steps[9].base_ids");
  expect_error([](gen::StepEvent& e) { e.inserted = {gen::Entry{8, {1, 2}}}; }, "steps[9].inserted[0].id");
  expect_error([](gen::StepEvent& e) { e.inserted = {gen::Entry{48, {1, 2}}}; }, "not a hypertoken id");
  expect_error([](gen::StepEvent& e) { e.inserted = {gen::Entry{45, {1, 9}}}; }, "steps[9].inserted[0].base_ids[1]");
  expect_error([](gen::StepEvent& e) { e.prob = std::nan(""); }, "steps[9].prob");

  session::RunInfo info;
  info.compression = lc;
  Session s(info);
  gen::PromptEvent p = r.prompt;
  p.base_ids.push_back(3);
  EXPECT_THROW(s.append_prompt(p), Error);
  EXPECT_FALSE(s.prompt());
}

TEST(SessionState, CanonicalSessionFromIdsMatchesTheEncoder) {
  const auto lc = test::small_config(6, lzw::LzwConfig::kUnlimited, 4);
  std::vector<std::int32_t> ids;
  for (int i = 0; i < 300; ++i) ids.push_back(1 + (i * 7 + i / 5) % 4);
  const Session s = session::from_ids(ids, lzw::CompressionConfig(lc));
  const auto enc = lzw::encode(lzw::CompressionConfig(lc), ids);
  ASSERT_EQ(s.steps(), static_cast<std::int64_t>(enc.codes.size()));
  EXPECT_EQ(std::vector<std::int32_t>(s.base_ids().begin(), s.base_ids().end()), ids);
  // The streaming decoder lags the encoder by at most one entry.
  EXPECT_LE(s.codebook_size(s.steps()), static_cast<std::int64_t>(enc.codebook.size()));
  EXPECT_GE(s.codebook_size(s.steps()), static_cast<std::int64_t>(enc.codebook.size()) - 1);
  const auto tv = session::theory_vs_actual(s);
  EXPECT_TRUE(tv.error.empty());
  EXPECT_EQ(tv.canonical_codes, tv.actual_codes);
  EXPECT_EQ(tv.first_difference, -1);
}

TEST(SessionState, TheoryVsActualSeesNonCanonicalOutput) {
  const auto lc = test::small_config();
  const auto r = test::record_run(3, 80, lc, 12, 0.2);
  const Session s = test::make_session(r, lc);
  const auto tv = session::theory_vs_actual(s);
  ASSERT_TRUE(tv.error.empty()) << tv.error;
  EXPECT_EQ(tv.actual_codes, static_cast<std::int64_t>(r.prompt.codes.size() + r.steps.size()));
  EXPECT_EQ(tv.base_tokens, s.counters(s.steps()).base_tokens + s.counters(0).prompt_base_tokens);
  EXPECT_LE(tv.canonical_codes, tv.actual_codes);  // mostly base ids: LZW does better
  EXPECT_GE(tv.first_difference, static_cast<std::int64_t>(r.prompt.codes.size()));
}

TEST(SessionState, MillionTokenSessionStaysInstant) {
  // ~330k codes for 1M base tokens: build by appending, then time random queries.
  const auto lc = test::small_config(64, lzw::LzwConfig::kUnlimited, 4);
  std::vector<std::int32_t> ids;
  std::mt19937 rng(1);
  for (int i = 0; i < 1'000'000; ++i) ids.push_back(1 + static_cast<int>(rng() % 24) + (i % 3 == 0 ? 30 : 0));
  const auto t0 = std::chrono::steady_clock::now();
  const Session s = session::from_ids(ids, lzw::CompressionConfig(lc));
  const double build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(s.counters(s.steps()).base_tokens, 1'000'000);
  const auto t1 = std::chrono::steady_clock::now();
  std::int64_t sink = 0;
  const int queries = 20000;
  for (int q = 0; q < queries; ++q) {
    const std::int64_t t = static_cast<std::int64_t>(rng() % static_cast<std::uint32_t>(s.steps() + 1));
    sink += s.counters(t).base_tokens + s.length_histogram(t)[2];
    const auto& e = s.entries()[rng() % s.entries().size()];
    if (auto st = s.entry(e.id, t)) sink += st->uses;
  }
  const double query_us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t1).count() / queries;
  std::printf(
      "[ perf ] 1M base tokens: %lld codes, %zu entries, build %.0f ms, query (counters+histogram+entry) %.2f us\n",
      static_cast<long long>(s.steps()), s.entries().size(), build_ms, query_us);
  EXPECT_GT(sink, 0);  // timings are printed, not asserted (bench/bench_session.cpp measures them)
}

TEST(SessionState, CanonicalItemsShowTheoryNextToActual) {
  // A generated session with text (id k = letter 'a'+k): the canonical stream covers the same text.
  const auto lc = test::small_config();
  const auto r = test::record_run(21, 60, lc, 12, 0.3, false);
  const Session s = test::make_session(r, lc, [](std::int32_t id) { return std::string(1, char('a' + id)); });
  const auto canon = session::canonical_items(s);
  const auto tv = session::theory_vs_actual(s);
  ASSERT_EQ(static_cast<std::int64_t>(canon.size()), tv.canonical_codes);
  std::string a, b;
  for (const auto& it : canon) a += it.text;
  for (const auto& it : session::stream_items(s, s.steps())) b += it.text;
  EXPECT_EQ(a, b);
  std::size_t hyper = 0;
  for (const auto& it : canon) {
    EXPECT_EQ(it.cuts.size() + 1, it.length);  // one bar per internal boundary
    hyper += session::is_hyper_kind(it.kind);
  }
  EXPECT_GT(hyper, 0u);
  for (std::int64_t i = 0; i < s.steps(); ++i)  // the live cut computation (token bytes) marks every boundary
    if (!s.step(i).eos) {
      EXPECT_EQ(s.step(i).cuts.size() + 1, s.step(i).base_ids.size()) << "step " << i;
    }
  // For a canonical session theory and actual are the same stream.
  std::vector<std::int32_t> ids;
  for (int i = 0; i < 200; ++i) ids.push_back(1 + (i * 5 + i / 7) % 5);
  const Session c = session::from_ids(ids, lzw::CompressionConfig(lc));
  const auto ci = session::canonical_items(c);
  const auto si = session::stream_items(c, c.steps());
  ASSERT_EQ(ci.size(), si.size());
  for (std::size_t i = 0; i < ci.size(); ++i) EXPECT_EQ(ci[i].code, si[i].code);
}
