// JSON string escaping and number output for the hand-built JSON writers.
#include "core/session/json_text.h"

#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "core/util/utf8.h"

namespace z2z::session {

void append_json_string(std::string& out, std::string_view s, bool html_safe) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\r':
          out += "\\r";
          break;
        default:
          if (c < 0x20 || c == 0x7F || (html_safe && (c == '<' || c == '>' || c == '&')))
            fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
          else
            out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    const std::size_t n = utf8::sequence_length(s, i);
    if (!n) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (html_safe && n == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9))
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
    else
      out.append(s.substr(i, n));
    i += n;
  }
  out += '"';
}

std::string json_string(std::string_view s, bool html_safe) {
  std::string out;
  append_json_string(out, s, html_safe);
  return out;
}

void append_json_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    fmt::format_to(std::back_inserter(out), "{}", static_cast<std::int64_t>(v));
    return;
  }
  fmt::format_to(std::back_inserter(out), "{}", v);
}

void append_json_ids(std::string& out, std::span<const std::int32_t> ids) {
  out += '[';
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    fmt::format_to(std::back_inserter(out), "{}", ids[i]);
  }
  out += ']';
}

}  // namespace z2z::session
