// Session -> StreamItem (display text with cuts, whitespace glyphs applied piece by piece).
#include "core/session/stream_items.h"

#include <fmt/format.h>

#include "core/tokenizer/display.h"

namespace z2z::session {

namespace {

void set_text(StreamItem& it, std::string_view text, std::span<const std::uint32_t> cuts, const ItemOptions& o) {
  if (!o.visible_whitespace) {
    it.text = std::string(text);
    it.cuts.assign(cuts.begin(), cuts.end());
    return;
  }
  std::size_t from = 0;
  for (std::size_t k = 0; k <= cuts.size(); ++k) {
    const std::size_t to = k < cuts.size() ? std::min<std::size_t>(cuts[k], text.size()) : text.size();
    if (to < from) continue;
    if (k) it.cuts.push_back(static_cast<std::uint32_t>(it.text.size()));
    it.text += tok::visible_whitespace(text.substr(from, to - from), o.keep_newlines);
    from = to;
  }
}

void set_ids(StreamItem& it, std::span<const TokenId> ids) {
  it.ids_only = true;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    if (k) it.cuts.push_back(static_cast<std::uint32_t>(it.text.size()));
    it.text += fmt::format("{}", ids[k]);
  }
}

}  // namespace

StreamItem step_item(const Session& s, std::int64_t i, const ItemOptions& o) {
  const StepView v = s.step(i);
  StreamItem it;
  it.index = i;
  it.code = v.code;
  it.length = v.base_ids.size();
  it.kind = chip_kind(v.is_hyper, v.special, it.length);
  if (!s.info().has_text) {
    set_ids(it, v.base_ids);
  } else if (v.text.empty() && !v.label.empty()) {
    it.text = std::string(v.label);
    it.label = true;
  } else if (v.text.empty() && v.special) {
    it.text = fmt::format("<{}>", v.code);
    it.label = true;
  } else {
    set_text(it, v.text, v.cuts, o);
  }
  return it;
}

StreamItem prompt_item(const Session& s, std::size_t j, const ItemOptions& o) {
  const auto& p = *s.prompt();
  StreamItem it;
  it.prompt = true;
  it.index = static_cast<std::int64_t>(j);
  it.code = p.event.codes[j];
  const CodebookEntry* e = s.config().is_disabled(it.code) ? nullptr : s.find_entry(it.code);
  const std::span<const TokenId> exp =
      e ? std::span<const TokenId>(e->base_ids) : std::span<const TokenId>(&p.event.codes[j], 1);
  it.length = exp.size();
  it.kind = chip_kind(e != nullptr, s.is_special(it.code), it.length);
  if (!s.info().has_text) {
    set_ids(it, exp);
  } else if (j < p.code_text.size()) {
    set_text(it, p.code_text[j],
             j < p.code_cuts.size() ? std::span<const std::uint32_t>(p.code_cuts[j]) : std::span<const std::uint32_t>{},
             o);
  }
  return it;
}

std::vector<StreamItem> stream_items(const Session& s, std::int64_t t, const ItemOptions& o) {
  t = std::clamp<std::int64_t>(t, 0, s.steps());
  std::vector<StreamItem> out;
  if (o.include_prompt && s.prompt()) {
    out.reserve(s.prompt()->event.codes.size() + static_cast<std::size_t>(t));
    for (std::size_t j = 0; j < s.prompt()->event.codes.size(); ++j) out.push_back(prompt_item(s, j, o));
  }
  for (std::int64_t i = 0; i < t; ++i) out.push_back(step_item(s, i, o));
  return out;
}

}  // namespace z2z::session
