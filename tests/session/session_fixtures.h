// Test fixtures: synthetic sessions that look like model runs (non-canonical code streams decoded
// by the streaming LZW decoder, as the generator does), with a prompt, top-k, timings and EOS.
#pragma once

#include <algorithm>
#include <random>
#include <vector>

#include "core/generate/events.h"
#include "core/lzw/codec.h"
#include "core/session/session.h"

namespace z2z::test {

inline lzw::LzwConfig small_config(std::int64_t V = 8, std::int64_t K = 40, std::int32_t S = 4) {
  return lzw::LzwConfig{V, K, S, 0, {}};
}

struct Recorded {
  gen::PromptEvent prompt;
  std::vector<gen::StepEvent> steps;
  gen::FinishEvent finish;
};

// A model-like run: prompt of `prompt_len` base ids, then `n` steps choosing an installed entry
// (p_hyper) or a base id; ends with an EOS (pad id 0) when `eos`.
inline Recorded record_run(std::uint64_t seed, std::int64_t n, const lzw::LzwConfig& lc, std::size_t prompt_len = 12,
                           double p_hyper = 0.5, bool eos = true) {
  std::mt19937_64 rng(seed);
  const lzw::CompressionConfig cfg(lc);
  Recorded r;
  std::uniform_int_distribution<int> base(1, static_cast<int>(cfg.V()) - 1);
  for (std::size_t i = 0; i < prompt_len; ++i) r.prompt.base_ids.push_back(base(rng) % 3 + 1);
  r.prompt.codes = lzw::encode(cfg, r.prompt.base_ids).codes;
  lzw::DecoderState dec(cfg);
  std::vector<std::int32_t> out;
  auto created = [&]() {
    std::vector<gen::Entry> es;
    for (auto id : dec.take_created()) {
      auto e = dec.codebook().expansion(id);
      es.push_back(gen::Entry{id, std::vector<std::int32_t>(e.begin(), e.end())});
    }
    std::sort(es.begin(), es.end(), [](auto& a, auto& b) { return a.id < b.id; });
    return es;
  };
  dec.push(r.prompt.codes, out);
  r.prompt.inserted = created();
  r.prompt.prefill_ms = 3.5;
  std::uniform_real_distribution<double> u(0, 1);
  for (std::int64_t t = 0; t < n; ++t) {
    gen::StepEvent e;
    e.step = t;
    const bool last = eos && t == n - 1;
    std::vector<std::int32_t> ids;
    dec.codebook().for_each_entry([&](std::int32_t id, auto) { ids.push_back(id); });
    if (last) {
      e.code = 0;
    } else if (!ids.empty() && u(rng) < p_hyper) {
      e.code = ids[std::uniform_int_distribution<std::size_t>(0, ids.size() - 1)(rng)];
    } else {
      e.code = base(rng);
    }
    e.is_hyper = e.code >= cfg.V();
    if (e.is_hyper) {
      auto x = dec.codebook().expansion(e.code);
      e.base_ids.assign(x.begin(), x.end());
    } else {
      e.base_ids = {e.code};
    }
    e.prob = 0.25 + 0.5 * u(rng);
    e.top.push_back(gen::Candidate{e.code, e.prob, e.is_hyper, e.base_ids, ""});
    e.top.push_back(gen::Candidate{1, 0.1, false, {1}, ""});
    e.eos = last;
    e.sample_ms = 0.1;
    e.forward_ms = 1.0 + u(rng);
    e.encoder_ms = 0.05;
    if (!last) {
      out.clear();
      dec.push(e.code, out);
      e.inserted = created();
    }
    r.steps.push_back(std::move(e));
  }
  r.finish.reason = eos ? "eos" : "length";
  r.finish.steps = n;
  r.finish.total_ms = 100;
  return r;
}

inline session::Session make_session(const Recorded& r, const lzw::LzwConfig& lc,
                                     session::Session::TokenBytes tb = {}) {
  session::RunInfo info;
  info.compression = lc;
  info.created = "2026-01-01T00:00:00Z";
  info.model_dir = "/models/synthetic";
  info.model_arch = "llama";
  info.has_text = static_cast<bool>(tb);
  session::Session s(info, tb);
  s.append_prompt(r.prompt);
  for (const auto& e : r.steps) {
    if (!tb || e.eos) {
      s.append_step(e);
      continue;
    }
    gen::StepEvent with_text = e;  // what the generator reports with a detokenizer
    for (auto id : e.base_ids) with_text.text += tb(id);
    s.append_step(with_text);
  }
  s.append_finish(r.finish);
  return s;
}

}  // namespace z2z::test
