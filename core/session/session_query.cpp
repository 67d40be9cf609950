// Session: derived state at step t from the prefix arrays (counters, codebook, histogram, step views).
#include <algorithm>

#include "core/session/session.h"

namespace z2z::session {

StepView Session::step(std::int64_t i) const {
  const auto u = static_cast<std::size_t>(i);
  StepView v;
  v.index = i;
  v.code = codes_[u];
  v.is_hyper = flags_[u] & 1;
  v.eos = flags_[u] & 2;
  v.outside_top = flags_[u] & 4;
  v.special = !v.is_hyper && config_.is_disabled(v.code);
  v.base_ids = std::span<const TokenId>(base_).subspan(static_cast<std::size_t>(cum_base_[u]),
                                                       static_cast<std::size_t>(cum_base_[u + 1] - cum_base_[u]));
  v.text = std::string_view(text_).substr(static_cast<std::size_t>(cum_bytes_[u]),
                                          static_cast<std::size_t>(cum_bytes_[u + 1] - cum_bytes_[u]));
  v.cuts = std::span<const std::uint32_t>(cuts_).subspan(static_cast<std::size_t>(cum_cuts_[u]),
                                                         static_cast<std::size_t>(cum_cuts_[u + 1] - cum_cuts_[u]));
  if (auto it = labels_.find(i); it != labels_.end()) v.label = it->second;
  v.prob = prob_[u];
  v.top = std::span<const gen::Candidate>(top_).subspan(static_cast<std::size_t>(cum_top_[u]),
                                                        static_cast<std::size_t>(cum_top_[u + 1] - cum_top_[u]));
  v.inserted = std::span<const CodebookEntry>(entries_).subspan(
      static_cast<std::size_t>(cum_entries_[u]), static_cast<std::size_t>(cum_entries_[u + 1] - cum_entries_[u]));
  v.sample_ms = sample_ms_[u];
  v.forward_ms = forward_ms_[u];
  v.encoder_ms = encoder_ms_[u];
  return v;
}

gen::StepEvent Session::step_event(std::int64_t i) const {
  const StepView v = step(i);
  gen::StepEvent e;
  e.step = i;
  e.code = v.code;
  e.is_hyper = v.is_hyper;
  e.base_ids.assign(v.base_ids.begin(), v.base_ids.end());
  e.text = std::string(v.text);
  e.prob = v.prob;
  e.top.assign(v.top.begin(), v.top.end());
  e.outside_top = v.outside_top;
  e.eos = v.eos;
  for (const auto& en : v.inserted) e.inserted.push_back(gen::Entry{en.id, en.base_ids});
  e.sample_ms = v.sample_ms;
  e.forward_ms = v.forward_ms;
  e.encoder_ms = v.encoder_ms;
  return e;
}

Counters Session::counters(std::int64_t t) const {
  t = clamp(t);
  const auto u = static_cast<std::size_t>(t);
  Counters c;
  c.step = t;
  c.base_tokens = cum_base_[u];
  c.hyper_codes = cum_hyper_[u];
  c.text_bytes = cum_bytes_[u];
  c.codebook_size = cum_entries_[u];
  c.codebook_capacity = config_.K();
  c.elapsed_ms = cum_ms_[u];
  if (prompt_) {
    c.prompt_base_tokens = static_cast<std::int64_t>(prompt_->event.base_ids.size());
    c.prompt_codes = static_cast<std::int64_t>(prompt_->event.codes.size());
  }
  return c;
}

std::int64_t Session::codebook_size(std::int64_t t) const { return cum_entries_[static_cast<std::size_t>(clamp(t))]; }

namespace {
EntryState state_of(const CodebookEntry& e, const std::vector<std::int64_t>& uses, std::int64_t t) {
  EntryState s;
  s.entry = &e;
  const auto end = std::lower_bound(uses.begin(), uses.end(), t);  // uses < t (prompt uses are -1)
  s.uses = end - uses.begin();
  if (s.uses) s.last_use = *(end - 1);
  return s;
}
}  // namespace

std::vector<EntryState> Session::codebook(std::int64_t t) const {
  t = clamp(t);
  const auto n = static_cast<std::size_t>(cum_entries_[static_cast<std::size_t>(t)]);
  std::vector<EntryState> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(state_of(entries_[i], uses_[i], t));
  return out;
}

std::optional<EntryState> Session::entry(TokenId id, std::int64_t t) const {
  t = clamp(t);
  const std::int64_t i = entry_index(id);
  if (i < 0 || i >= cum_entries_[static_cast<std::size_t>(t)]) return std::nullopt;
  return state_of(entries_[static_cast<std::size_t>(i)], uses_[static_cast<std::size_t>(i)], t);
}

std::span<const std::int64_t> Session::uses_of(TokenId id) const {
  const std::int64_t i = entry_index(id);
  if (i < 0) return {};
  return uses_[static_cast<std::size_t>(i)];
}

std::vector<std::int64_t> Session::length_histogram(std::int64_t t) const {
  t = clamp(t);
  std::vector<std::int64_t> h(hyper_steps_by_len_.size(), 0);
  for (std::size_t len = 2; len < hyper_steps_by_len_.size(); ++len) {
    const auto& v = hyper_steps_by_len_[len];
    h[len] = std::lower_bound(v.begin(), v.end(), t) - v.begin();
  }
  return h;
}

std::int64_t Session::step_at_text_offset(std::size_t offset) const {
  const auto it = std::upper_bound(cum_bytes_.begin(), cum_bytes_.end(), static_cast<std::int64_t>(offset));
  return std::min<std::int64_t>(it - cum_bytes_.begin() - 1, steps());
}

}  // namespace z2z::session
