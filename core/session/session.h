// Session — the append-only log of one zip2zip run and the single source of truth for every view
// (terminal, GUI, exporters): run metadata, the prompt, one record per generated code, the finish.
// Build it by appending generator events (live, from a worker thread's queued signals, or when a
// file is loaded) or with from_text() (session_text.h). Derived state at any step t (= after the
// first t codes: t in [0, steps()]) comes from per-step prefix arrays kept while appending:
// counters O(1), one codebook entry O(log n), the codebook table O(entries log n), the emitted
// hypertoken length histogram O(S log n). Appending is O(size of the event).
// Not thread-safe (one writer; readers on the same thread). No I/O: see session_file.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/generate/events.h"
#include "core/lzw/codebook.h"
#include "core/lzw/config.h"

namespace z2z::tok {
class Tokenizer;
}

namespace z2z::session {

using TokenId = std::int32_t;

// What produced the session and with which settings. Plain data; every field is saved.
struct RunInfo {
  std::string source = "generate";  // "generate" (a model run) | "text" (from_text: canonical LZW of a text)
  std::string created;              // ISO 8601 UTC, e.g. "2026-01-31T12:00:00Z"
  std::string z2z_version;
  // model ("" when source = text)
  std::string model_dir, model_arch, position_mode;
  bool zip2zip = true;
  std::string tokenizer;  // tokenizer.json path or name; "" = ids only
  bool has_text = false;  // steps carry text (a tokenizer was available)
  lzw::LzwConfig compression;
  // sampling
  double temperature = 0.0, top_p = 1.0;
  std::int64_t top_k = 0, max_new_tokens = 0, top_logprobs = 0;
  std::uint64_t seed = 0;
  bool compress_prompt = true, mask_uninstalled = true;
  std::string device, dtype;
};

// A codebook entry and where it came from. created_step: the step whose code, fed back, created it
// (-1: created while the prompt was consumed).
struct CodebookEntry {
  TokenId id = 0;
  std::vector<TokenId> base_ids;
  std::int64_t created_step = -1;
  TokenId prefix_id = -1;  // entry (or base id) for base_ids[0..n-1]; -1 if none existed (non-canonical)
  std::string text;        // display text ("" without a tokenizer)
};

// An entry as seen at step t.
struct EntryState {
  const CodebookEntry* entry = nullptr;
  std::int64_t uses = 0;           // prompt codes + steps < t that emitted it
  std::int64_t last_use = kNever;  // step of the last use before t; -1 = in the prompt
  static constexpr std::int64_t kNever = -2;
};

struct Counters {
  std::int64_t step = 0;               // codes included (t)
  std::int64_t base_tokens = 0;        // base tokens the t codes expand to
  std::int64_t hyper_codes = 0;        // of the t codes, hypertokens
  std::int64_t text_bytes = 0;         // UTF-8 bytes of their text
  std::int64_t codebook_size = 0;      // entries existing after t steps (prompt entries included)
  std::int64_t codebook_capacity = 0;  // K (LzwConfig::kUnlimited when unlimited)
  std::int64_t prompt_base_tokens = 0, prompt_codes = 0;
  double elapsed_ms = 0.0;  // sum of the t steps' sample + forward + encoder times

  std::int64_t codes() const { return step; }
  // emitted codes / base tokens (docs/events.md): 1 = no compression, lower is better.
  double compression_rate() const { return base_tokens ? double(step) / double(base_tokens) : 1.0; }
  double base_per_code() const { return step ? double(base_tokens) / double(step) : 0.0; }
  double bytes_per_token() const { return step ? double(text_bytes) / double(step) : 0.0; }
  double bytes_per_base_token() const { return base_tokens ? double(text_bytes) / double(base_tokens) : 0.0; }
  double hyper_ratio() const { return step ? double(hyper_codes) / double(step) : 0.0; }
  std::int64_t steps_saved() const { return base_tokens - step; }  // decode steps a base model would need more
  double tokens_per_s() const { return elapsed_ms > 0 ? 1000.0 * double(step) / elapsed_ms : 0.0; }
  double base_tokens_per_s() const { return elapsed_ms > 0 ? 1000.0 * double(base_tokens) / elapsed_ms : 0.0; }
};

// One generated code, read from the session (views into its arenas; valid until the next append).
struct StepView {
  std::int64_t index = 0;
  TokenId code = 0;
  bool is_hyper = false, eos = false, outside_top = false, special = false;
  std::span<const TokenId> base_ids;
  std::string_view text;                // new UTF-8-complete text this step made visible
  std::span<const std::uint32_t> cuts;  // byte offsets in `text` of internal base-token boundaries
  std::string_view label;               // display text when `text` is empty (special tokens: "</s>")
  double prob = 0.0;
  std::span<const gen::Candidate> top;
  std::span<const CodebookEntry> inserted;
  double sample_ms = 0.0, forward_ms = 0.0, encoder_ms = 0.0;
};

struct PromptRecord {
  gen::PromptEvent event;              // event.inserted mirrors entries created by the prompt
  std::vector<std::string> code_text;  // display text per prompt code ("" without a tokenizer)
  std::vector<std::vector<std::uint32_t>> code_cuts;
};

class Session {
 public:
  // Raw bytes of one base token (tokenizer.token_bytes); optional. With it, appended events get
  // internal cut positions, entry texts, prompt code texts and special-token labels.
  using TokenBytes = std::function<std::string(TokenId)>;

