// Generation events: what one generation run reports, step by step. The session log, the terminal
// view, the GUI and every exporter are built from these. Schema documented in docs/events.md.
// Pure data, no torch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace z2z::gen {

struct Entry {  // a codebook entry
  std::int32_t id = 0;
  std::vector<std::int32_t> base_ids;
};

struct Candidate {
  std::int32_t id = 0;
  double prob = 0.0;
  bool is_hyper = false;
  std::vector<std::int32_t> base_ids;  // expansion (one id for base tokens)
  std::string text;                    // detokenized expansion (raw UTF-8, may be partial)
};

struct PromptEvent {
  std::string text;                    // empty when the prompt was given as ids
  std::vector<std::int32_t> base_ids;
  std::vector<std::int32_t> codes;     // what the model was fed (compressed unless disabled)
  std::vector<Entry> inserted;         // codebook entries the prompt created
  double prefill_ms = 0.0, encoder_ms = 0.0;
};

struct StepEvent {
  std::int64_t step = 0;               // 0-based index of the generated code
  std::int32_t code = 0;               // the emitted id (base id, or hypertoken id >= V0)
  bool is_hyper = false;
  std::vector<std::int32_t> base_ids;  // expansion of `code`
  std::string text;                    // new UTF-8-complete text this step made visible
  double prob = 0.0;                   // model probability of `code`
  std::vector<Candidate> top;          // top-k candidates (temperature 1)
  bool outside_top = false;            // sampled code not in `top`
  bool eos = false;
  std::vector<Entry> inserted;         // codebook entries created by decoding `code`
  double sample_ms = 0.0, forward_ms = 0.0, encoder_ms = 0.0;
};

struct FinishEvent {
  std::string reason;  // "eos" | "length" | "stop" | "cancelled"
  std::int64_t steps = 0, base_tokens = 0, prompt_base_tokens = 0, prompt_codes = 0;
  std::int64_t codebook_size = 0;
  double total_ms = 0.0, prefill_ms = 0.0;
};

}  // namespace z2z::gen
