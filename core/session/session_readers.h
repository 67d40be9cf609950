// The two session JSON readers behind session::from_json (internal; session_file.cpp picks them).
//   read_written_layout — fast path: one pass over a file in the layout to_json() writes (fixed key
//     order, "label" optional), straight into Session events with reused buffers. It gives up
//     (nullopt) on anything else, including every kind of invalid input, without saying why.
//   read_any_layout — the general reader (nlohmann, any key order, unknown keys ignored): validates
//     every field and throws z2z::Error naming it. from_json runs it whenever the fast path gives up,
//     so errors and what loads are decided by it alone; the fast path only ever agrees with it faster.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/session/session.h"
#include "core/session/session_file.h"

namespace z2z::session::detail {

std::optional<Session> read_written_layout(std::string_view json, const LoadProgress& progress = {});
Session read_any_layout(std::string_view json, const std::string& source);

}  // namespace z2z::session::detail