  explicit Session(RunInfo info, TokenBytes token_bytes = {});
  // A session without a model: tokenize + canonical LZW, one step per code (session_text.h).
  static Session from_text(const tok::Tokenizer& tokenizer, std::string_view text, const lzw::CompressionConfig& config,
                           std::string tokenizer_name = {});

  // --- appending (throw z2z::Error naming the field on inconsistent input; nothing half-applied) ---
  void append_prompt(const gen::PromptEvent& e);  // at most once, before any step
  void append_step(const gen::StepEvent& e);      // e.step must equal steps()
  void append_finish(const gen::FinishEvent& e);
  // Used by the loader / from_text: extras the events do not carry.
  struct StepExtras {
    std::vector<std::uint32_t> cuts;
    std::string label;
    std::vector<std::string> entry_text;  // per e.inserted
    bool have = false;                    // use these instead of computing them from token_bytes
  };
  void append_step(const gen::StepEvent& e, const StepExtras& extras);
  struct PromptExtras {
    std::vector<std::string> code_text;
    std::vector<std::vector<std::uint32_t>> code_cuts;
    std::vector<std::string> entry_text;
    bool have = false;
  };
  void append_prompt(const gen::PromptEvent& e, const PromptExtras& extras);

  // --- the log ---
  const RunInfo& info() const { return info_; }
  RunInfo& mutable_info() { return info_; }
  const lzw::CompressionConfig& config() const { return config_; }
  const std::optional<PromptRecord>& prompt() const { return prompt_; }
  const std::optional<gen::FinishEvent>& finish() const { return finish_; }
  std::int64_t steps() const { return static_cast<std::int64_t>(codes_.size()); }
  StepView step(std::int64_t i) const;
  gen::StepEvent step_event(std::int64_t i) const;             // the event as appended (for JSON output)
  std::span<const TokenId> base_ids() const { return base_; }  // all generated base ids in order
  const std::string& text() const { return text_; }            // all generated text
  bool is_special(TokenId id) const { return config_.is_disabled(id); }

  // --- derived state at step t (clamped to [0, steps()]) ---
  Counters counters(std::int64_t t) const;
  std::int64_t codebook_size(std::int64_t t) const;
  // Entries existing at t, in creation order (prompt entries first).
  std::vector<EntryState> codebook(std::int64_t t) const;
  // One entry at t; nullopt if `id` is not an entry (yet).
  std::optional<EntryState> entry(TokenId id, std::int64_t t) const;
  const CodebookEntry* find_entry(TokenId id) const;  // regardless of t
  std::span<const CodebookEntry> entries() const { return entries_; }
  // Steps < t that emitted `id` (ascending).
  std::span<const std::int64_t> uses_of(TokenId id) const;
  // hist[L] = emitted hypertokens of L base tokens among the first t codes (size S + 1; [0], [1] = 0).
  std::vector<std::int64_t> length_histogram(std::int64_t t) const;
  // The step whose text covers byte `offset` of text() (steps() if past the end).
  std::int64_t step_at_text_offset(std::size_t offset) const;

 private:
  void add_entry(const gen::Entry& e, std::int64_t step, std::string text);
  void check_entries(const std::vector<gen::Entry>& es, std::int64_t step) const;  // step -1: the prompt
  // Cuts of a step's text from its base tokens' bytes (advances the held-back tail simulation).
  std::vector<std::uint32_t> simulate_cuts(std::span<const TokenId> base, std::size_t text_len);
  std::string entry_text(std::span<const TokenId> base) const;
  std::int64_t clamp(std::int64_t t) const { return t < 0 ? 0 : (t > steps() ? steps() : t); }
  std::int64_t entry_index(TokenId id) const;

  RunInfo info_;
  lzw::CompressionConfig config_;
  TokenBytes token_bytes_;
  std::optional<PromptRecord> prompt_;
  std::optional<gen::FinishEvent> finish_;

  // per step (size n) and prefix arrays (size n + 1)
  std::vector<TokenId> codes_;
  std::vector<std::uint8_t> flags_;  // 1 hyper, 2 eos, 4 outside_top
  std::vector<double> prob_;
  std::vector<double> sample_ms_, forward_ms_, encoder_ms_;
  std::vector<std::int64_t> cum_base_{0}, cum_bytes_{0}, cum_hyper_{0}, cum_cuts_{0}, cum_top_{0}, cum_entries_{0};
  std::vector<double> cum_ms_{0.0};
  std::vector<TokenId> base_;
  std::string text_;
  std::vector<std::uint32_t> cuts_;
  std::vector<gen::Candidate> top_;
  std::unordered_map<std::int64_t, std::string> labels_;

  // codebook index
  std::vector<CodebookEntry> entries_;     // creation order
  std::vector<std::int32_t> dense_index_;  // id - V -> entry index (-1 none), for ids < V + kDenseLimit
  std::unordered_map<TokenId, std::int32_t> sparse_index_;
  std::vector<std::vector<std::int64_t>> uses_;  // per entry: -1 per prompt use, then step indices
  std::vector<std::vector<std::int64_t>> hyper_steps_by_len_;
  lzw::Codebook seq_;  // sequence -> id, for prefix ids
  std::int64_t prompt_entries_ = 0;

  // bytes of an incomplete UTF-8 character held back by the last step (cut simulation)
  std::string pending_tail_;
};

// Complete UTF-8 prefix length of `bytes` (a trailing incomplete character is held back).
std::size_t complete_utf8_prefix_len(std::string_view bytes);
// Current UTC time as ISO 8601 ("2026-01-31T12:00:00Z").
std::string utc_now_iso8601();

}  // namespace z2z::session
