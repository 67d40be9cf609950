// Self-contained HTML export of a session at step t: inline CSS and JS, no network. Token chips in
// the shared colour/marker scheme (palette.h: kind colours, underline and thin separators at
// internal base-token boundaries for hypertokens), a hover card (id, kind, base ids, text,
// probability and top-k with hypertoken expansions, creation step and uses), a legend, the metric
// table (summary.h) and a sortable codebook table. The data sits in one JSON island; the page's
// script builds the chips (body[data-chips] = number of chips rendered, for tests).
#pragma once

#include <cstdint>
#include <string>

#include "core/session/session.h"

namespace z2z::session {

struct HtmlOptions {
  std::string title = "zip2zip session";
  bool visible_whitespace = false;  // initial state of the page's "whitespace" toggle
};

std::string session_html(const Session& s, std::int64_t t, const HtmlOptions& options = {});

}  // namespace z2z::session
