// Metric rows and one-line descriptions of a session (shared wording for every view).
#include "core/session/summary.h"

#include <filesystem>

#include <fmt/format.h>

#include "core/session/session_text.h"

namespace z2z::session {

std::string format_capacity(std::int64_t k) {
  return k >= lzw::LzwConfig::kUnlimited ? std::string("unlimited") : std::to_string(k);
}

namespace {
std::string base_name(const std::string& p) {
  if (p.empty()) return p;
  std::filesystem::path fp(p);
  std::string n = fp.filename().string();
  if (n.empty()) n = fp.parent_path().filename().string();
  return n.empty() ? p : n;
}
}  // namespace

std::vector<MetricRow> metric_rows(const Session& s, std::int64_t t) {
  const Counters c = s.counters(t);
  std::vector<MetricRow> r;
  r.push_back({"step", "step", fmt::format("{} / {}", c.step, s.steps())});
  r.push_back({"codes", "codes emitted", fmt::format("{}", c.codes())});
  r.push_back({"base_tokens", "base tokens", fmt::format("{}", c.base_tokens)});
  r.push_back(
      {"compression_rate", "compression rate (codes / base tokens)", fmt::format("{:.3f}", c.compression_rate())});
  r.push_back({"base_per_code", "base tokens per code", fmt::format("{:.3f}", c.base_per_code())});
  r.push_back({"hyper_ratio", "hypertoken ratio",
               fmt::format("{:.1f}% ({} of {})", 100.0 * c.hyper_ratio(), c.hyper_codes, c.codes())});
  r.push_back({"steps_saved", "decode steps saved", fmt::format("{}", c.steps_saved())});
  if (s.info().has_text) {
    r.push_back({"bytes_per_code", "bytes per code", fmt::format("{:.2f}", c.bytes_per_token())});
    r.push_back({"bytes_per_base_token", "bytes per base token", fmt::format("{:.2f}", c.bytes_per_base_token())});
  }
  r.push_back(
      {"codebook", "codebook size / K", fmt::format("{} / {}", c.codebook_size, format_capacity(c.codebook_capacity))});
  if (c.elapsed_ms > 0) {
    r.push_back({"tokens_per_s", "codes per second", fmt::format("{:.1f}", c.tokens_per_s())});
    r.push_back(
        {"base_tokens_per_s", "effective base tokens per second", fmt::format("{:.1f}", c.base_tokens_per_s())});
  }
  if (s.prompt())
    r.push_back(
        {"prompt", "prompt (codes / base tokens)", fmt::format("{} / {}", c.prompt_codes, c.prompt_base_tokens)});
  const auto h = s.length_histogram(t);
  std::string hist;
  for (std::size_t len = 2; len < h.size(); ++len) {
    if (!h[len]) continue;
    hist += fmt::format("{}{}×{}", hist.empty() ? "" : "  ", len, h[len]);
  }
  r.push_back({"length_histogram", "hypertokens by length", hist.empty() ? "none" : hist});
  if (s.info().source == "generate" && t >= s.steps()) {
    const TheoryVsActual tv = theory_vs_actual(s);
    if (tv.error.empty())
      r.push_back({"theory_vs_actual", "theory vs actual (canonical LZW)",
                   fmt::format("{} vs {} codes (rate {:.3f} vs {:.3f})", tv.canonical_codes, tv.actual_codes,
                               tv.canonical_rate(), tv.actual_rate())});
  }
  if (const auto& f = s.finish(); f && t >= s.steps()) r.push_back({"finish", "finished", f->reason});
  return r;
}

std::string run_title(const Session& s) {
  const RunInfo& r = s.info();
  std::string out = r.source;
  if (!r.model_dir.empty())
    out += fmt::format(" · {}{}", base_name(r.model_dir), r.model_arch.empty() ? "" : " (" + r.model_arch + ")");
  out += r.tokenizer.empty() ? std::string(" · ids only") : " · tokenizer " + base_name(r.tokenizer);
  return out;
}

std::string run_settings(const Session& s) {
  const RunInfo& r = s.info();
  std::string out = fmt::format("V={} K={} S={}", s.config().V(), format_capacity(s.config().K()), s.config().S());
  if (r.source == "generate") out += fmt::format(" · temperature {} · seed {}", r.temperature, r.seed);
  return out;
}

std::string status_line(const Session& s, std::int64_t t) {
  const Counters c = s.counters(t);
  const std::string cap =
      c.codebook_capacity >= lzw::LzwConfig::kUnlimited ? std::string("∞") : std::to_string(c.codebook_capacity);
  std::string out = fmt::format("step {} · {} codes → {} base · rate {:.3f} · codebook {}/{}", c.step, c.codes(),
                                c.base_tokens, c.compression_rate(), c.codebook_size, cap);
  if (c.elapsed_ms > 0) out += fmt::format(" · {:.1f} codes/s", c.tokens_per_s());
  return out;
}

}  // namespace z2z::session
