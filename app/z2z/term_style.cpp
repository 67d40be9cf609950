// Terminal capabilities, SGR sequences, sanitizing and column tracking.
#include "app/z2z/term_style.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include <fmt/format.h>
#include <utf8proc.h>

#include "app/z2z/cli_args.h"

namespace z2z::term {

namespace {
std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}
ColorDepth best_depth() {
  const std::string ct = env("COLORTERM");
  return ct == "truecolor" || ct == "24bit" ? ColorDepth::TrueColor : ColorDepth::Ansi256;
}
int rgb_to_256(session::Rgb c) {
  auto level = [](int v) { return v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40; };
  const int r = level(c.r), g = level(c.g), b = level(c.b);
  const int cube = 16 + 36 * r + 6 * g + b;
  const int gray = (c.r + c.g + c.b) / 3;
  if (r == g && g == b && std::abs(c.r - c.g) < 12 && std::abs(c.g - c.b) < 12) {
    if (gray < 8) return 16;
    if (gray > 238) return 231;
    return 232 + (gray - 8) / 10;
  }
  return cube;
}
// Length of a valid UTF-8 sequence at s[i] and its code point; 0 if invalid.
std::size_t decode(std::string_view s, std::size_t i, std::int32_t& cp) {
  const utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                              static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}
}  // namespace

ColorDepth detect_color(const std::string& mode, bool tty) {
  if (mode == "never" || mode == "none") return ColorDepth::None;
  if (mode == "256") return ColorDepth::Ansi256;
  if (mode == "truecolor" || mode == "24bit") return ColorDepth::TrueColor;
  if (mode == "always") return best_depth();
  if (mode != "auto")
    throw cli::UsageError(fmt::format("--color: expected auto, always, never, 256 or truecolor, got '{}'", mode));
  if (!tty || !env("NO_COLOR").empty() || env("TERM") == "dumb") return ColorDepth::None;
  return best_depth();
}

bool is_tty(std::FILE* f) { return ::isatty(::fileno(f)) == 1; }

int terminal_width(std::FILE* f) {
  winsize ws{};
  if (::ioctl(::fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 10) return ws.ws_col;
  const std::string cols = env("COLUMNS");
  const int c = cols.empty() ? 0 : std::atoi(cols.c_str());
  return c >= 10 ? c : 80;
}

std::string sgr_fg(session::Rgb c, ColorDepth depth) {
  switch (depth) {
    case ColorDepth::TrueColor:
      return fmt::format("\x1b[38;2;{};{};{}m", c.r, c.g, c.b);
    case ColorDepth::Ansi256:
      return fmt::format("\x1b[38;5;{}m", rgb_to_256(c));
    default:
      return "";
  }
}

std::string sanitize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7F))
        out += static_cast<char>(c);
      else if (c == 0x7F)
        out += "\xE2\x90\xA1";  // ␡
      else
        out += std::string("\xE2\x90") + static_cast<char>(0x80 + c);  // U+2400 + c: ␀..␟
      ++i;
      continue;
    }
    std::int32_t cp = 0;
    const std::size_t n = decode(s, i, cp);
    if (!n || (cp >= 0x80 && cp < 0xA0)) {
      out += "\xEF\xBF\xBD";
      i += n ? n : 1;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

int advance_column(int col, std::string_view s, int width) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      col = 0;
      ++i;
      continue;
    }
    if (c == '\t') {
      col = std::min(width, (col / 8 + 1) * 8);
      ++i;
      continue;
    }
    std::int32_t cp = 0;
    const std::size_t n = decode(s, i, cp);
    i += n ? n : 1;
    const int w = n ? std::max(0, utf8proc_charwidth(cp)) : 1;
    if (w == 0) continue;
    col = col + w > width ? w : col + w;  // wraps before a character that does not fit
  }
  return col;
}

int display_width(std::string_view s) {
  int w = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::int32_t cp = 0;
    const std::size_t n = decode(s, i, cp);
    i += n ? n : 1;
    w += n ? std::max(0, utf8proc_charwidth(cp)) : 1;
  }
  return w;
}

}  // namespace z2z::term
