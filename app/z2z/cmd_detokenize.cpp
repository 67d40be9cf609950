// `z2z detokenize` — token ids -> text through the tokenizer.json decoder (HF tokenizers decode).
#include <string>

#include <fmt/format.h>

#include "app/z2z/cli_args.h"
#include "app/z2z/commands.h"
#include "app/z2z/tokenizer_cli.h"
#include "core/tokenizer/tokenizer.h"

namespace z2z::cli {
namespace {

const char* kUsage = "z2z detokenize --tokenizer FILE [--ids \"1 2 3\"] [--skip-special-tokens] [--json]";
const char* kDescription =
    "Decode token ids (whitespace- or comma-separated; stdin unless --ids) back to text with the\n"
    "tokenizer.json decoder, as HF tokenizers decode(ids) does. Prints the text and a newline; with\n"
    "--json {\"text\": ...}. An id outside the vocabulary is an error (exit 2).";

int run(int argc, char** argv) {
  Args args("z2z detokenize", kUsage, kDescription,
            {{"tokenizer", "FILE", "tokenizer.json (required)"},
             {"ids", "\"1 2 3\"", "the ids (default: read stdin)"},
             {"skip-special-tokens", "", "drop special tokens (BOS, <|endoftext|>...)"},
             {"json", "", "machine-readable output"}});
  if (!args.parse(argc, argv, 1)) return 0;
  if (!args.positional().empty())
    throw UsageError("z2z detokenize: unexpected argument (give ids with --ids or stdin)");
  const auto path = args.get("tokenizer");
  if (!path) throw UsageError("z2z detokenize: --tokenizer FILE is required");
  const auto given = args.get("ids");
  const std::vector<std::int32_t> ids = parse_ids(given ? *given : read_stdin(), given ? "--ids" : "stdin");
  const tok::Tokenizer t = tok::Tokenizer::from_file(*path);
  const std::string text = t.decode(ids, args.has("skip-special-tokens"));
  if (args.has("json"))
    fmt::print("{{\"text\":{}}}\n", json_string(text));
  else
    fmt::print("{}\n", text);
  return 0;
}

}  // namespace

int cmd_detokenize(int argc, char** argv) { return run(argc, argv); }

}  // namespace z2z::cli
