// Session: appending events (with validation) and the per-step index. Queries: session_query.cpp.
#include "core/session/session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>

#include <fmt/format.h>

#include "core/tokenizer/display.h"
#include "core/util/error.h"

namespace z2z::session {

namespace {

constexpr std::int64_t kDenseLimit = std::int64_t{1} << 22;

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Text made visible by appending one code's bytes to a held-back tail, and the cut positions of its
// internal base-token boundaries in that text (the tail comes first).
struct TextPiece {
  std::string text;
  std::vector<std::uint32_t> cuts;
};
TextPiece push_bytes(std::string& tail, std::span<const TokenId> base, const Session::TokenBytes& token_bytes) {
  std::string all = tail;
  std::vector<std::size_t> bounds;
  for (std::size_t k = 0; k < base.size(); ++k) {
    if (k) bounds.push_back(all.size());
    all += token_bytes(base[k]);
  }
  const std::size_t upto = complete_utf8_prefix_len(all);
  TextPiece p;
  p.text = all.substr(0, upto);
  tail = all.substr(upto);
  for (std::size_t b : bounds)
    if (b > 0 && b < p.text.size() && !is_continuation(p.text[b])) p.cuts.push_back(static_cast<std::uint32_t>(b));
  return p;
}

// The checks below run for every field of every loaded step: `where` is a callable giving the field's
// name, so the name is only formatted when the check fails.
template <typename Where>
void check_finite(double v, const Where& where) {
  if (!std::isfinite(v)) fail("{}: not a finite number", where());
}

// A probability: finite and in [0, 1] (a hair of rounding above 1 is tolerated).
template <typename Where>
void check_probability(double v, const Where& where) {
  check_finite(v, where);
  if (v < 0.0 || v > 1.0 + 1e-6) fail("{}: {} is not a probability (expected 0..1)", where(), v);
}

auto named(const char* name) {
  return [name] { return std::string(name); };
}

}  // namespace

std::size_t complete_utf8_prefix_len(std::string_view s) {
  const std::size_t n = s.size();
  for (std::size_t back = 1; back <= std::min<std::size_t>(4, n); ++back) {
    const auto c = static_cast<unsigned char>(s[n - back]);
    if ((c & 0xC0) == 0x80) continue;
    const std::size_t need = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

std::string utc_now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Session::Session(RunInfo info, TokenBytes token_bytes)
    : info_(std::move(info)), config_(info_.compression), token_bytes_(std::move(token_bytes)), seq_(config_.V()) {
  hyper_steps_by_len_.resize(static_cast<std::size_t>(config_.S()) + 1);
}

std::string Session::entry_text(std::span<const TokenId> base) const {
  if (!token_bytes_) return {};
  std::string bytes;
  for (TokenId id : base) bytes += token_bytes_(id);
  return tok::bytes_for_display(bytes);
}

std::int64_t Session::entry_index(TokenId id) const {
  const std::int64_t s = std::int64_t{id} - config_.V();
  if (s < 0) return -1;
  if (s < kDenseLimit) return s < static_cast<std::int64_t>(dense_index_.size()) ? dense_index_[s] : -1;
  auto it = sparse_index_.find(id);
  return it == sparse_index_.end() ? -1 : it->second;
}

const CodebookEntry* Session::find_entry(TokenId id) const {
  const std::int64_t i = entry_index(id);
  return i < 0 ? nullptr : &entries_[static_cast<std::size_t>(i)];
}

void Session::check_entries(const std::vector<gen::Entry>& es, std::int64_t step) const {
  TokenId prev = -1;
  for (std::size_t i = 0; i < es.size(); ++i) {
    const auto& e = es[i];
    const auto at = [&] {
      return fmt::format("{}.inserted[{}]", step < 0 ? "prompt" : fmt::format("steps[{}]", step), i);
    };
    if (e.id < config_.V() || e.id >= config_.id_limit())
      fail("{}.id: {} is not a hypertoken id (range [{}, {}))", at(), e.id, config_.V(), config_.id_limit());
    if (e.id <= prev) fail("{}.id: {} is not in ascending order", at(), e.id);
    prev = e.id;
    if (find_entry(e.id)) fail("{}.id: {} is already a codebook entry", at(), e.id);
    if (e.base_ids.size() < 2 || e.base_ids.size() > 4096)
      fail("{}.base_ids: an entry holds 2..4096 base ids, got {}", at(), e.base_ids.size());
    for (std::size_t k = 0; k < e.base_ids.size(); ++k) {
      const TokenId b = e.base_ids[k];
      if (b < 0 || b >= config_.V() || config_.is_disabled(b))
        fail("{}.base_ids[{}]: {} is not a mergeable base id (V={})", at(), k, b, config_.V());
    }
  }
}

void Session::add_entry(const gen::Entry& e, std::int64_t step, std::string text) {
  CodebookEntry ce;
  ce.id = e.id;
  ce.base_ids = e.base_ids;
  ce.created_step = step;
  const std::span<const TokenId> seq(e.base_ids);
  if (seq.size() == 2) {
    ce.prefix_id = seq[0];
  } else {
    const auto node = seq_.find(seq.first(seq.size() - 1));
    ce.prefix_id = seq_.is_entry(node) ? seq_.code_of(node) : -1;
  }
  ce.text = std::move(text);
  seq_.insert(seq, e.id);
  const auto idx = static_cast<std::int32_t>(entries_.size());
  const std::int64_t s = std::int64_t{e.id} - config_.V();
  if (s < kDenseLimit) {
    if (s >= static_cast<std::int64_t>(dense_index_.size()))
      dense_index_.resize(
          static_cast<std::size_t>(std::max<std::int64_t>(s + 1, 2 * std::int64_t(dense_index_.size()))), -1);
    dense_index_[static_cast<std::size_t>(s)] = idx;
  } else {
    sparse_index_[e.id] = idx;
  }
  entries_.push_back(std::move(ce));
  uses_.emplace_back();
}

void Session::append_prompt(const gen::PromptEvent& e) { append_prompt(e, PromptExtras{}); }

void Session::append_prompt(const gen::PromptEvent& e, const PromptExtras& x) {
  if (prompt_) fail("prompt: the session already has a prompt");
  if (!codes_.empty()) fail("prompt: must come before the first step");
  check_entries(e.inserted, -1);
  check_finite(e.prefill_ms, named("prompt.prefill_ms"));
  check_finite(e.encoder_ms, named("prompt.encoder_ms"));
  // The codes must expand to the base ids through the prompt's own entries.
  std::unordered_map<TokenId, const gen::Entry*> by_id;
  for (const auto& en : e.inserted) by_id[en.id] = &en;
  std::size_t at = 0;
  for (std::size_t j = 0; j < e.codes.size(); ++j) {
    const TokenId c = e.codes[j];
    std::span<const TokenId> exp;
    if (c >= 0 && (c < config_.V() || config_.is_disabled(c))) {
      exp = std::span<const TokenId>(&e.codes[j], 1);
    } else {
      auto it = by_id.find(c);
      if (it == by_id.end()) fail("prompt.codes[{}]: {} is neither a base id nor a prompt entry", j, c);
      exp = it->second->base_ids;
    }
    if (at + exp.size() > e.base_ids.size() || !std::equal(exp.begin(), exp.end(), e.base_ids.begin() + at))
      fail("prompt.codes[{}]: code {} does not expand to base_ids[{}..]", j, c, at);
    at += exp.size();
  }
  if (at != e.base_ids.size()) fail("prompt.codes: expand to {} base ids, base_ids has {}", at, e.base_ids.size());
  if (x.have && (x.code_text.size() != e.codes.size() || x.code_cuts.size() != e.codes.size()))
    fail("prompt.code_text: {} texts for {} codes", x.code_text.size(), e.codes.size());
  if (x.have && x.entry_text.size() != e.inserted.size())
    fail("prompt.inserted: {} texts for {} entries", x.entry_text.size(), e.inserted.size());

  PromptRecord rec;
  rec.event = e;
  for (std::size_t i = 0; i < e.inserted.size(); ++i)
    add_entry(e.inserted[i], -1, x.have ? x.entry_text[i] : entry_text(e.inserted[i].base_ids));
  prompt_entries_ = static_cast<std::int64_t>(entries_.size());
  std::string tail;
  for (std::size_t j = 0; j < e.codes.size(); ++j) {
    const TokenId c = e.codes[j];
    const std::int64_t ei = entry_index(c);
    if (ei >= 0 && !config_.is_disabled(c)) uses_[static_cast<std::size_t>(ei)].push_back(-1);
    if (x.have) continue;
    if (token_bytes_) {
      const CodebookEntry* en = ei >= 0 ? &entries_[static_cast<std::size_t>(ei)] : nullptr;
      const std::span<const TokenId> exp =
          en ? std::span<const TokenId>(en->base_ids) : std::span<const TokenId>(&c, 1);
      TextPiece p = push_bytes(tail, exp, token_bytes_);
      rec.code_text.push_back(std::move(p.text));
      rec.code_cuts.push_back(std::move(p.cuts));
    } else {
      rec.code_text.emplace_back();
      rec.code_cuts.emplace_back();
    }
  }
  if (x.have) {
    rec.code_text = x.code_text;
    rec.code_cuts = x.code_cuts;
  }
  prompt_ = std::move(rec);
  cum_entries_[0] = static_cast<std::int64_t>(entries_.size());
}

void Session::append_step(const gen::StepEvent& e) { append_step(e, StepExtras{}); }

void Session::append_step(const gen::StepEvent& e, const StepExtras& x) {
  const std::int64_t n = steps();
  const auto at = [n] { return fmt::format("steps[{}]", n); };  // formatted only on failure
  if (e.step != n) fail("{}.step: expected {}, got {}", at(), n, e.step);
  if (finish_) fail("{}: the session is already finished", at());
  if (e.code < 0) fail("{}.code: {} is negative", at(), e.code);
  if (e.base_ids.empty()) fail("{}.base_ids: empty (a code expands to at least one base id)", at());
  const bool base_like = e.code < config_.V() || config_.is_disabled(e.code);
  if (e.is_hyper == base_like) fail("{}.is_hyper: {} for code {} (V={})", at(), e.is_hyper, e.code, config_.V());
  if (!e.is_hyper && (e.base_ids.size() != 1 || e.base_ids[0] != e.code))
    fail("{}.base_ids: a base code expands to itself", at());
  if (e.is_hyper) {
    if (const CodebookEntry* en = find_entry(e.code); en && !std::ranges::equal(en->base_ids, e.base_ids))
      fail("{}.base_ids: differ from the expansion of entry {}", at(), e.code);
  }
  check_entries(e.inserted, n);
  check_probability(e.prob, [&] { return at() + ".prob"; });
  for (std::size_t i = 0; i < e.top.size(); ++i)
    check_probability(e.top[i].prob, [&] { return fmt::format("{}.top[{}].prob", at(), i); });
  check_finite(e.sample_ms, [&] { return at() + ".timings_ms.sample"; });
  check_finite(e.forward_ms, [&] { return at() + ".timings_ms.forward"; });
  check_finite(e.encoder_ms, [&] { return at() + ".timings_ms.encoder"; });
  if (x.have && x.entry_text.size() != e.inserted.size())
    fail("{}.inserted: {} texts for {} entries", at(), x.entry_text.size(), e.inserted.size());
  if (x.have)
    for (std::size_t i = 0; i < x.cuts.size(); ++i)
      if (x.cuts[i] == 0 || x.cuts[i] >= e.text.size() || (i && x.cuts[i] <= x.cuts[i - 1]))
        fail("{}.cuts[{}]: {} is not inside the text (ascending, 0 < cut < {})", at(), i, x.cuts[i], e.text.size());

  // --- validated: apply ---
  std::vector<std::uint32_t> cuts;  // computed here without extras
  std::string label;
  const std::vector<std::uint32_t>& step_cuts = x.have ? x.cuts : cuts;
  if (x.have) {
    label = x.label;
  } else if (token_bytes_) {
    if (!e.eos) {
      TextPiece p = push_bytes(pending_tail_, e.base_ids, token_bytes_);
      for (std::uint32_t c : p.cuts)
        if (c < e.text.size() && !is_continuation(e.text[c])) cuts.push_back(c);
    }
    if (e.text.empty() && config_.is_disabled(e.code)) label = token_bytes_(e.code);
  }
  codes_.push_back(e.code);
  flags_.push_back(static_cast<std::uint8_t>((e.is_hyper ? 1 : 0) | (e.eos ? 2 : 0) | (e.outside_top ? 4 : 0)));
  prob_.push_back(e.prob);
  sample_ms_.push_back(e.sample_ms);
  forward_ms_.push_back(e.forward_ms);
  encoder_ms_.push_back(e.encoder_ms);
  base_.insert(base_.end(), e.base_ids.begin(), e.base_ids.end());
  text_ += e.text;
  cuts_.insert(cuts_.end(), step_cuts.begin(), step_cuts.end());
  top_.insert(top_.end(), e.top.begin(), e.top.end());
  if (!label.empty()) labels_[n] = std::move(label);
  cum_base_.push_back(static_cast<std::int64_t>(base_.size()));
  cum_bytes_.push_back(static_cast<std::int64_t>(text_.size()));
  cum_hyper_.push_back(cum_hyper_.back() + (e.is_hyper ? 1 : 0));
  cum_cuts_.push_back(static_cast<std::int64_t>(cuts_.size()));
  cum_top_.push_back(static_cast<std::int64_t>(top_.size()));
  cum_ms_.push_back(cum_ms_.back() + e.sample_ms + e.forward_ms + e.encoder_ms);
  if (e.is_hyper) {
    const std::size_t len = e.base_ids.size();
    if (len >= hyper_steps_by_len_.size()) hyper_steps_by_len_.resize(len + 1);
    hyper_steps_by_len_[len].push_back(n);
  }
  // A use is recorded when the entry exists at emission (it always does in masked generation).
  const std::int64_t used = e.is_hyper ? entry_index(e.code) : -1;
  if (used >= 0) uses_[static_cast<std::size_t>(used)].push_back(n);
  for (std::size_t i = 0; i < e.inserted.size(); ++i)
    add_entry(e.inserted[i], n, x.have ? x.entry_text[i] : entry_text(e.inserted[i].base_ids));
  if (used < 0 && e.is_hyper) {
    const std::int64_t late = entry_index(e.code);  // unmasked generation: created by its own step
    if (late >= 0) uses_[static_cast<std::size_t>(late)].push_back(n);
  }
  cum_entries_.push_back(static_cast<std::int64_t>(entries_.size()));
}

void Session::append_finish(const gen::FinishEvent& e) {
  if (finish_) fail("finish: the session is already finished");
  check_finite(e.total_ms, named("finish.total_ms"));
  check_finite(e.prefill_ms, named("finish.prefill_ms"));
  finish_ = e;
}

}  // namespace z2z::session
