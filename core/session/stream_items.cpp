// Session -> StreamItem (display text with cuts, whitespace glyphs applied piece by piece).
#include "core/session/stream_items.h"

#include <fmt/format.h>

#include <optional>

#include "core/lzw/codec.h"
#include "core/util/error.h"

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

namespace {
// Text of each base token of a code, from its text and cuts (all on the first token if they disagree).
void split_text(std::string_view text, std::span<const std::uint32_t> cuts, std::size_t n,
                std::vector<std::string>& out) {
  if (cuts.size() + 1 != n) {
    out.emplace_back(text);
    for (std::size_t k = 1; k < n; ++k) out.emplace_back();
    return;
  }
  std::size_t from = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t to = k + 1 < n ? std::min<std::size_t>(cuts[k], text.size()) : text.size();
    out.emplace_back(text.substr(from, to > from ? to - from : 0));
    from = std::max(from, to);
  }
}
}  // namespace

std::vector<StreamItem> canonical_items(const Session& s, const ItemOptions& o) {
  std::vector<TokenId> base;
  std::vector<std::string> piece;  // text per base token
  if (const auto& p = s.prompt()) {
    for (std::size_t j = 0; j < p->event.codes.size(); ++j) {
      const TokenId c = p->event.codes[j];
      const CodebookEntry* e = s.config().is_disabled(c) ? nullptr : s.find_entry(c);
      const std::span<const TokenId> exp =
          e ? std::span<const TokenId>(e->base_ids) : std::span<const TokenId>(&p->event.codes[j], 1);
      base.insert(base.end(), exp.begin(), exp.end());
      split_text(
          j < p->code_text.size() ? std::string_view(p->code_text[j]) : std::string_view(),
          j < p->code_cuts.size() ? std::span<const std::uint32_t>(p->code_cuts[j]) : std::span<const std::uint32_t>{},
          exp.size(), piece);
    }
  }
  for (std::int64_t i = 0; i < s.steps(); ++i) {
    const StepView v = s.step(i);
    base.insert(base.end(), v.base_ids.begin(), v.base_ids.end());
    split_text(v.text.empty() ? v.label : v.text, v.cuts, v.base_ids.size(), piece);
  }
  std::vector<StreamItem> out;
  std::optional<lzw::EncodeResult> enc;
  try {
    enc.emplace(lzw::encode(s.config(), base));
  } catch (const Error&) {
    return out;
  }
  std::size_t at = 0;
  for (std::size_t j = 0; j < enc->codes.size() && at < base.size(); ++j) {
    StreamItem it;
    it.index = static_cast<std::int64_t>(j);
    it.code = enc->codes[j];
    const bool hyper = it.code >= s.config().V() && !s.config().is_disabled(it.code);
    const std::size_t len = hyper ? enc->codebook.expansion(it.code).size() : 1;
    if (len == 0 || at + len > base.size()) break;
    it.length = len;
    it.kind = chip_kind(hyper, s.is_special(it.code), len);
    if (!s.info().has_text) {
      set_ids(it, std::span<const TokenId>(base).subspan(at, len));
    } else {
      std::string text;
      std::vector<std::uint32_t> cuts;
      for (std::size_t k = 0; k < len; ++k) {
        if (k) cuts.push_back(static_cast<std::uint32_t>(text.size()));
        text += piece[at + k];
      }
      std::vector<std::uint32_t> inside;
      for (auto c : cuts)
        if (c > 0 && c < text.size() && (inside.empty() || c > inside.back())) inside.push_back(c);
      set_text(it, text, inside, o);
    }
    at += len;
    out.push_back(std::move(it));
  }
  return out;
}

}  // namespace z2z::session
