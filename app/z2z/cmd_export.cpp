// `z2z export` — headless export of a saved session: html, svg, png, json, csv (codebook), md (summary).
#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "app/z2z/cli_args.h"
#include "app/z2z/commands.h"
#include "core/session/export/html.h"
#include "core/session/export/tables.h"
#include "core/session/session_file.h"
#include "core/util/atomic_file.h"
#include "ui/offscreen.h"
#include "ui/session_image.h"

namespace z2z::cli {

namespace {
const char* kUsage =
    "z2z export SESSION.json --format html|svg|png|json|csv|md --out FILE [--step N] [--width PX] [--scale X]\n"
    "           [--whitespace] [--title TEXT]";
const char* kDescription =
    "Export a session (from `z2z generate --save-session` or `z2z inspect --save-session`) at step N\n"
    "(default: the last step; N = the first N codes):\n"
    "  html  one self-contained page (no network): token chips with hover cards (id, base ids, text,\n"
    "        probability and top-k, creation step), legend, numbers, codebook table\n"
    "  png   the whole stream wrapped to --width logical px (default 1200), --scale 2 for HiDPI\n"
    "  svg   the same picture as vector graphics (painted by the same code as the GUI, Qt offscreen)\n"
    "  json  the session file itself (docs/session-format.md)\n"
    "  csv   the codebook at step N: id,created_step,length,prefix_id,last_base_id,base_ids,text,uses,last_use\n"
    "  md    a Markdown summary table (numbers, most used entries)";
}  // namespace

int cmd_export(int argc, char** argv) {
  Args args("z2z export", kUsage, kDescription,
            {{"format", "FMT", "html | svg | png | json | csv | md (default: from --out's extension)"},
             {"out", "FILE", "output file (required)"},
             {"step", "N", "state after the first N codes (default: all)"},
             {"width", "PX", "png/svg: width in logical pixels (default 1200)"},
             {"scale", "X", "png: device pixels per logical pixel (default 1; 2 = HiDPI)"},
             {"whitespace", "", "show spaces, tabs and newlines as · → ↵ (html: initial state)"},
             {"title", "TEXT", "html: page title"}});
  if (!args.parse(argc, argv, 1)) return 0;
  if (args.positional().size() != 1) throw UsageError("z2z export: give exactly one SESSION file");
  const auto out = args.get("out");
  if (!out) throw UsageError("z2z export: --out FILE is required");
  std::string format = args.get_or("format", std::filesystem::path(*out).extension().string());
  if (!format.empty() && format[0] == '.') format = format.substr(1);
  static const char* kFormats[] = {"html", "svg", "png", "json", "csv", "md"};
  if (std::find(std::begin(kFormats), std::end(kFormats), format) == std::end(kFormats))
    throw UsageError(fmt::format("--format: expected html, svg, png, json, csv or md, got '{}'", format));
  const auto step = args.get_int("step", 0, std::numeric_limits<std::int64_t>::max());
  ui::ImageOptions io;
  io.width = static_cast<int>(args.get_int("width", 1200, 200, 20000));
  io.scale = args.get_double("scale", 1.0, 0.25, 8.0);
  io.visible_whitespace = args.has("whitespace");

  const auto t0 = std::chrono::steady_clock::now();
  const session::Session s = session::load(args.positional()[0]);
  if (step && *step > s.steps())
    throw UsageError(fmt::format("--step: {} is past the last step ({})", *step, s.steps()));
  const std::int64_t t = step.value_or(s.steps());
  if (format == "html") {
    session::HtmlOptions ho;
    ho.title = args.get_or("title", "zip2zip session");
    ho.visible_whitespace = io.visible_whitespace;
    write_file_atomic(*out, session::session_html(s, t, ho));
  } else if (format == "json") {
    session::save(s, *out);
  } else if (format == "csv") {
    write_file_atomic(*out, session::codebook_csv(s, t));
  } else if (format == "md") {
    write_file_atomic(*out, session::summary_markdown(s, t));
  } else {
    ui::ensure_gui_application();
    const std::string tmp = *out + ".part." + format;
    if (format == "png")
      ui::export_png(s, t, io, tmp);
    else
      ui::export_svg(s, t, io, tmp);
    std::filesystem::rename(tmp, *out);
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  fmt::print(stderr, "{}: {} at step {}/{} ({} bytes, {:.0f} ms)\n", *out, format, t, s.steps(),
             std::filesystem::file_size(*out), ms);
  return 0;
}

}  // namespace z2z::cli
