// `z2z lzw encode|decode|trace` — the LZW codec from the command line, and its teaching trace.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include "app/z2z/cli_args.h"
#include "app/z2z/commands.h"
#include "app/z2z/json_out.h"
#include "core/lzw/codec.h"
#include "core/util/error.h"

namespace z2z::cli {
namespace {

using lzw::TokenId;

const char* kUsage =
    "z2z lzw (encode|decode|trace) --initial-vocab-size V --max-codebook-size K --max-subtokens S\n"
    "               [--pad-token-id P] [--disabled-ids a,b,c] [--ids \"1 2 3\" | --text TEXT] [--json]";

const char* kDescription =
    "The zip2zip LZW codec (bit-exact with the reference codec).\n"
    "  encode  base ids -> codes (hypertokens are ids >= V)\n"
    "  decode  codes -> base ids, rebuilding the codebook from the codes alone\n"
    "  trace   encode step by step: buffer before, id read, known?, code emitted, entry added\n"
    "Ids are whitespace-separated on stdin unless --ids or --text is given. --text uses the UTF-8\n"
    "bytes of TEXT as base ids (V defaults to 256) and shows them as characters.\n"
    "Output: codes (or base ids) space-separated on one line; with --json\n"
    "  encode -> {\"codes\":[...],\"codebook\":{\"V\":[ids],...}}, decode -> {\"ids\":[...],\"codebook\":{...}},\n"
    "  trace  -> one JSON object per consumed id.\n"
    "K may be 'unlimited'. Errors: one line on stderr, exit code 2.";

std::vector<OptionSpec> options() {
  return {
      {"initial-vocab-size", "V", "base vocabulary size: ids < V are base tokens (required unless --text)"},
      {"max-codebook-size", "K", "max number of hypertokens, ids in [V, V+K); 'unlimited' allowed (required)"},
      {"max-subtokens", "S", "max base tokens per hypertoken and per emitted code (required)"},
      {"pad-token-id", "P", "padding id, always disabled (default 0)"},
      {"disabled-ids", "a,b,c", "ids that never merge (special tokens); comma or space separated"},
      {"ids", "\"1 2 3\"", "input ids (default: read stdin)"},
      {"text", "TEXT", "use the UTF-8 bytes of TEXT as base ids"},
      {"json", "", "machine-readable output"},
  };
}

std::string show_id(TokenId id, bool text_mode, std::int64_t V) {
  if (!text_mode || id >= V) return std::to_string(id);
  if (id >= 0x21 && id < 0x7f) return fmt::format("'{}'", static_cast<char>(id));
  if (id == ' ') return "'␣'";
  if (id == '\n') return "'↵'";
  return fmt::format("<{:02X}>", id);
}

std::string show_seq(std::span<const TokenId> seq, bool text_mode, std::int64_t V) {
  if (!text_mode) return fmt::format("[{}]", fmt::join(seq, " "));
  std::string s = "\"";
  for (TokenId id : seq) {
    if (id >= 0x21 && id < 0x7f && id != '"')
      s += static_cast<char>(id);
    else if (id == ' ')
      s += "␣";
    else if (id == '\n')
      s += "↵";
    else
      s += show_id(id, true, V);
  }
  return s + "\"";
}

std::string show_codes(std::span<const TokenId> codes, bool text_mode, const lzw::CompressionConfig& cfg,
                       const lzw::Codebook* cb) {
  std::vector<std::string> parts;
  for (TokenId c : codes) {
    if (text_mode && cb && c >= cfg.V() && cb->contains_id(c))
      parts.push_back(fmt::format("{}={}", c, show_seq(cb->expansion(c), true, cfg.V())));
    else
      parts.push_back(show_id(c, text_mode, cfg.V()));
  }
  return fmt::format("{}", fmt::join(parts, " "));
}

int run(int argc, char** argv) {
  Args args("z2z lzw", kUsage, kDescription, options());
  if (!args.parse(argc, argv, 1)) return 0;
  const auto& pos = args.positional();
  if (pos.size() != 1 || (pos[0] != "encode" && pos[0] != "decode" && pos[0] != "trace"))
    throw UsageError("z2z lzw: expected exactly one action: encode, decode or trace (see --help)");
  const std::string action = pos[0];
  const bool text_mode = args.has("text");
  if (text_mode && args.has("ids")) throw UsageError("z2z lzw: give either --ids or --text, not both");
  if (text_mode && action == "decode") throw UsageError("z2z lzw: --text works with encode and trace");

  lzw::LzwConfig c;
  auto v = args.get_int("initial-vocab-size", 1, 2147483647);
  if (!v && !text_mode) throw UsageError("z2z lzw: --initial-vocab-size is required");
  c.initial_vocab_size = v ? *v : 256;
  auto k = args.get("max-codebook-size");
  if (!k) throw UsageError("z2z lzw: --max-codebook-size is required");
  c.max_codebook_size = (*k == "unlimited" || *k == "inf") ? lzw::LzwConfig::kUnlimited
                                                           : parse_int(*k, "--max-codebook-size", 0, 2147483647);
  auto s = args.get_int("max-subtokens", 1, 65535);
  if (!s) throw UsageError("z2z lzw: --max-subtokens is required");
  c.max_subtokens = static_cast<std::int32_t>(*s);
  c.pad_token_id = static_cast<TokenId>(args.get_int("pad-token-id", 0, 0, 2147483647));
  if (auto d = args.get("disabled-ids")) c.disabled_ids = parse_ids(*d, "--disabled-ids");
  const lzw::CompressionConfig cfg(c);

  std::vector<TokenId> ids;
  if (text_mode) {
    const std::string text = args.get_or("text", "");
    for (unsigned char ch : text) ids.push_back(ch);
  } else if (auto given = args.get("ids")) {
    ids = parse_ids(*given, "--ids");
  } else {
    ids = parse_ids(read_stdin(), "stdin");
  }
  const bool json = args.has("json");

  if (action == "encode") {
    lzw::EncodeResult r = lzw::encode(cfg, ids);
    if (json)
      fmt::print("{{\"codes\":{},\"codebook\":{}}}\n", json_array(r.codes), json_codebook(r.codebook));
    else
      fmt::print("{}\n", text_mode ? show_codes(r.codes, true, cfg, &r.codebook) : fmt::format("{}", fmt::join(r.codes, " ")));
    return 0;
  }
  if (action == "decode") {
    lzw::DecodeResult r = lzw::decode(cfg, ids);
    if (json)
      fmt::print("{{\"ids\":{},\"codebook\":{}}}\n", json_array(r.ids), json_codebook(r.codebook));
    else
      fmt::print("{}\n", fmt::join(r.ids, " "));
    return 0;
  }

  // trace
  lzw::EncodeTrace t = lzw::encode_trace(cfg, ids);
  if (json) {
    for (const auto& row : t.rows) {
      std::string added = row.added_id ? fmt::format("{{\"id\":{},\"seq\":{}}}", *row.added_id, json_array(row.added_seq))
                                       : std::string("null");
      fmt::print("{{\"pos\":{},\"buffer\":{},\"read\":{},\"disabled\":{},\"known\":{},\"emitted\":{},\"added\":{}}}\n",
                 row.position, json_array(row.buffer_before), row.id, row.disabled, row.known,
                 json_array(row.emitted), added);
    }
    fmt::print("{{\"final_flush\":{},\"codes\":{},\"codebook\":{}}}\n", json_array(t.final_flush),
               json_array(t.result.codes), json_codebook(t.result.codebook));
    return 0;
  }
  struct Line {
    std::string pos, buf, read, known, emitted, added;
  };
  std::vector<Line> lines{{"pos", "buffer", "read", "known?", "emitted", "added"}};
  for (const auto& row : t.rows) {
    std::vector<std::string> emitted;
    for (TokenId e : row.emitted) {
      auto exp = t.result.codebook.expansion(e);
      emitted.push_back(e >= cfg.V() && !exp.empty() ? fmt::format("{}={}", e, show_seq(exp, text_mode, cfg.V()))
                                                      : show_id(e, text_mode, cfg.V()));
    }
    lines.push_back({std::to_string(row.position), show_seq(row.buffer_before, text_mode, cfg.V()),
                     show_id(row.id, text_mode, cfg.V()), row.disabled ? "disabled" : (row.known ? "yes" : "no"),
                     emitted.empty() ? "-" : fmt::format("{}", fmt::join(emitted, " ")),
                     row.added_id ? fmt::format("{}={}", *row.added_id, show_seq(row.added_seq, text_mode, cfg.V()))
                                  : "-"});
  }
  if (!t.final_flush.empty()) {
    auto e = t.final_flush[0];
    auto exp = t.result.codebook.expansion(e);
    lines.push_back({"end", "", "", "", e >= cfg.V() && !exp.empty() ? fmt::format("{}={}", e, show_seq(exp, text_mode, cfg.V()))
                                                                     : show_id(e, text_mode, cfg.V()),
                     "-"});
  }
  // Column widths in display characters (count UTF-8 code points).
  auto width = [](const std::string& s) {
    std::size_t w = 0;
    for (unsigned char ch : s) w += (ch & 0xC0) != 0x80;
    return w;
  };
  std::size_t w[6] = {0, 0, 0, 0, 0, 0};
  for (const auto& l : lines) {
    const std::string* cols[6] = {&l.pos, &l.buf, &l.read, &l.known, &l.emitted, &l.added};
    for (int i = 0; i < 6; ++i) w[i] = std::max(w[i], width(*cols[i]));
  }
  for (const auto& l : lines) {
    const std::string* cols[6] = {&l.pos, &l.buf, &l.read, &l.known, &l.emitted, &l.added};
    std::string out;
    for (int i = 0; i < 6; ++i) {
      out += *cols[i];
      if (i < 5) out += std::string(w[i] - width(*cols[i]) + 2, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    fmt::print("{}\n", out);
  }
  const auto& codes = t.result.codes;
  std::size_t hyper = 0;
  for (TokenId cde : codes) hyper += cde >= cfg.V() && !cfg.is_disabled(cde);
  fmt::print("\n{} ids -> {} codes ({} hypertokens); codebook {} entries; compression rate {:.3f} (codes / ids)\n",
             ids.size(), codes.size(), hyper, t.result.codebook.size(),
             ids.empty() ? 1.0 : static_cast<double>(codes.size()) / static_cast<double>(ids.size()));
  return 0;
}

}  // namespace

int cmd_lzw(int argc, char** argv) { return run(argc, argv); }

}  // namespace z2z::cli
