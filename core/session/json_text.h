// JSON text helpers for writers that build JSON by hand (session files, HTML data islands): string
// escaping that never throws (invalid UTF-8 becomes U+FFFD) and shortest round-trip numbers.
// Not a JSON parser (sessions are read with nlohmann, session_file.cpp).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace z2z::session {

// Append `s` as a quoted JSON string. html_safe: also escape < > & and U+2028/U+2029, so the text
// can sit inside an HTML <script> element.
void append_json_string(std::string& out, std::string_view s, bool html_safe = false);
std::string json_string(std::string_view s, bool html_safe = false);
void append_json_number(std::string& out, double v);                        // non-finite -> null
void append_json_ids(std::string& out, std::span<const std::int32_t> ids);  // [1,2,3]

}  // namespace z2z::session
