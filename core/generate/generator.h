// Generator — the generation loop: prompt -> base ids -> LZW (optional) -> prefill -> decode steps,
// sampling over base + hypertokens, stopping at EOS ids, max_new_tokens or stop strings. Reports
// PromptEvent, one StepEvent per emitted code, and FinishEvent through callbacks.
// Runs on the caller's thread; the GUI calls it from a worker thread and cancels through `cancel`.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/generate/events.h"
#include "core/generate/sampler.h"
#include "core/model/zip2zip_model.h"

namespace z2z::gen {

// Resume an exact code stream (branching, docs/studio.md): the prompt is fed as `prompt_codes`, taken
// as given (no canonical re-encoding; they must expand to the prompt's base ids); then `prefix`, the
// codes an earlier run emitted as steps 0..n-1, is fed in one pass and not reported again; then the
// `forced` codes are emitted as the next steps (reported like sampled ones: model probability, top-k);
// then sampling continues. The decoder rebuilds the codebook from the id stream, so after the prefix it
// is exactly the one the earlier run had at step n, whatever codes (canonical or not) it emitted.
// Steps are numbered from n; max_new_tokens counts the steps after the prefix; FinishEvent::steps and
// base_tokens count the prefix too (the totals of the resumed run).
struct CodeSeed {
  std::vector<std::int32_t> prompt_codes;
  std::vector<std::int32_t> prefix;
  std::vector<std::int32_t> forced;
};

struct GenerationParams {
  std::int64_t max_new_tokens = 128;
  SamplingParams sampling;
  std::size_t top_logprobs = 5;  // candidates reported per step
  bool compress_prompt = true;
  bool mask_uninstalled = true;  // false: uninstalled hyper slots get logit 0 (reference behaviour)
  std::vector<std::string> stop_strings;
  std::optional<CodeSeed> seed;  // resume from exact codes instead of encoding the prompt
};

// Maps base ids to raw UTF-8 bytes (may end in an incomplete character). Optional.
using Detokenizer = std::function<std::string(std::span<const std::int32_t>)>;

struct GenerationCallbacks {
  std::function<void(const PromptEvent&)> on_prompt;
  std::function<void(const StepEvent&)> on_step;
  std::function<void(const FinishEvent&)> on_finish;
};

class Generator {
 public:
  Generator(std::shared_ptr<const model::Zip2ZipModel> model, Detokenizer detokenize = {});

  FinishEvent run(std::span<const std::int32_t> prompt_base_ids, const std::string& prompt_text,
                  const GenerationParams& params, const GenerationCallbacks& callbacks,
                  const std::atomic<bool>* cancel = nullptr);

 private:
  std::shared_ptr<const model::Zip2ZipModel> model_;
  Detokenizer detokenize_;
};

// Split `bytes` into the longest prefix made of complete UTF-8 characters and the rest.
std::size_t complete_utf8_prefix(const std::string& bytes);

}  // namespace z2z::gen
