// `z2z eval` — byte-perplexity, bytes/token and the compression of a model's own greedy generations.
#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/z2z/cli_args.h"
#include "app/z2z/commands.h"
#include "app/z2z/model_cli.h"
#include "app/z2z/text_codec.h"
#include "core/generate/generator.h"
#include "core/lzw/codec.h"
#include "core/model/zip2zip_model.h"
#include "core/train/corpus.h"
#include "core/util/error.h"

namespace z2z::cli {

namespace {
const char* kUsage =
    "z2z eval --model DIR --file F [--tokenizer FILE] [--context N] [--prompts N] [--prompt-tokens N]\n"
    "         [--max-new-tokens N] [--json]";
const char* kDescription =
    "Evaluate a model on held-out text (documents separated by a line holding a form feed):\n"
    "  byte-perplexity  each document is cut into chunks of --context base tokens (default 256); each chunk\n"
    "                   is scored like `z2z score` (canonical LZW codes, one causal pass) and\n"
    "                   exp(-sum log p / bytes predicted). Masked (uninstalled hyper slots excluded; targets\n"
    "                   not installable yet are left out with their bytes, and counted) and unmasked\n"
    "                   (reference runtime: uninstalled slots have logit 0; every target counts).\n"
    "  bytes/token      UTF-8 bytes per base token, and per code after LZW (the model's S and K).\n"
    "  generations      greedy continuations (--max-new-tokens, default 128) of the first --prompt-tokens\n"
    "                   (default 32) base tokens of --prompts documents (default 12): compression rate =\n"
    "                   decode steps / base tokens they expand to, hypertoken ratio, longest run of one\n"
    "                   repeated code and distinct-line ratio (loop detectors).";

struct Ppl {
  double nll = 0, bytes = 0;
  std::int64_t targets = 0, skipped = 0;
  double value() const { return bytes > 0 ? std::exp(nll / bytes) : 0.0; }
};
}  // namespace

int cmd_eval(int argc, char** argv) {
  Args args("z2z eval", kUsage, kDescription,
            {{"model", "DIR", "model directory"},
             {"file", "F", "held-out text"},
             {"tokenizer", "FILE", "tokenizer.json (default: the model's)"},
             {"context", "N", "base tokens per scored chunk (default 256)"},
             {"prompts", "N", "documents to prompt from (default 12)"},
             {"prompt-tokens", "N", "base tokens per prompt (default 32)"},
             {"max-new-tokens", "N", "codes generated per prompt (default 128)"},
             {"json", "", "machine-readable output"}});
  if (!args.parse(argc, argv, 1)) return 0;
  auto dir = args.get("model");
  auto file = args.get("file");
  if (!dir || !file) throw UsageError("z2z eval: --model and --file are required");
  const std::int64_t ctx = args.get_int("context", 256, 8, 1 << 16);
  const std::int64_t n_prompts = args.get_int("prompts", 12, 0, 1 << 16);
  const std::int64_t prompt_tokens = args.get_int("prompt-tokens", 32, 1, 1 << 16);
  const std::int64_t max_new = args.get_int("max-new-tokens", 128, 1, 1 << 20);

  auto model = load_model(*dir);
  auto codec = load_text_codec(args.get("tokenizer"), model->summary());
  auto docs = train::read_documents({*file});
  if (docs.empty()) fail("{}: no documents", *file);

  auto byte_len = [&](std::span<const std::int32_t> ids) { return static_cast<double>(codec->decode(ids).size()); };
  Ppl masked, unmasked;
  double text_bytes = 0;
  std::int64_t base_tokens = 0, codes_total = 0;
  for (const auto& d : docs) {
    auto ids = codec->encode(d);
    text_bytes += static_cast<double>(d.size());
    base_tokens += static_cast<std::int64_t>(ids.size());
    codes_total += static_cast<std::int64_t>(lzw::encode(model->compression(), ids).codes.size());
    for (std::size_t start = 0; start + 1 < ids.size(); start += static_cast<std::size_t>(ctx)) {
      std::span<const std::int32_t> chunk(ids.data() + start,
                                          std::min<std::size_t>(static_cast<std::size_t>(ctx), ids.size() - start));
      for (int mode = 0; mode < 2; ++mode) {
        model::ScoreResult r = model::score(*model, chunk, mode == 0);
        Ppl& p = mode == 0 ? masked : unmasked;
        // Bytes of each predicted code = bytes of its expansion.
        lzw::DecoderState st(model->compression());
        std::vector<std::int32_t> exp;
        for (std::size_t i = 0; i < r.codes.size(); ++i) {
          exp.clear();
          st.push(r.codes[i], exp);
          if (i == 0) continue;
          const auto& lp = r.logprobs[i - 1];
          if (!lp) {
            ++p.skipped;
            continue;
          }
          p.nll -= *lp;
          p.bytes += byte_len(exp);
          ++p.targets;
        }
      }
    }
  }

  // Greedy generations from document prefixes.
  std::int64_t gen_codes = 0, gen_base = 0, gen_hyper = 0, longest_run = 0;
  std::size_t lines = 0, distinct = 0;
  std::vector<std::string> samples;
  gen::Detokenizer detok = [&](std::span<const std::int32_t> ids) { return codec->decode(ids); };
  gen::Generator g(model, detok);
  for (std::int64_t i = 0; i < std::min<std::int64_t>(n_prompts, static_cast<std::int64_t>(docs.size())); ++i) {
    auto ids = codec->encode(docs[static_cast<std::size_t>(i)]);
    if (ids.size() < 2) continue;
    ids.resize(std::min<std::size_t>(ids.size(), static_cast<std::size_t>(prompt_tokens)));
    gen::GenerationParams p;
    p.max_new_tokens = max_new;
    p.top_logprobs = 0;
    std::string text;
    std::int32_t prev = -1;
    std::int64_t run = 0;
    gen::GenerationCallbacks cb;
    cb.on_step = [&](const gen::StepEvent& e) {
      if (e.eos) return;
      ++gen_codes;
      gen_base += static_cast<std::int64_t>(e.base_ids.size());
      gen_hyper += e.is_hyper;
      run = e.code == prev ? run + 1 : 1;
      prev = e.code;
      longest_run = std::max(longest_run, run);
      text += e.text;
    };
    g.run(ids, "", p, cb);
    std::set<std::string> seen;
    std::size_t start = 0, n_lines = 0;
    while (start < text.size()) {
      std::size_t nl = text.find('\n', start);
      std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      if (line.find_first_not_of(" \t") != std::string::npos) {
        ++n_lines;
        seen.insert(line);
      }
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    lines += n_lines;
    distinct += seen.size();
    if (samples.size() < 3) samples.push_back(codec->decode(ids) + "⟦" + text + "⟧");
  }

  const double rate = gen_base ? static_cast<double>(gen_codes) / static_cast<double>(gen_base) : 1.0;
  nlohmann::ordered_json j{
      {"model", *dir},
      {"file", *file},
      {"documents", docs.size()},
      {"byte_perplexity", masked.value()},
      {"uninstallable_targets", masked.skipped},
      {"scored_targets", masked.targets},
      {"byte_perplexity_unmasked", unmasked.value()},
      {"bytes_per_token_base", text_bytes / static_cast<double>(std::max<std::int64_t>(1, base_tokens))},
      {"bytes_per_code_lzw", text_bytes / static_cast<double>(std::max<std::int64_t>(1, codes_total))},
      {"generation_compression_rate", rate},
      {"generation_codes", gen_codes},
      {"generation_base_tokens", gen_base},
      {"generation_hypertoken_ratio",
       gen_codes ? static_cast<double>(gen_hyper) / static_cast<double>(gen_codes) : 0.0},
      {"generation_longest_repeat", longest_run},
      {"generation_distinct_line_ratio", lines ? static_cast<double>(distinct) / static_cast<double>(lines) : 1.0},
      {"samples", samples}};
  if (args.has("json")) {
    fmt::print("{}\n", j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    return 0;
  }
  fmt::print("model {}  on {} ({} documents)\n", *dir, *file, docs.size());
  fmt::print("  byte-perplexity          {:.4f} (masked; {} of {} targets not installable yet, left out)\n",
             masked.value(), masked.skipped, masked.skipped + masked.targets);
  fmt::print("  byte-perplexity unmasked {:.4f}\n", unmasked.value());
  fmt::print("  bytes/token base {:.3f}, bytes/code with LZW {:.3f}\n", j["bytes_per_token_base"].get<double>(),
             j["bytes_per_code_lzw"].get<double>());
  fmt::print(
      "  greedy generations: {} codes for {} base tokens -> compression rate {:.3f} ({:.1f}% fewer decode steps)\n",
      gen_codes, gen_base, rate, 100.0 * (1.0 - rate));
  fmt::print("  hypertoken ratio {:.3f}, longest repeat of one code {}, distinct-line ratio {:.3f}\n",
             j["generation_hypertoken_ratio"].get<double>(), longest_run,
             j["generation_distinct_line_ratio"].get<double>());
  for (const auto& s : samples) fmt::print("---\n{}\n", s);
  return 0;
}

}  // namespace z2z::cli
