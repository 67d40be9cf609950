// The generation loop.
#include "core/generate/generator.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/lzw/codec.h"
#include "core/util/error.h"

namespace z2z::gen {

namespace {
double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}
std::vector<Entry> to_entries(const std::vector<model::Insertion>& ins) {
  std::vector<Entry> out;
  out.reserve(ins.size());
  for (const auto& i : ins) out.push_back(Entry{i.id, i.base_ids});
  return out;
}
// Probability of `index` under softmax (temperature 1) over the masked logits, as the sampler reports.
double prob_at(const std::vector<float>& logits, std::int64_t index) {
  double mx = -INFINITY;
  for (float v : logits)
    if (std::isfinite(v)) mx = std::max<double>(mx, v);
  double z = 0;
  for (float v : logits)
    if (std::isfinite(v)) z += std::exp(static_cast<double>(v) - mx);
  const float l = logits[static_cast<std::size_t>(index)];
  return std::isfinite(l) && z > 0 ? std::exp(static_cast<double>(l) - mx) / z : 0.0;
}
}  // namespace

std::size_t complete_utf8_prefix(const std::string& s) {
  // Walk back over at most 3 trailing bytes to find an incomplete lead sequence.
  const std::size_t n = s.size();
  for (std::size_t back = 1; back <= std::min<std::size_t>(4, n); ++back) {
    const auto c = static_cast<unsigned char>(s[n - back]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    std::size_t need = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

Generator::Generator(std::shared_ptr<const model::Zip2ZipModel> model, Detokenizer detokenize)
    : model_(std::move(model)), detokenize_(std::move(detokenize)) {}

FinishEvent Generator::run(std::span<const std::int32_t> prompt_ids, const std::string& prompt_text,
                           const GenerationParams& params, const GenerationCallbacks& cb,
                           const std::atomic<bool>* cancel) {
  const auto t_start = std::chrono::steady_clock::now();
  if (prompt_ids.empty()) fail("generate: the prompt is empty (give at least one token)");
  if (params.max_new_tokens < 0) fail("generate: max_new_tokens must be >= 0");
  const model::Zip2ZipModel& m = *model_;
  const auto& summary = m.summary();

  PromptEvent pe;
  pe.text = prompt_text;
  pe.base_ids.assign(prompt_ids.begin(), prompt_ids.end());
  for (std::size_t i = 0; i < prompt_ids.size(); ++i) {
    const auto id = prompt_ids[i];
    if (id < 0 || id >= summary.model_vocab)
      fail("prompt id {} at position {} is outside the model vocab [0, {})", id, i, summary.model_vocab);
    if (!m.is_base_id(id)) fail("prompt id {} at position {} is a hypertoken id; give base ids", id, i);
  }
  const CodeSeed* seed = params.seed ? &*params.seed : nullptr;
  if (seed) {
    if (seed->prompt_codes.empty()) fail("generate: seed.prompt_codes is empty");
    pe.codes = seed->prompt_codes;
  } else {
    pe.codes = params.compress_prompt ? lzw::encode(m.compression(), prompt_ids).codes : pe.base_ids;
  }

  model::InferenceSession session(model_, params.mask_uninstalled);
  auto expansion = [&](std::int32_t id) -> std::vector<std::int32_t> {
    if (m.is_base_id(id)) return {id};
    return session.codebook().subtokens(id, 0);
  };
  const auto t_prefill = std::chrono::steady_clock::now();
  model::StepResult step = session.feed(pe.codes);
  pe.prefill_ms = ms_since(t_prefill);
  pe.encoder_ms = step.encoder_ms;
  pe.inserted = to_entries(step.inserted);
  if (seed) {  // the given codes must stand for the prompt's base ids
    std::vector<std::int32_t> expanded;
    for (auto c : pe.codes) {
      const auto e = expansion(c);
      expanded.insert(expanded.end(), e.begin(), e.end());
    }
    if (expanded != pe.base_ids)
      fail("generate: seed.prompt_codes expand to {} base ids that differ from the prompt's {}", expanded.size(),
           pe.base_ids.size());
  }
  if (cb.on_prompt) cb.on_prompt(pe);

  std::vector<std::int32_t> generated_base;
  std::string shown;  // text already reported
  std::int64_t first_step = 0;
  std::size_t prefix_shown = 0;
  if (seed && !seed->prefix.empty()) {  // the earlier run's steps: one pass, not reported again
    step = session.feed(seed->prefix);
    for (auto c : seed->prefix) {
      const auto e = expansion(c);
      generated_base.insert(generated_base.end(), e.begin(), e.end());
    }
    if (detokenize_) {
      std::string all = detokenize_(generated_base);
      shown = all.substr(0, complete_utf8_prefix(all));
      prefix_shown = shown.size();
    }
    first_step = static_cast<std::int64_t>(seed->prefix.size());
  }

  FinishEvent fin;
  fin.steps = first_step;
  fin.prompt_base_tokens = static_cast<std::int64_t>(pe.base_ids.size());
  fin.prompt_codes = static_cast<std::int64_t>(pe.codes.size());
  fin.prefill_ms = pe.prefill_ms;
  fin.reason = "length";
  Sampler sampler(params.sampling);
  const std::size_t n_forced = seed ? seed->forced.size() : 0;

  for (std::int64_t i = 0; i < params.max_new_tokens; ++i) {
    if (cancel && cancel->load()) {
      fin.reason = "cancelled";
      break;
    }
    const std::int64_t t = first_step + i;
    StepEvent ev;
    ev.step = t;
    const auto t_sample = std::chrono::steady_clock::now();
    m.mask_unemittable(step.logits);
    SampleResult s = sampler.sample(step.logits, params.top_logprobs);
    if (static_cast<std::size_t>(i) < n_forced) {  // a forced code replaces the sampled one
      const std::int32_t code = seed->forced[static_cast<std::size_t>(i)];
      const std::int64_t index = code < 0 ? -1 : m.id_to_index(code);
      if (index < 0 || index >= static_cast<std::int64_t>(step.logits.size()))
        fail("generate: forced code {} (step {}) is not a token id of this model", code, t);
      if (!std::isfinite(step.logits[static_cast<std::size_t>(index)]))
        fail("generate: forced code {} cannot be emitted at step {} (not installed)", code, t);
      s.index = index;
      s.prob = prob_at(step.logits, index);
      s.outside_top = std::none_of(s.top.begin(), s.top.end(), [&](const Ranked& r) { return r.index == index; });
    }
    ev.code = m.index_to_id(s.index);
    ev.is_hyper = !m.is_base_id(ev.code);
    ev.prob = s.prob;
    ev.outside_top = s.outside_top;
    ev.base_ids = expansion(ev.code);
    for (const auto& r : s.top) {
      Candidate c;
      c.id = m.index_to_id(r.index);
      c.prob = r.prob;
      c.is_hyper = !m.is_base_id(c.id);
      c.base_ids = expansion(c.id);
      if (detokenize_) c.text = detokenize_(c.base_ids);
      ev.top.push_back(std::move(c));
    }
    ev.sample_ms = ms_since(t_sample);
    ev.eos =
        !ev.is_hyper && std::find(summary.eos_ids.begin(), summary.eos_ids.end(), ev.code) != summary.eos_ids.end();

    if (!ev.eos) {
      generated_base.insert(generated_base.end(), ev.base_ids.begin(), ev.base_ids.end());
      if (detokenize_) {
        std::string all = detokenize_(generated_base);
        std::size_t upto = complete_utf8_prefix(all);
        if (upto > shown.size() && all.compare(0, shown.size(), shown) == 0) {
          ev.text = all.substr(shown.size(), upto - shown.size());
          shown = all.substr(0, upto);
        } else if (all.compare(0, shown.size(), shown) != 0) {
          shown = all.substr(0, upto);  // decoder rewrote earlier text (rare): resync silently
        }
      }
      // Feed the code: updates the codebook (insertions belong to this step) and gives the next logits.
      step = session.feed(std::span<const std::int32_t>(&ev.code, 1));
      ev.inserted = to_entries(step.inserted);
      ev.forward_ms = step.forward_ms;
      ev.encoder_ms = step.encoder_ms;
    }
    fin.steps = t + 1;
    if (cb.on_step) cb.on_step(ev);
    if (ev.eos) {
      fin.reason = "eos";
      break;
    }
    bool stop = false;
    for (const auto& ss : params.stop_strings) {
      if (ss.empty() || shown.size() < ss.size()) continue;
      std::size_t from = shown.size() > ss.size() + 64 ? shown.size() - ss.size() - 64 : 0;
      if (prefix_shown >= ss.size()) from = std::max(from, prefix_shown - ss.size() + 1);  // not in the resumed prefix
      if (shown.find(ss, from) != std::string::npos) stop = true;
    }
    if (stop) {
      fin.reason = "stop";
      break;
    }
  }
  fin.base_tokens = static_cast<std::int64_t>(generated_base.size());
  fin.codebook_size = static_cast<std::int64_t>(session.codebook().state(0).codebook().size());
  fin.total_ms = ms_since(t_start);
  if (cb.on_finish) cb.on_finish(fin);
  return fin;
}

}  // namespace z2z::gen
