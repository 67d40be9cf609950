// from_text / from_ids (canonical LZW sessions) and the theory-vs-actual comparison.
#include "core/session/session_text.h"

#include <algorithm>

#include "core/lzw/codec.h"
#include "core/tokenizer/display.h"
#include "core/util/error.h"
#include "core/util/utf8.h"

namespace z2z::session {

namespace {

std::string make_valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8::sequence_length(s, i);
    if (n) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

bool char_start(std::string_view s, std::size_t i) {
  return i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}
std::size_t forward_to_char(std::string_view s, std::size_t i) {
  i = std::min(i, s.size());
  while (!char_start(s, i)) ++i;
  return i;
}

RunInfo text_run_info(const lzw::CompressionConfig& config) {
  RunInfo info;
  info.source = "text";
  info.created = utc_now_iso8601();
  info.z2z_version = Z2Z_VERSION;
  info.compression = config.to_lzw_config();
  info.temperature = 0;
  return info;
}

// Steps of canonical LZW: codes, their expansions and the entries the streaming decoder creates.
template <typename OnStep>
void canonical_steps(std::span<const TokenId> ids, const lzw::CompressionConfig& config, OnStep on_step) {
  const auto codes = lzw::encode(config, ids).codes;
  lzw::DecoderState dec(config);
  dec.reserve(codes.size());
  std::vector<TokenId> out;
  std::size_t at = 0;
  for (std::size_t j = 0; j < codes.size(); ++j) {
    out.clear();
    dec.push(codes[j], out);
    gen::StepEvent e;
    e.step = static_cast<std::int64_t>(j);
    e.code = codes[j];
    e.is_hyper = codes[j] >= config.V() && !config.is_disabled(codes[j]);
    e.base_ids = out;
    for (TokenId id : dec.take_created()) {
      const auto exp = dec.codebook().expansion(id);
      e.inserted.push_back(gen::Entry{id, std::vector<TokenId>(exp.begin(), exp.end())});
    }
    std::sort(e.inserted.begin(), e.inserted.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    on_step(e, at);
    at += out.size();
  }
}

}  // namespace

Session from_text(const tok::Tokenizer& tokenizer, std::string_view raw_text, const lzw::CompressionConfig& config,
                  std::string tokenizer_name) {
  const std::string text = make_valid_utf8(raw_text);
  const auto tokens = tokenizer.encode(text);
  std::vector<TokenId> ids;
  ids.reserve(tokens.size());
  for (const auto& t : tokens) ids.push_back(t.id);
  RunInfo info = text_run_info(config);
  info.tokenizer = std::move(tokenizer_name);
  info.has_text = true;
  Session s(std::move(info));
  const std::string_view tv(text);
  std::size_t prev_boundary = 0;
  // Step j covers text [b_j, b_{j+1}); b_0 = 0, b_j = start of its first token (moved to a character
  // start, never backwards), the last step ends at the end of the text.
  std::vector<std::size_t> starts;
  auto token_start = [&](std::size_t k) { return std::max(prev_boundary, forward_to_char(tv, tokens[k].begin)); };
  std::vector<gen::StepEvent> events;
  std::vector<std::size_t> first_token;
  canonical_steps(ids, config, [&](gen::StepEvent& e, std::size_t at) {
    const std::size_t b = events.empty() ? 0 : token_start(at);
    prev_boundary = b;
    starts.push_back(b);
    first_token.push_back(at);
    events.push_back(std::move(e));
  });
  starts.push_back(text.size());
  for (std::size_t j = 0; j < events.size(); ++j) {
    auto& e = events[j];
    const std::size_t b = starts[j], end = std::max(starts[j], starts[j + 1]);
    e.text = text.substr(b, end - b);
    Session::StepExtras x;
    x.have = true;
    for (std::size_t k = 1; k < e.base_ids.size(); ++k) {
      const std::size_t c = forward_to_char(tv, tokens[first_token[j] + k].begin);
      if (c > b && c < end && (x.cuts.empty() || c - b > x.cuts.back()))
        x.cuts.push_back(static_cast<std::uint32_t>(c - b));
    }
    if (e.text.empty() && config.is_disabled(e.code)) x.label = tok::token_display_text(tokenizer, e.code);
    for (const auto& en : e.inserted) {
      std::string bytes;
      for (TokenId id : en.base_ids) bytes += tokenizer.token_bytes(id);
      x.entry_text.push_back(tok::bytes_for_display(bytes));
    }
    s.append_step(e, x);
  }
  return s;
}

Session Session::from_text(const tok::Tokenizer& tokenizer, std::string_view text, const lzw::CompressionConfig& config,
                           std::string tokenizer_name) {
  return session::from_text(tokenizer, text, config, std::move(tokenizer_name));
}

Session from_ids(std::span<const TokenId> ids, const lzw::CompressionConfig& config) {
  Session s(text_run_info(config));
  canonical_steps(ids, config, [&](gen::StepEvent& e, std::size_t) { s.append_step(e); });
  return s;
}

TheoryVsActual theory_vs_actual(const Session& s) {
  TheoryVsActual r;
  std::vector<TokenId> base, actual;
  if (const auto& p = s.prompt()) {
    base = p->event.base_ids;
    actual = p->event.codes;
  }
  base.insert(base.end(), s.base_ids().begin(), s.base_ids().end());
  for (std::int64_t i = 0; i < s.steps(); ++i) actual.push_back(s.step(i).code);
  r.base_tokens = static_cast<std::int64_t>(base.size());
  r.actual_codes = static_cast<std::int64_t>(actual.size());
  try {
    r.canonical = lzw::encode(s.config(), base).codes;
  } catch (const Error& e) {
    r.error = e.what();
    return r;
  }
  r.canonical_codes = static_cast<std::int64_t>(r.canonical.size());
  const auto mm = std::mismatch(actual.begin(), actual.end(), r.canonical.begin(), r.canonical.end());
  if (mm.first != actual.end() || mm.second != r.canonical.end()) r.first_difference = mm.first - actual.begin();
  return r;
}

}  // namespace z2z::session
