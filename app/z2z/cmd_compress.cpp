// `z2z compress` — tokenize + zip2zip LZW: compression numbers for one text, or the paper's token
// efficiency table (bytes/token base and +zip2zip per domain and tokenizer) for a corpus directory.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/z2z/cli_args.h"
#include "app/z2z/commands.h"
#include "app/z2z/tokenizer_cli.h"
#include "core/tokenizer/compression.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

namespace z2z::cli {
namespace {

const char* kUsage =
    "z2z compress --tokenizer FILE [TEXT | --file F | --stdin] [--max-codebook-size K] [--max-subtokens S] [--json]\n"
    "       z2z compress --table --tokenizer A.json [--tokenizer B.json ...] CORPUS_DIR [--json]";

const char* kDescription =
    "Tokenize a text and LZW-encode its ids as zip2zip does; print\n"
    "  {\"bytes\",\"base_tokens\",\"codes\",\"hypertokens_used\",\"codebook_size\",\"bytes_per_token_base\",\n"
    "   \"bytes_per_token_zip\",\"compression_rate\"} (--json) or the same in words.\n"
    "compression_rate = codes / base_tokens; hypertokens_used = emitted codes that are hypertokens.\n"
    "LZW setup: V = the tokenizer's id space (max id + 1, added tokens included); disabled ids (never\n"
    "merged, hard boundaries) = every added and special token (--disable added, the default) or only\n"
    "special ones (--disable special; Gemma-3's newline/whitespace tokens are non-special added tokens)\n"
    "or none; pad = the first special token in added_tokens (else the first added token, else 0; always\n"
    "disabled). Defaults: S = 4, K unlimited.\n"
    "--table: for each CORPUS_DIR/<domain>.txt (code, math, chat, multilingual, web first; documents\n"
    "separated by a line holding a form feed) and each --tokenizer, the mean over documents of\n"
    "bytes/base token and bytes/code (each document one LZW chunk), as a Markdown table (the paper's\n"
    "Table 2 protocol, reference §5).";

std::vector<OptionSpec> options() {
  std::vector<OptionSpec> o = {
      {"tokenizer", "FILE", "tokenizer.json (repeat with --table)", true},
      {"file", "F", "read the text from file F"},
      {"stdin", "", "read the text from stdin"},
      {"max-codebook-size", "K", "max hypertokens ('unlimited' = default)"},
      {"max-subtokens", "S", "max base tokens per hypertoken (default 4)"},
      {"disable", "added|special|none", "which added tokens are LZW boundaries (default added)"},
      {"table", "", "token-efficiency table over CORPUS_DIR"},
      {"json", "", "machine-readable output"},
  };
  for (auto& e : encode_option_specs()) o.push_back(e);
  return o;
}

std::string stem(const std::string& path) {
  std::string s = std::filesystem::path(path).filename().string();
  if (s.size() > 5 && s.substr(s.size() - 5) == ".json") s.resize(s.size() - 5);
  return s;
}

// Documents of a corpus file: separated by lines that hold a form feed.
std::vector<std::string> documents(const std::string& text) {
  std::vector<std::string> docs;
  std::string cur;
  bool first_line = true;
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t nl = text.find('\n', at);
    const bool last = nl == std::string::npos;
    if (last) nl = text.size();
    const std::string line = text.substr(at, nl - at);
    at = nl + 1;
    if (line == "\f" || line == "\f\r") {
      if (!cur.empty()) docs.push_back(std::move(cur));
      cur.clear();
      first_line = true;
    } else {
      if (!first_line) cur += '\n';
      cur += line;
      first_line = false;
    }
    if (last) break;
  }
  if (!cur.empty()) docs.push_back(std::move(cur));
  return docs;
}

struct Cell {
  std::size_t docs = 0;
  double base = 0, zip = 0;  // means over documents
};

tok::DisabledSet disabled_set(const Args& args) {
  const std::string d = args.get_or("disable", "added");
  if (d == "added") return tok::DisabledSet::Added;
  if (d == "special") return tok::DisabledSet::Special;
  if (d == "none") return tok::DisabledSet::None;
  throw UsageError(fmt::format("--disable: expected added, special or none, got '{}'", d));
}

int run_table(const Args& args, const std::vector<std::string>& tokenizers, std::int32_t S) {
  if (args.positional().size() != 1) throw UsageError("z2z compress --table: expected exactly one CORPUS_DIR");
  if (args.has("file") || args.has("stdin"))
    throw UsageError("z2z compress --table: reads CORPUS_DIR, not --file/--stdin");
  const std::filesystem::path dir = args.positional()[0];
  if (!std::filesystem::is_directory(dir)) z2z::fail("{}: not a directory", dir.string());
  const std::vector<std::string> preferred = {"code", "math", "chat", "multilingual", "web"};
  std::vector<std::string> domains, others;
  for (const auto& d : preferred)
    if (std::filesystem::is_regular_file(dir / (d + ".txt"))) domains.push_back(d);
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".txt") continue;
    const std::string d = e.path().stem().string();
    if (std::find(preferred.begin(), preferred.end(), d) == preferred.end()) others.push_back(d);
  }
  std::sort(others.begin(), others.end());
  domains.insert(domains.end(), others.begin(), others.end());
  if (domains.empty()) z2z::fail("{}: no <domain>.txt files", dir.string());
  std::vector<std::vector<std::string>> docs;
  for (const auto& d : domains) docs.push_back(documents(read_whole_file((dir / (d + ".txt")).string())));

  const tok::EncodeOptions opts = encode_options(args);
  std::vector<std::vector<Cell>> cells;
  for (const auto& path : tokenizers) {
    const tok::Tokenizer t = tok::Tokenizer::from_file(path);
    const lzw::CompressionConfig cfg(tok::lzw_config_for(t, lzw::LzwConfig::kUnlimited, S, disabled_set(args)));
    std::vector<Cell> row;
    for (const auto& list : docs) {
      Cell c;
      for (const auto& doc : list) {
        const auto s = tok::compress_stats(t, doc, cfg, opts);
        if (!s.base_tokens) continue;
        c.base += s.bytes_per_token_base();
        c.zip += s.bytes_per_token_zip();
        ++c.docs;
      }
      if (c.docs) {
        c.base /= static_cast<double>(c.docs);
        c.zip /= static_cast<double>(c.docs);
      }
      row.push_back(c);
    }
    cells.push_back(std::move(row));
  }
  if (args.has("json")) {
    std::string out =
        fmt::format("{{\"corpus\":{},\"max_subtokens\":{},\"tokenizers\":[", json_string(dir.string()), S);
    for (std::size_t i = 0; i < tokenizers.size(); ++i) {
      out += fmt::format("{}{{\"name\":{},\"domains\":{{", i ? "," : "", json_string(stem(tokenizers[i])));
      for (std::size_t d = 0; d < domains.size(); ++d)
        out += fmt::format("{}{}:{{\"documents\":{},\"bytes_per_token_base\":{:.4f},\"bytes_per_token_zip\":{:.4f}}}",
                           d ? "," : "", json_string(domains[d]), cells[i][d].docs, cells[i][d].base, cells[i][d].zip);
      out += "}}";
    }
    out += "]}\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
  }
  fmt::print("| tokenizer |");
  for (const auto& d : domains) fmt::print(" {} |", d);
  fmt::print("\n|---|");
  for (std::size_t d = 0; d < domains.size(); ++d) fmt::print("---|");
  fmt::print("\n");
  for (std::size_t i = 0; i < tokenizers.size(); ++i) {
    fmt::print("| {} |", stem(tokenizers[i]));
    for (const auto& c : cells[i]) fmt::print(" {:.2f} → {:.2f} |", c.base, c.zip);
    fmt::print("\n");
  }
  fmt::print(
      "\nbytes/token, base → +zip2zip (LZW, K unlimited, S={}, {} tokens disabled, each document one chunk), mean over "
      "documents",
      S, args.get_or("disable", "added"));
  fmt::print(" (documents per domain:");
  for (std::size_t d = 0; d < domains.size(); ++d) fmt::print(" {} {}", domains[d], docs[d].size());
  fmt::print(")\n");
  return 0;
}

