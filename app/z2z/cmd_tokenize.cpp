// `z2z tokenize` — text -> token ids with HF-identical ids, spans and display text; --batch for JSONL.
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "app/z2z/cli_args.h"
#include "app/z2z/commands.h"
#include "app/z2z/tokenizer_cli.h"
#include "core/tokenizer/display.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

namespace z2z::cli {
namespace {

const char* kUsage =
    "z2z tokenize --tokenizer FILE [TEXT | --file F | --stdin] [--ids] [--json] [--add-special-tokens]\n"
    "                    [--show-count]\n"
    "       z2z tokenize --tokenizer FILE --batch IN.jsonl";

const char* kDescription =
    "Tokenize text with a Hugging Face tokenizer.json; ids are identical to HF tokenizers\n"
    "(add_special_tokens=false unless --add-special-tokens).\n"
    "Output: one line per token: index, id, the text it stands for (· = space, → = tab, ↵ = newline,\n"
    "<0xNN> = a byte that is only part of a character), the raw vocab form, and its input byte span.\n"
    "  --ids   the ids only, space-separated on one line\n"
    "  --json  {\"ids\":[...],\"tokens\":[{\"id\":..,\"text\":..,\"bytes\":[b,e]},...]} (text without glyphs;\n"
    "          with --show-count also \"count\")\n"
    "  --batch IN.jsonl: one JSON object with a \"text\" field per line -> one line {\"ids\":[...]} per\n"
    "          input line on stdout (blank lines are skipped); the tokenizer is loaded once.\n"
    "Byte spans index the input bytes; inserted tokens (BOS) have an empty span.";

std::vector<OptionSpec> options() {
  std::vector<OptionSpec> o = {
      {"tokenizer", "FILE", "tokenizer.json (required)"},
      {"file", "F", "read the text from file F"},
      {"stdin", "", "read the text from stdin"},
      {"ids", "", "print the ids only"},
      {"json", "", "machine-readable output"},
      {"show-count", "", "also print the number of tokens (and bytes/token)"},
      {"batch", "IN.jsonl", "tokenize every {\"text\": ...} line of IN.jsonl ('-' = stdin)"},
  };
  for (auto& e : encode_option_specs()) o.push_back(e);
  return o;
}

int run_batch(const tok::Tokenizer& t, const tok::EncodeOptions& opts, const std::string& path) {
  const std::string all = path == "-" ? read_stdin() : read_whole_file(path);
  std::size_t line_no = 0, at = 0;
  std::string out;
  while (at < all.size()) {
    std::size_t nl = all.find('\n', at);
    if (nl == std::string::npos) nl = all.size();
    const std::string line = all.substr(at, nl - at);
    at = nl + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
      z2z::fail("{}:{}: invalid JSON: {}", path, line_no, e.what());
    }
    if (!j.is_object() || !j.contains("text") || !j["text"].is_string())
      z2z::fail("{}:{}: expected an object with a string \"text\"", path, line_no);
    const auto ids = t.encode_ids(j["text"].get_ref<const std::string&>(), opts);
    out += fmt::format("{{\"ids\":[{}]}}\n", fmt::join(ids, ","));
    if (out.size() > (1 << 20)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

int run(int argc, char** argv) {
  Args args("z2z tokenize", kUsage, kDescription, options());
  if (!args.parse(argc, argv, 1)) return 0;
  const auto path = args.get("tokenizer");
  if (!path) throw UsageError("z2z tokenize: --tokenizer FILE is required");
  const tok::EncodeOptions opts = encode_options(args);
  if (auto batch = args.get("batch")) {
    if (!args.positional().empty() || args.has("file") || args.has("stdin"))
      throw UsageError("z2z tokenize: --batch reads its own input; do not also give TEXT, --file or --stdin");
    const tok::Tokenizer t = tok::Tokenizer::from_file(*path);
    return run_batch(t, opts, *batch);
  }
  const std::string text = input_text(args, "z2z tokenize");
  const tok::Tokenizer t = tok::Tokenizer::from_file(*path);
  const auto tokens = t.encode(text, opts);
  const bool count = args.has("show-count");

  if (args.has("json")) {
    std::string out = "{\"ids\":[";
    for (std::size_t i = 0; i < tokens.size(); ++i) out += fmt::format("{}{}", i ? "," : "", tokens[i].id);
    out += "],\"tokens\":[";
    for (std::size_t i = 0; i < tokens.size(); ++i)
      out += fmt::format("{}{{\"id\":{},\"text\":{},\"bytes\":[{},{}]}}", i ? "," : "", tokens[i].id,
                         json_string(tok::token_display_text(t, tokens[i].id)), tokens[i].begin, tokens[i].end);
    out += "]";
    if (count) out += fmt::format(",\"count\":{}", tokens.size());
    out += "}\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
  }
  if (args.has("ids")) {
    std::vector<std::int32_t> ids;
    for (const auto& k : tokens) ids.push_back(k.id);
    fmt::print("{}\n", fmt::join(ids, " "));
  } else {
    tok::DisplayOptions vis;
    vis.visible_whitespace = true;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      const auto& k = tokens[i];
      const std::string shown = tok::token_display_text(t, k.id, vis);
      const std::string raw = tok::visible_whitespace(t.id_to_token(k.id).value_or("?"));
      fmt::print("{:>6} {:>8}  {:<24} {:<24} {}-{}\n", i, k.id, "\"" + shown + "\"", raw, k.begin, k.end);
    }
  }
  if (count) {
    if (args.has("ids"))
      fmt::print("{}\n", tokens.size());
    else
      fmt::print("{} tokens, {} bytes, {:.3f} bytes/token\n", tokens.size(), text.size(),
                 tokens.empty() ? 0.0 : static_cast<double>(text.size()) / static_cast<double>(tokens.size()));
  }
  return 0;
}

}  // namespace

int cmd_tokenize(int argc, char** argv) { return run(argc, argv); }

}  // namespace z2z::cli
