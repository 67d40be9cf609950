// Display helpers for the views (terminal, GUI, exports): what a token looks like to a person.
//   - token_display_text(): the text a token stands for ('Ġthe' -> " the", '▁the' -> " the",
//     '<0x0A>' -> "\n"); bytes that are not valid UTF-8 on their own (a token holding part of a
//     character) are shown as "<0xE4>" so no U+FFFD ever appears. The raw vocab form stays available
//     through Tokenizer::id_to_token().
//   - visible_whitespace(): ' ' -> '·', '\t' -> '→', '\n' -> '↵' (+ newline kept when asked), '\r' -> '␍'.
//   - display_segments(): groups consecutive tokens whose spans cut a multi-byte character of the
//     input, so each segment starts and ends on character boundaries and shows the real text (CJK
//     and emoji split over byte tokens appear once, whole, with the token range it covers).
// Spans are the Token byte spans into the input text (Tokenizer::encode). Not a renderer: no colours.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenizer/token.h"
#include "core/tokenizer/tokenizer.h"

namespace z2z::tok {

struct DisplayOptions {
  bool visible_whitespace = false;  // show ' ' '\t' '\n' '\r' as · → ↵ ␍
  bool keep_newlines = false;       // with visible_whitespace: '\n' -> "↵\n" (multi-line views)
};

// Bytes as displayable UTF-8: valid sequences as they are, every other byte as "<0xNN>".
std::string bytes_for_display(std::string_view bytes, const DisplayOptions& options = {});
std::string visible_whitespace(std::string_view text, bool keep_newlines = false);

// The text of one token (see above). Unknown ids give "<unk:ID>".
std::string token_display_text(const Tokenizer& tokenizer, std::int32_t id, const DisplayOptions& options = {});

struct DisplaySegment {
  std::size_t first_token = 0, last_token = 0;  // tokens [first, last)
  std::uint32_t begin = 0, end = 0;             // bytes [begin, end) of the input text
  std::string text;                             // the input bytes of the span, displayable
  bool merged() const { return last_token - first_token > 1; }
};

// Segments covering `tokens` in order. A token with an empty span (BOS...) is a segment of its own
// whose text is its display text.
std::vector<DisplaySegment> display_segments(const Tokenizer& tokenizer, std::string_view text,
                                             std::span<const Token> tokens, const DisplayOptions& options = {});

}  // namespace z2z::tok
