// The numbers every view prints about a session at step t, with one wording: metric rows (label,
// value) for the summary block / stats table / Markdown, and short run descriptions. Views format
// the rows; none computes its own numbers. Not a renderer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/session/session.h"

namespace z2z::session {

struct MetricRow {
  std::string key;    // stable machine name ("compression_rate")
  std::string label;  // "compression rate (codes / base tokens)"
  std::string value;  // formatted ("0.412")
};

std::vector<MetricRow> metric_rows(const Session& s, std::int64_t t);
// "generate · v2_llama (llama) · tokenizer llama3.json" / "text · tokenizer llama3.json"
std::string run_title(const Session& s);
// "V=27 K=100 S=4 · temperature 0 · seed 0"
std::string run_settings(const Session& s);
// "step 40 · 40 codes → 97 base · rate 0.412 · codebook 141/1024 · 12.5 codes/s" (live footers; K unlimited: ∞)
std::string status_line(const Session& s, std::int64_t t);
std::string format_capacity(std::int64_t k);  // "1024" or "unlimited"

}  // namespace z2z::session
