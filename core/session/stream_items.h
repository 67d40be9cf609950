// StreamItem — one emitted code as every view shows it (terminal chip, HTML chip, painted chip):
// its kind (palette.h), display text and the positions of its internal base-token boundaries in
// that text. Built from a Session at step t; prompt codes come first (step = -1). Sessions without
// text show ids: a code's text is its base ids joined, with a cut between ids (ids_only).
// Not a renderer: no colours, no escapes, no layout.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/session/palette.h"
#include "core/session/session.h"

namespace z2z::session {

struct StreamItem {
  bool prompt = false;
  std::int64_t index = 0;  // prompt code index, or step index
  TokenId code = 0;
  ChipKind kind = ChipKind::Base;
  std::size_t length = 1;           // base tokens
  std::string text;                 // display text; may contain '\n' (a line break) unless glyphs replaced it
  std::vector<std::uint32_t> cuts;  // byte offsets in `text` where internal base-token boundaries fall
  bool label = false;               // text is a label (special token name / ids), not stream text
  bool ids_only = false;            // the session has no text: `text` spells ids
};

struct ItemOptions {
  bool visible_whitespace = false;  // ' ' '\t' '\n' '\r' as · → ↵ ␍
  bool keep_newlines = true;        // with visible_whitespace: '\n' -> "↵\n"
  bool include_prompt = true;
};

StreamItem step_item(const Session& s, std::int64_t step, const ItemOptions& options = {});
StreamItem prompt_item(const Session& s, std::size_t code_index, const ItemOptions& options = {});
// Prompt codes (if asked) then steps [0, t).
std::vector<StreamItem> stream_items(const Session& s, std::int64_t t, const ItemOptions& options = {});
// "Theory": the canonical LZW codes of all the session's base ids (prompt + steps) as items, with
// text recovered per base token from the recorded texts and cuts (empty where they do not align).
// Items have prompt = false and index = position in the canonical stream. Empty if the base ids
// cannot be encoded (hostile sessions).
std::vector<StreamItem> canonical_items(const Session& s, const ItemOptions& options = {});

}  // namespace z2z::session
