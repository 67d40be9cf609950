// Terminal capabilities for the live views: colour depth (truecolor / 256 / none, from --color,
// NO_COLOR, COLORTERM, TERM and whether stdout is a TTY), SGR escape sequences for a palette colour,
// the terminal width, display width of UTF-8 text, and sanitizing text so stream content can never
// emit its own escape sequences. Not a renderer (term_stream.h).
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "core/session/palette.h"

namespace z2z::term {

enum class ColorDepth { None, Ansi256, TrueColor };

// mode: auto | always | never | 256 | truecolor. auto: colour only on a TTY, off with NO_COLOR or
// TERM=dumb; truecolor when COLORTERM says truecolor/24bit, else 256 colours.
ColorDepth detect_color(const std::string& mode, bool is_tty);
bool is_tty(std::FILE* f);
int terminal_width(std::FILE* f);  // columns; 80 when unknown

std::string sgr_fg(session::Rgb c, ColorDepth depth);  // "" for None
inline constexpr const char* kReset = "\x1b[0m";
inline constexpr const char* kUnderline = "\x1b[4m";
inline constexpr const char* kFaint = "\x1b[2m";
inline constexpr const char* kBold = "\x1b[1m";

// Control characters (except '\n' and '\t') become visible control pictures (ESC -> ␛), C1 controls
// and invalid UTF-8 become U+FFFD.
std::string sanitize(std::string_view text);
// Advance a cursor column over printable UTF-8 text (no escapes) on a terminal `width` columns wide,
// following the terminal's wrapping; '\n' returns to column 0, '\t' to the next multiple of 8.
int advance_column(int col, std::string_view text, int width);
int display_width(std::string_view text);  // columns of one line of text

}  // namespace z2z::term