int run(int argc, char** argv) {
  Args args("z2z compress", kUsage, kDescription, options());
  if (!args.parse(argc, argv, 1)) return 0;
  const auto tokenizers = args.get_all("tokenizer");
  if (tokenizers.empty()) throw UsageError("z2z compress: --tokenizer FILE is required");
  const auto S = static_cast<std::int32_t>(args.get_int("max-subtokens", 4, 1, 65535));
  std::int64_t K = lzw::LzwConfig::kUnlimited;
  if (auto k = args.get("max-codebook-size"); k && *k != "unlimited" && *k != "inf")
    K = parse_int(*k, "--max-codebook-size", 0, 2147483647);
  const tok::DisabledSet disabled = disabled_set(args);  // usage errors before any loading
  if (args.has("table")) {
    if (args.has("max-codebook-size")) throw UsageError("z2z compress --table: K is unlimited (the paper's protocol)");
    return run_table(args, tokenizers, S);
  }
  if (tokenizers.size() != 1) throw UsageError("z2z compress: give one --tokenizer (several only with --table)");
  const std::string text = input_text(args, "z2z compress");
  const tok::Tokenizer t = tok::Tokenizer::from_file(tokenizers[0]);
  const lzw::CompressionConfig cfg(tok::lzw_config_for(t, K, S, disabled));
  const tok::CompressionStats s = tok::compress_stats(t, text, cfg, encode_options(args));
  if (args.has("json")) {
    fmt::print(
        "{{\"bytes\":{},\"base_tokens\":{},\"codes\":{},\"hypertokens_used\":{},\"codebook_size\":{},"
        "\"bytes_per_token_base\":{:.6f},\"bytes_per_token_zip\":{:.6f},\"compression_rate\":{:.6f}}}\n",
        s.bytes, s.base_tokens, s.codes, s.hypertokens_used, s.codebook_size, s.bytes_per_token_base(),
        s.bytes_per_token_zip(), s.compression_rate());
    return 0;
  }
  fmt::print("text:             {} bytes\n", s.bytes);
  fmt::print("base tokens:      {} ({:.3f} bytes/token)\n", s.base_tokens, s.bytes_per_token_base());
  fmt::print("zip2zip codes:    {} ({:.3f} bytes/token), {} of them hypertokens\n", s.codes, s.bytes_per_token_zip(),
             s.hypertokens_used);
  fmt::print("codebook:         {} entries\n", s.codebook_size);
  fmt::print("compression rate: {:.4f} (codes / base tokens)\n", s.compression_rate());
  fmt::print("LZW:              V={} K={} S={} pad={}, {} ids disabled ({})\n", cfg.V(),
             K >= lzw::LzwConfig::kUnlimited ? std::string("unlimited") : std::to_string(K), S, cfg.pad(),
             cfg.disabled_ids().size(), args.get_or("disable", "added"));
  return 0;
}

}  // namespace

int cmd_compress(int argc, char** argv) { return run(argc, argv); }

}  // namespace z2z::cli
