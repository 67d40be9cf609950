// Shared pieces of the tokenizer commands (`z2z tokenize`, `detokenize`, `compress`): loading the
// --tokenizer file, reading the input text (TEXT | --file F | --stdin), encode options from flags,
// and JSON string output that never throws on odd bytes.
#pragma once

#include <string>
#include <vector>

#include "app/z2z/cli_args.h"
#include "core/tokenizer/tokenizer.h"

namespace z2z::cli {

std::string read_whole_file(const std::string& path);  // throws z2z::Error naming the path
// Exactly one of: one positional TEXT, --file F, --stdin. `command` names the command in errors.
std::string input_text(const Args& args, const std::string& command);
// --add-special-tokens, --split-special-tokens, --invalid-utf8 replace|reject
tok::EncodeOptions encode_options(const Args& args);
std::vector<OptionSpec> encode_option_specs();
std::string json_string(const std::string& s);  // quoted, escaped; invalid UTF-8 becomes U+FFFD

}  // namespace z2z::cli
