// Terminal rendering of stream items, legend, summary block, and the live footer writer.
#include "app/z2z/term_stream.h"

#include <chrono>

#include <fmt/format.h>

#include "core/session/summary.h"

namespace z2z::term {

namespace {

constexpr const char* kSeparator = "\xE2\x96\x8F";  // ▏ thin vertical bar at base-token boundaries

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string strip_escapes(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x1b' && i + 1 < s.size() && s[i + 1] == '[') {
      i += 2;
      while (i < s.size() && !(s[i] >= 0x40 && s[i] <= 0x7E)) ++i;
      continue;
    }
    out += s[i];
  }
  return out;
}

std::string fit(std::string_view s, int cols) {
  std::string out;
  int w = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = 1;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0)
      n = 4;
    else if (c >= 0xE0)
      n = 3;
    else if (c >= 0xC0)
      n = 2;
    n = std::min(n, s.size() - i);
    const int cw = display_width(s.substr(i, n));
    if (w + cw > cols) break;
    out.append(s.substr(i, n));
    w += cw;
    i += n;
  }
  return out;
}

}  // namespace

std::vector<cli::OptionSpec> view_option_specs() {
  return {{"color", "WHEN", "auto (default: colour on a TTY unless NO_COLOR), always, never, 256, truecolor"},
          {"whitespace", "", "show spaces, tabs and newlines as · → ↵"},
          {"tint", "", "alternate faint tints on base tokens"},
          {"no-summary", "", "no summary block at the end"}};
}

ViewOptions view_options(const cli::Args& args, std::FILE* out) {
  ViewOptions v;
  const bool tty = is_tty(out);
  v.color = detect_color(args.get_or("color", "auto"), tty);
  v.whitespace = args.has("whitespace");
  v.tint = args.has("tint");
  v.summary = !args.has("no-summary");
  v.live = tty && v.color != ColorDepth::None;
  return v;
}

session::ItemOptions item_options(const ViewOptions& v) {
  session::ItemOptions o;
  o.visible_whitespace = v.whitespace;
  o.keep_newlines = true;
  return o;
}

std::string render_item(const session::StreamItem& it, const ViewOptions& v, bool alternate) {
  // Pieces between internal base-token boundaries, each sanitized.
  std::vector<std::string> pieces;
  std::size_t from = 0;
  for (std::size_t k = 0; k <= it.cuts.size(); ++k) {
    const std::size_t to = k < it.cuts.size() ? std::min<std::size_t>(it.cuts[k], it.text.size()) : it.text.size();
    if (to < from) continue;
    pieces.push_back(sanitize(std::string_view(it.text).substr(from, to - from)));
    from = to;
  }
  std::string out;
  if (v.color == ColorDepth::None) {
    for (std::size_t k = 0; k < pieces.size(); ++k) out += (k && it.ids_only ? " " : "") + pieces[k];
    if (it.ids_only) out += ' ';
    return out;
  }
  const auto& st = session::style_of(it.kind);
  std::string on;
  if (session::is_hyper_kind(it.kind))
    on = sgr_fg(st.term, v.color) + kUnderline;
  else if (it.kind == session::ChipKind::Special)
    on = std::string(kFaint) + sgr_fg(st.term, v.color);
  else if (v.tint && alternate)
    on = sgr_fg(session::base_alt_term(), v.color);
  const bool marks = session::is_hyper_kind(it.kind);
  out += on;
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    if (k && marks)
      out += std::string(kFaint) + kSeparator + "\x1b[22m";
    else if (k && it.ids_only)
      out += ' ';
    // Newlines end the styled run (no underline dragged to the next line) and start it again.
    std::size_t at = 0;
    const std::string& p = pieces[k];
    for (std::size_t nl; (nl = p.find('\n', at)) != std::string::npos; at = nl + 1)
      out += p.substr(at, nl - at) + (on.empty() ? "\n" : std::string(kReset) + "\n" + on);
    out += p.substr(at);
  }
  if (!on.empty()) out += kReset;
  if (it.ids_only) out += ' ';
  return out;
}

std::string legend_line(const ViewOptions& v) {
  if (v.color == ColorDepth::None) return "";
  using session::ChipKind;
  auto sample = [&](ChipKind k, const char* text, std::vector<std::uint32_t> cuts) {
    session::StreamItem it;
    it.kind = k;
    it.text = text;
    it.cuts = std::move(cuts);
    return render_item(it, v, false);
  };
  return fmt::format(
      "{}legend:{} {}  {}  {}  {}  {}  {}(underline + {} = hypertoken and its base-token boundaries){}\n", kBold,
      kReset, sample(ChipKind::Base, "base", {}), sample(ChipKind::Hyper2, "hyper2", {5}),
      sample(ChipKind::Hyper3, "hyper3", {4, 5}), sample(ChipKind::Hyper4, "hyper4+", {2, 4, 5}),
      sample(ChipKind::Special, "<special>", {}), kFaint, kSeparator, kReset);
}

std::string summary_block(const session::Session& s, std::int64_t t, const ViewOptions& v) {
  const bool color = v.color != ColorDepth::None;
  std::string out =
      fmt::format("{}── zip2zip · {} ──{}\n", color ? kBold : "", session::run_title(s), color ? kReset : "");
  out += fmt::format("  {:<40} {}\n", "settings", session::run_settings(s));
  for (const auto& r : session::metric_rows(s, t)) out += fmt::format("  {:<40} {}\n", r.label, r.value);
  return out;
}

StreamWriter::StreamWriter(std::FILE* out, ViewOptions v) : out_(out), v_(v) {
  if (v_.live) width_ = terminal_width(out_);
}

void StreamWriter::write(const std::string& s) {
  std::fwrite(s.data(), 1, s.size(), out_);
  wrote_ = true;
}

void StreamWriter::legend() {
  const std::string l = legend_line(v_);
  if (!l.empty()) write(l);
  std::fflush(out_);
}

void StreamWriter::item(const session::StreamItem& it) {
  const bool alt = it.kind == session::ChipKind::Base ? (alternate_ = !alternate_) : false;
  const std::string s = render_item(it, v_, alt);
  if (!v_.live) {
    write(s);
    return;
  }
  pending_ += s;
  pending_col_ = advance_column(pending_col_, strip_escapes(s), width_);
  if (pending_col_ >= width_) {  // the cursor would wait in the last column: make the wrap explicit
    pending_ += "\r\n";
    pending_col_ = 0;
  }
}

void StreamWriter::flush_pending() {
  if (pending_.empty()) return;
  hide_footer();
  write(pending_);
  pending_.clear();
  col_ = pending_col_;
}

void StreamWriter::hide_footer() {
  if (!footer_shown_) return;
  write(fmt::format("\r\x1b[2K\x1b[1A\x1b[{}G", col_ + 1));
  footer_shown_ = false;
}

void StreamWriter::footer(const std::string& line, bool force) {
  if (!v_.live) {
    std::fflush(out_);
    return;
  }
  const double t = now_ms();
  if (!force && footer_shown_ && t - last_footer_ms_ < 50) return;
  last_footer_ms_ = t;
  flush_pending();
  hide_footer();
  write(fmt::format("\n\r\x1b[2K{}{}{}", kFaint, fit(line, width_ - 1), kReset));
  footer_shown_ = true;
  std::fflush(out_);
}

void StreamWriter::finish(const std::string& summary) {
  flush_pending();
  hide_footer();
  write("\n");
  if (!summary.empty()) write(summary);
  std::fflush(out_);
}

}  // namespace z2z::term
