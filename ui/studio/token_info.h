// TokenInfo — everything the hover card, the Inspector and "copy as JSON" say about one stream item
// at step t: id, kind, base ids and their texts, nesting depth, bytes, creation step, use count,
// probability. One function builds it, so the card and the inspector never disagree.
// Not a widget; formats as HTML (cards) and JSON (clipboard).
#pragma once

#include <QString>
#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/session/session.h"
#include "ui/studio/session_context.h"

namespace z2z::ui {

struct TokenInfo {
  ItemRef ref;
  session::TokenId id = -1;
  QString kind;  // "base" | "hypertoken" | "special"
  std::vector<session::TokenId> base_ids;
  std::vector<QString> base_texts;  // per base id ("" without a tokenizer)
  QString text;
  int depth = 0;  // prefix hops down to a base token (0 for base tokens)
  std::int64_t bytes = 0;
  std::int64_t created = -3;  // creation step of the entry (-1 prompt), -3: not an entry
  std::int64_t uses = 0;      // emissions before t (entries only)
  double prob = -1.0;         // -1: unknown (prompt codes, text sessions)
  bool outside_top = false;
  bool eos = false;
};

TokenInfo describe_item(const SessionContext& ctx, std::int64_t item, std::int64_t t);
QString info_html(const TokenInfo& info);
QString info_json(const TokenInfo& info);
QString info_ids(const TokenInfo& info);
// Text with whitespace made visible (· → ↵), HTML-escaped.
QString visible_html(const QString& text);
// Text of a single base token (raw bytes as UTF-8, lossy) — "" if the session has no tokenizer texts.
QString entry_display(const session::Session& s, session::TokenId id);
// Text with whitespace glyphs as the stream view shows them (' ' '\t' '\n' '\r' -> · → ↵ ␍; not escaped).
QString visible_text(const QString& text);

// The texts of single base tokens as the session recorded them: every prompt code's and step's text
// cut at its internal base-token boundaries (works for loaded files, which carry no tokenizer). Built
// incrementally: a growing session only costs its new steps. reset() when the session is replaced.
class BaseTokenTexts {
 public:
  void reset();
  // "" if the session never showed the token's text on its own (no texts, or a split UTF-8 character).
  QString text(const session::Session& s, session::TokenId id);

 private:
  void record(session::TokenId id, std::string_view piece);
  void record_code(std::span<const session::TokenId> base, std::string_view text, std::span<const std::uint32_t> cuts);
  std::unordered_map<session::TokenId, QString> texts_;
  std::int64_t steps_ = 0;
  bool prompt_ = false;
};

}  // namespace z2z::ui
