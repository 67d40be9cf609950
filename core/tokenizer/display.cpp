// Display helpers: byte -> displayable text, whitespace glyphs, UTF-8-safe token segments.
#include "core/tokenizer/display.h"

#include <fmt/format.h>

#include "core/tokenizer/unicode.h"

namespace z2z::tok {

std::string visible_whitespace(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case ' ':
        out += "\xC2\xB7";
        break;  // ·
      case '\t':
        out += "\xE2\x86\x92";
        break;  // →
      case '\r':
        out += "\xE2\x90\x8D";
        break;  // ␍
      case '\n':
        out += keep_newlines ? "\xE2\x86\xB5\n" : "\xE2\x86\xB5";
        break;  // ↵
      default:
        out += c;
    }
  }
  return out;
}

std::string bytes_for_display(std::string_view bytes, const DisplayOptions& options) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    const std::string_view rest = bytes.substr(i);
    const std::size_t bad = utf8_first_invalid(rest);
    const std::string_view good = rest.substr(0, bad == std::string_view::npos ? rest.size() : bad);
    out += options.visible_whitespace ? visible_whitespace(good, options.keep_newlines) : std::string(good);
    i += good.size();
    if (i < bytes.size()) {
      out += fmt::format("<0x{:02X}>", static_cast<unsigned char>(bytes[i]));
      ++i;
    }
  }
  return out;
}

std::string token_display_text(const Tokenizer& tokenizer, std::int32_t id, const DisplayOptions& options) {
  if (!tokenizer.id_to_token(id)) return fmt::format("<unk:{}>", id);
  if (tokenizer.is_added(id)) return *tokenizer.id_to_token(id);  // "<|endoftext|>" as written
  return bytes_for_display(tokenizer.token_bytes(id), options);
}

namespace {
bool is_char_boundary(std::string_view text, std::uint32_t pos) {
  return pos >= text.size() || (static_cast<unsigned char>(text[pos]) & 0xC0) != 0x80;
}
}  // namespace

std::vector<DisplaySegment> display_segments(const Tokenizer& tokenizer, std::string_view text,
                                             std::span<const Token> tokens, const DisplayOptions& options) {
  std::vector<DisplaySegment> out;
  std::size_t i = 0;
  while (i < tokens.size()) {
    DisplaySegment s;
    s.first_token = i;
    s.begin = std::min<std::uint32_t>(tokens[i].begin, static_cast<std::uint32_t>(text.size()));
    s.end = std::min<std::uint32_t>(tokens[i].end, static_cast<std::uint32_t>(text.size()));
    ++i;
    if (s.end <= s.begin) {  // inserted token (BOS...) or an empty span
      s.last_token = i;
      s.text = token_display_text(tokenizer, tokens[s.first_token].id, options);
      out.push_back(std::move(s));
      continue;
    }
    // Grow while the segment ends inside a character, the next token starts inside one, or the next
    // token overlaps (normalization can map several tokens to one input span).
    while (i < tokens.size() && tokens[i].end > tokens[i].begin &&
           (!is_char_boundary(text, s.end) || !is_char_boundary(text, tokens[i].begin) || tokens[i].begin < s.end)) {
      s.end = std::max(s.end, std::min<std::uint32_t>(tokens[i].end, static_cast<std::uint32_t>(text.size())));
      ++i;
    }
    s.last_token = i;
    // Snap to character boundaries (a token can begin inside a character only after a cut one).
    while (s.begin > 0 && !is_char_boundary(text, s.begin)) --s.begin;
    while (s.end < text.size() && !is_char_boundary(text, s.end)) ++s.end;
    s.text = bytes_for_display(text.substr(s.begin, s.end - s.begin), options);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace z2z::tok
