// Shared by `z2z inspect`, `replay` and `generate`: print a session (prompt + steps up to t) as a
// static terminal view, or replay it live at a pace. Thin glue over term_stream.h.
#pragma once

#include <cstdint>
#include <cstdio>

#include "app/z2z/term_stream.h"
#include "core/session/session.h"

namespace z2z::cli {

// Legend, stream up to step t, summary block (if asked).
void print_session(std::FILE* out, const session::Session& s, std::int64_t t, const term::ViewOptions& v);
// Live replay: prompt at once, then one step at a time. speed: 1 = recorded pace (steps without
// timings: 20 codes/s), 2 = twice as fast, 0 = no delay; rate > 0: that many codes per second instead.
void replay_session(std::FILE* out, const session::Session& s, double speed, double rate, const term::ViewOptions& v);

}  // namespace z2z::cli
