// Implementation of the shared tokenizer-command helpers.
#include "app/z2z/tokenizer_cli.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/util/error.h"

namespace z2z::cli {

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) z2z::fail("{}: cannot open", path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string input_text(const Args& args, const std::string& command) {
  const auto& pos = args.positional();
  const int given =
      static_cast<int>(!pos.empty()) + static_cast<int>(args.has("file")) + static_cast<int>(args.has("stdin"));
  if (given != 1)
    throw UsageError(fmt::format("{}: give the text as TEXT, --file F or --stdin (exactly one)", command));
  if (pos.size() > 1)
    throw UsageError(fmt::format("{}: expected one TEXT argument, got {} (quote the text)", command, pos.size()));
  if (!pos.empty()) return pos[0];
  if (auto f = args.get("file")) return read_whole_file(*f);
  return read_stdin();
}

tok::EncodeOptions encode_options(const Args& args) {
  tok::EncodeOptions o;
  o.add_special_tokens = args.has("add-special-tokens");
  o.split_special_tokens = args.has("split-special-tokens");
  const std::string u = args.get_or("invalid-utf8", "replace");
  if (u == "replace")
    o.invalid_utf8 = tok::InvalidUtf8::Replace;
  else if (u == "reject")
    o.invalid_utf8 = tok::InvalidUtf8::Reject;
  else
    throw UsageError(fmt::format("--invalid-utf8: expected replace or reject, got '{}'", u));
  return o;
}

std::vector<OptionSpec> encode_option_specs() {
  return {
      {"add-special-tokens", "", "run the post-processor (e.g. BOS for Gemma-3 and Llama-2)"},
      {"split-special-tokens", "", "encode the text of special tokens as plain text"},
      {"invalid-utf8", "replace|reject", "ill-formed UTF-8: encode as U+FFFD (default) or fail (exit 2)"},
  };
}

std::string json_string(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace z2z::cli
