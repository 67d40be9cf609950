// A synthetic "generate" session for the benchmarks (bench_studio, bench_session): canonical LZW
// (V = 3000, K = 16 384, S = 4) of a code-like id stream, re-appended as generator events with text, a
// probability, 8 candidates with text and timings per step, as a live run records them. 100 000 steps
// make a 95.6 MB session file.
#pragma once

#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/session/session.h"
#include "core/session/session_text.h"

namespace z2z::bench {

inline constexpr std::int32_t kVocab = 3000;

// Token texts: a few hundred word-like tokens, punctuation, indentation and newlines.
inline std::string token_text(session::TokenId id) {
  static const char* punct[] = {".", ",", "(", ")", ":", " =", " +", "_", "[", "]", "\n", "\n    ", " self", " the"};
  if (id < 14) return punct[id];
  std::string w = " ";
  std::uint32_t x = static_cast<std::uint32_t>(id) * 2654435761u;
  const int len = 2 + static_cast<int>(x % 6);
  for (int i = 0; i < len; ++i) {
    w += static_cast<char>('a' + (x >> 7) % 26);
    x = x * 1103515245u + 12345u;
  }
  return w;
}

// A code-like stream: 45 % from 400 phrases of 2..7 tokens, the rest Zipf-ish single tokens.
inline std::vector<std::int32_t> base_stream(std::size_t n) {
  std::mt19937 rng(7);
  std::vector<std::vector<std::int32_t>> phrases(400);
  for (auto& p : phrases) {
    const int len = 2 + static_cast<int>(rng() % 6);
    for (int i = 0; i < len; ++i) p.push_back(static_cast<std::int32_t>(rng() % 600));
  }
  std::vector<std::int32_t> v;
  v.reserve(n + 8);
  while (v.size() < n) {
    if (rng() % 100 < 45) {
      const auto& p = phrases[std::min<std::size_t>(rng() % 400, rng() % 400)];
      v.insert(v.end(), p.begin(), p.end());
    } else {
      const double u = std::uniform_real_distribution<double>(0, 1)(rng);
      v.push_back(static_cast<std::int32_t>(std::pow(u, 3.0) * (kVocab - 1)));
    }
  }
  v.resize(n);
  return v;
}

// The session: canonical LZW codes and insertions (from_ids), re-appended as generator events with
// text, probability, top-8 candidates and timings, as a live run would record them.
inline std::shared_ptr<session::Session> synthetic_session(std::int64_t steps) {
  lzw::LzwConfig c;
  c.initial_vocab_size = kVocab;
  c.max_codebook_size = 16384;
  c.max_subtokens = 4;
  c.pad_token_id = 0;
  const lzw::CompressionConfig cfg(c);
  const auto codes = session::from_ids(base_stream(static_cast<std::size_t>(steps) * 23 / 10), cfg);
  session::RunInfo info;
  info.source = "generate";
  info.created = session::utc_now_iso8601();
  info.z2z_version = "bench";
  info.model_dir = "synthetic";
  info.model_arch = "llama";
  info.tokenizer = "synthetic";
  info.has_text = true;
  info.compression = c;
  info.temperature = 0.7;
  info.top_k = 40;
  info.top_logprobs = 8;
  info.max_new_tokens = steps;
  auto s = std::make_shared<session::Session>(info, [](session::TokenId id) { return token_text(id); });
  gen::PromptEvent pe;
  pe.text = "class Stack:";
  pe.base_ids = {100, 101, 102};
  pe.codes = pe.base_ids;
  s->append_prompt(pe);
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (std::int64_t i = 0; i < steps && i < codes.steps(); ++i) {
    gen::StepEvent e = codes.step_event(i);
    e.text.clear();
    for (auto b : e.base_ids) e.text += token_text(b);
    e.prob = 0.05 + 0.9 * u(rng);
    for (int k = 0; k < 8; ++k) {
      gen::Candidate cd;
      cd.id = k == 0 ? e.code : static_cast<std::int32_t>(rng() % kVocab);
      cd.prob = k == 0 ? e.prob : (1.0 - e.prob) / (k + 1);
      cd.is_hyper = k == 0 && e.is_hyper;
      cd.base_ids = k == 0 ? e.base_ids : std::vector<std::int32_t>{cd.id};
      for (auto b : cd.base_ids) cd.text += token_text(b);
      e.top.push_back(std::move(cd));
    }
    e.sample_ms = 0.1;
    e.forward_ms = 2.0;
    s->append_step(e);
  }
  gen::FinishEvent f;
  f.reason = "length";
  f.steps = s->steps();
  f.base_tokens = static_cast<std::int64_t>(s->base_ids().size());
  s->append_finish(f);
  return s;
}

}  // namespace z2z::bench
