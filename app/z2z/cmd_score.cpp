// `z2z score` — teacher-forced scoring of the canonical LZW encoding of a text or id sequence.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/z2z/cli_args.h"
#include "app/z2z/commands.h"
#include "app/z2z/model_cli.h"
#include "app/z2z/text_codec.h"
#include "core/model/zip2zip_model.h"
#include "core/util/error.h"

namespace z2z::cli {

namespace {
const char* kUsage =
    "z2z score --model DIR (--ids \"1 2 3\" | --text T | --file F) [--tokenizer FILE] [--no-mask] [--json]";
const char* kDescription =
    "Teacher-forced scoring in one causal pass. The input's base ids are LZW-encoded with the model's\n"
    "compression config (canonical encoder) into codes; logprobs[i] = log p(codes[i+1] | codes[0..i])\n"
    "(natural log). A hyper slot counts at position i only once the streaming decoder has created it\n"
    "while consuming codes[0..i]; a canonical target not installed yet (LZW's KwKwK case) has\n"
    "log-prob -inf: printed as null and counted in uninstallable_targets. --no-mask scores like the\n"
    "reference runtime (uninstalled slots have logit 0). Computed in f32.\n"
    "--json prints {\"codes\":[...],\"logprobs\":[...],\"uninstallable_targets\":N[,\"byte_perplexity\":x]};\n"
    "byte_perplexity = exp(-sum(logprobs) / utf8_bytes(text)) is given when the text is known (null if a\n"
    "target is uninstallable). The tokenizer is DIR/tokenizer.json unless --tokenizer is given.";
}  // namespace

int cmd_score(int argc, char** argv) {
  Args args("z2z score", kUsage, kDescription,
            {{"model", "DIR", "model directory (zip2zip adapter/export, or a plain HF base model)"},
             {"ids", "\"1 2 3\"", "base token ids (no tokenizer needed)"},
             {"codes", "\"1 2 300\"", "score this code stream as given (no LZW encoding; e.g. a model's own output)"},
             {"text", "T", "text to score (needs a tokenizer)"},
             {"file", "F", "file whose text to score"},
             {"tokenizer", "FILE", "tokenizer.json (default: the model's)"},
             {"no-mask", "", "uninstalled hyper slots get logit 0 (reference HF behaviour)"},
             {"json", "", "machine-readable output"}});
  if (!args.parse(argc, argv, 1)) return 0;
  if (!args.positional().empty()) throw UsageError("z2z score: unexpected argument '" + args.positional()[0] + "'");
  auto dir = args.get("model");
  if (!dir) throw UsageError("z2z score: --model is required");
  const int sources = args.has("ids") + args.has("text") + args.has("file") + args.has("codes");
  if (sources != 1) throw UsageError("z2z score: give exactly one of --ids, --codes, --text, --file");

  auto model = load_model(*dir);
  std::vector<std::int32_t> ids;
  std::optional<std::string> text;
  if (auto s = args.get("ids")) {
    ids = parse_ids(*s, "--ids");
  } else if (auto c = args.get("codes")) {
    ids = parse_ids(*c, "--codes");
  } else {
    text = args.has("text") ? *args.get("text") : read_text_file(*args.get("file"));
    auto codec = load_text_codec(args.get("tokenizer"), model->summary());
    ids = codec->encode(*text);
  }
  model::ScoreResult r = args.has("codes") ? model::score_codes(*model, ids, !args.has("no-mask"))
                                           : model::score(*model, ids, !args.has("no-mask"));

  double sum = 0;
  std::vector<std::string> lp;
  for (const auto& v : r.logprobs) {
    lp.push_back(v ? fmt::format("{:.9g}", *v) : std::string("null"));
    if (v) sum += *v;
  }
  std::optional<double> bpp;
  if (text && !text->empty() && r.uninstallable_targets == 0) bpp = std::exp(-sum / static_cast<double>(text->size()));
  if (args.has("json")) {
    std::string out = fmt::format("{{\"codes\":[{}],\"logprobs\":[{}],\"uninstallable_targets\":{}",
                                  fmt::join(r.codes, ","), fmt::join(lp, ","), r.uninstallable_targets);
    if (text) out += bpp ? fmt::format(",\"byte_perplexity\":{:.9g}", *bpp) : std::string(",\"byte_perplexity\":null");
    fmt::print("{}}}\n", out);
    return 0;
  }
  fmt::print("base tokens {}  codes {}  compression rate {:.3f}\n", ids.size(), r.codes.size(),
             ids.empty() ? 1.0 : static_cast<double>(r.codes.size()) / static_cast<double>(ids.size()));
  fmt::print("sum log p {:.4f} over {} predicted codes (mean {:.4f})\n", sum, r.logprobs.size(),
             r.logprobs.empty()
                 ? 0.0
                 : sum / static_cast<double>(r.logprobs.size() - static_cast<std::size_t>(r.uninstallable_targets)));
  if (r.uninstallable_targets)
    fmt::print("uninstallable targets (log p = -inf under masking): {}\n", r.uninstallable_targets);
  if (text) fmt::print("byte perplexity {}\n", bpp ? fmt::format("{:.4f}", *bpp) : std::string("inf"));
  return 0;
}

}  // namespace z2z::cli
