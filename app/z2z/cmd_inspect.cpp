// `z2z inspect` — any text as zip2zip would compress it: tokenize, canonical LZW, and show the token
// stream with hypertokens marked (terminal view), optionally saving the session.
#include <fmt/format.h>

#include "app/z2z/cli_args.h"
#include "app/z2z/commands.h"
#include "app/z2z/session_view.h"
#include "app/z2z/tokenizer_cli.h"
#include "core/session/session_file.h"
#include "core/session/session_text.h"
#include "core/tokenizer/compression.h"
#include "core/tokenizer/tokenizer.h"

namespace z2z::cli {

namespace {
const char* kUsage =
    "z2z inspect --tokenizer FILE (TEXT | --file F | --stdin) [--max-codebook-size K] [--max-subtokens S]\n"
    "            [--disable added|special|none] [--step N] [--save-session FILE]\n"
    "            [--color WHEN] [--whitespace] [--tint] [--no-summary]";
const char* kDescription =
    "Tokenize a text, encode its ids with canonical zip2zip LZW (one step per code, as if a model had\n"
    "emitted exactly the canonical stream) and print it: base tokens plain, hypertokens coloured by length\n"
    "(2, 3, 4+ base tokens) and underlined with a thin bar at each internal base-token boundary, special\n"
    "tokens dim; then a summary (compression rate, codebook size, hypertoken lengths ...).\n"
    "Colour only on a terminal (or --color always); NO_COLOR or a pipe gives plain text.\n"
    "LZW setup as `z2z compress`: V = the tokenizer's id space, added tokens disabled (--disable),\n"
    "S = 4, K unlimited. --step N shows the stream and the numbers after the first N codes.\n"
    "--save-session FILE writes the session (docs/session-format.md) for `z2z replay` / `z2z export`.";
}  // namespace

int cmd_inspect(int argc, char** argv) {
  std::vector<OptionSpec> specs = {
      {"tokenizer", "FILE", "tokenizer.json (required)"},
      {"file", "F", "read the text from file F"},
      {"stdin", "", "read the text from stdin"},
      {"max-codebook-size", "K", "max hypertokens ('unlimited' = default)"},
      {"max-subtokens", "S", "max base tokens per hypertoken (default 4)"},
      {"disable", "added|special|none", "which added tokens are LZW boundaries (default added)"},
      {"step", "N", "show the state after the first N codes"},
      {"save-session", "FILE", "write the session as JSON"},
  };
  for (auto& o : term::view_option_specs()) specs.push_back(o);
  Args args("z2z inspect", kUsage, kDescription, specs);
  if (!args.parse(argc, argv, 1)) return 0;
  const auto path = args.get("tokenizer");
  if (!path) throw UsageError("z2z inspect: --tokenizer FILE is required");
  std::int64_t K = lzw::LzwConfig::kUnlimited;
  if (auto k = args.get("max-codebook-size"); k && *k != "unlimited" && *k != "inf")
    K = parse_int(*k, "--max-codebook-size", 0, 2147483647);
  const auto S = static_cast<std::int32_t>(args.get_int("max-subtokens", 4, 1, 64));
  const std::string d = args.get_or("disable", "added");
  tok::DisabledSet disabled;
  if (d == "added")
    disabled = tok::DisabledSet::Added;
  else if (d == "special")
    disabled = tok::DisabledSet::Special;
  else if (d == "none")
    disabled = tok::DisabledSet::None;
  else
    throw UsageError(fmt::format("--disable: expected added, special or none, got '{}'", d));
  const auto step = args.get_int("step", 0, std::numeric_limits<std::int64_t>::max());
  const term::ViewOptions view = term::view_options(args, stdout);
  const std::string text = input_text(args, "z2z inspect");

  const tok::Tokenizer t = tok::Tokenizer::from_file(*path);
  const lzw::CompressionConfig cfg(tok::lzw_config_for(t, K, S, disabled));
  const session::Session s = session::from_text(t, text, cfg, *path);
  if (auto out = args.get("save-session")) session::save(s, *out);
  print_session(stdout, s, step.value_or(s.steps()), view);
  return 0;
}

}  // namespace z2z::cli
