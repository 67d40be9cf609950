// The terminal view of a session: token stream (base tokens plain or in alternating faint tints,
// hypertokens coloured by length AND underlined with a thin separator at each internal base-token
// boundary, special tokens dim), a one-line legend, a live footer updated in place, and the summary
// block kept at the end. Plain text (no escapes) when colour is off. Used by `z2z generate`,
// `inspect` and `replay`; the colours come from core/session/palette.h like every other view.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "app/z2z/cli_args.h"
#include "app/z2z/term_style.h"
#include "core/session/session.h"
#include "core/session/stream_items.h"

namespace z2z::term {

struct ViewOptions {
  ColorDepth color = ColorDepth::None;
  bool whitespace = false;  // · → ↵ for space, tab, newline
  bool tint = false;        // alternate faint tints on base tokens
  bool live = false;        // footer updated in place (TTY only)
  bool summary = true;      // summary block at the end
};

std::vector<cli::OptionSpec> view_option_specs();  // --color --whitespace --tint --no-summary
ViewOptions view_options(const cli::Args& args, std::FILE* out);
session::ItemOptions item_options(const ViewOptions& v);

std::string render_item(const session::StreamItem& item, const ViewOptions& v, bool alternate);
std::string legend_line(const ViewOptions& v);
std::string summary_block(const session::Session& s, std::int64_t t, const ViewOptions& v);

// Writes items as they come; with `live`, keeps a footer line under the stream and rewrites it in
// place (the stream's column is tracked so the cursor returns exactly after the last token).
class StreamWriter {
 public:
  StreamWriter(std::FILE* out, ViewOptions v);
  void legend();
  void item(const session::StreamItem& it);
  void footer(const std::string& line, bool force = false);  // throttled to ~20 updates/s
  void finish(const std::string& summary);                   // footer removed, summary kept

 private:
  void hide_footer();
  void flush_pending();
  void write(const std::string& s);
  std::FILE* out_;
  ViewOptions v_;
  std::string pending_;                         // live mode: stream text waiting for the next footer update
  int col_ = 0, pending_col_ = 0, width_ = 80;  // cursor column after the written / pending stream
  bool footer_shown_ = false, alternate_ = false, wrote_ = false;
  double last_footer_ms_ = -1e9;
};

}  // namespace z2z::term
