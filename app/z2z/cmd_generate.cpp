// `z2z generate` — stream a zip2zip model's output: a live terminal view on a TTY (hypertokens marked,
// footer with live numbers, summary at the end), plain text when piped, or --jsonl for the event
// stream. Every event is also appended to a Session (--save-session FILE writes it).
#include <atomic>
#include <csignal>
#include <cstdio>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/z2z/cli_args.h"
#include "app/z2z/commands.h"
#include "app/z2z/event_json.h"
#include "app/z2z/model_cli.h"
#include "app/z2z/term_stream.h"
#include "app/z2z/text_codec.h"
#include "core/generate/generator.h"
#include "core/generate/run_info.h"
#include "core/model/zip2zip_model.h"
#include "core/session/session.h"
#include "core/session/session_file.h"
#include "core/session/stream_items.h"
#include "core/session/summary.h"
#include "core/util/error.h"

namespace z2z::cli {

namespace {
const char* kUsage =
    "z2z generate --model DIR [--tokenizer FILE] (--prompt TEXT | --prompt-file F | --prompt-ids \"...\")\n"
    "             [--max-new-tokens N] [--temperature T] [--top-k K] [--top-p P] [--seed S] [--top-logprobs K]\n"
    "             [--jsonl] [--device cpu|cuda] [--dtype f32|bf16] [--no-compress-prompt] [--unmasked-hyper-slots]\n"
    "             [--max-codebook-size K] [--max-subtokens S] [--stop STR]... [--save-session FILE]\n"
    "             [--color WHEN] [--whitespace] [--tint] [--no-summary]";
const char* kDescription =
    "Generate with a zip2zip model (or a plain base model). The prompt is tokenized, LZW-compressed\n"
    "(unless --no-compress-prompt) and prefilled; each step samples over base tokens + installed\n"
    "hypertokens. Hyper slots not yet installed are masked unless --unmasked-hyper-slots.\n"
    "Stops at an EOS id of the model config, --max-new-tokens, or a --stop string.\n"
    "Output on a terminal: a live view (hypertokens coloured by length 2/3/4+ and underlined with a thin bar\n"
    "at each internal base-token boundary, special tokens dim, a footer with step, codes, base tokens,\n"
    "compression rate, codebook size and codes/s) and a summary block at the end. NO_COLOR or a pipe: the\n"
    "generated text streamed to stdout (ids when no tokenizer is available), a summary line on stderr\n"
    "(--color always / --whitespace force the marked view). --jsonl prints one JSON event per line instead\n"
    "(prompt, step..., finish; docs/events.md). --save-session FILE writes the session log\n"
    "(docs/session-format.md) for `z2z replay` and `z2z export`.\n"
    "Ctrl+C stops generation and keeps what was generated.";

std::atomic<bool> g_cancel{false};
void on_sigint(int) { g_cancel.store(true); }
}  // namespace

int cmd_generate(int argc, char** argv) {
  Args args("z2z generate", kUsage, kDescription,
            {{"model", "DIR", "model directory"},
             {"tokenizer", "FILE", "tokenizer.json (default: the model's)"},
             {"prompt", "TEXT", "prompt text"},
             {"prompt-file", "F", "read the prompt text from a file"},
             {"prompt-ids", "\"1 2 3\"", "prompt as base token ids"},
             {"max-new-tokens", "N", "codes to generate (default 64)"},
             {"temperature", "T", "0 = greedy (default 0)"},
             {"top-k", "K", "sample among the K most probable (default 0 = off)"},
             {"top-p", "P", "nucleus sampling mass (default 1 = off)"},
             {"seed", "S", "random seed (default 0)"},
             {"top-logprobs", "K", "candidates reported per step in --jsonl (default 5)"},
             {"jsonl", "", "one JSON event per line"},
             {"device", "cpu|cuda", "compute device (default cpu)"},
             {"dtype", "f32|bf16", "compute dtype (default f32)"},
             {"no-compress-prompt", "", "feed the prompt as base ids"},
             {"unmasked-hyper-slots", "", "uninstalled hyper slots get logit 0 (reference behaviour)"},
             {"max-codebook-size", "K", "override the model's K"},
             {"max-subtokens", "S", "override the model's S (<= trained S)"},
             {"stop", "STR", "stop when the text contains STR (repeatable)", true},
             {"save-session", "FILE", "write the session log as JSON"},
             {"color", "WHEN", "auto (default: colour on a TTY unless NO_COLOR), always, never, 256, truecolor"},
             {"whitespace", "", "show spaces, tabs and newlines as · → ↵"},
             {"tint", "", "alternate faint tints on base tokens"},
             {"no-summary", "", "no summary block at the end"}});
  if (!args.parse(argc, argv, 1)) return 0;
  if (!args.positional().empty()) throw UsageError("z2z generate: unexpected argument '" + args.positional()[0] + "'");
  auto dir = args.get("model");
  if (!dir) throw UsageError("z2z generate: --model is required");
  const int sources = args.has("prompt") + args.has("prompt-file") + args.has("prompt-ids");
  if (sources != 1) throw UsageError("z2z generate: give exactly one of --prompt, --prompt-file, --prompt-ids");

  gen::GenerationParams p;
  p.max_new_tokens = args.get_int("max-new-tokens", 64, 0, 1 << 24);
  p.sampling.temperature = args.get_double("temperature", 0.0, 0.0, 100.0);
  p.sampling.top_k = args.get_int("top-k", 0, 0, 1 << 30);
  p.sampling.top_p = args.get_double("top-p", 1.0, 1e-9, 1.0);
  p.sampling.seed = static_cast<std::uint64_t>(args.get_int("seed", 0, 0, std::numeric_limits<std::int64_t>::max()));
  p.top_logprobs = static_cast<std::size_t>(args.get_int("top-logprobs", 5, 0, 1000));
  p.compress_prompt = !args.has("no-compress-prompt");
  p.mask_uninstalled = !args.has("unmasked-hyper-slots");
  p.stop_strings = args.get_all("stop");

  model::LoadOptions lo;
  lo.device = args.get_or("device", "cpu");
  lo.dtype = args.get_or("dtype", "f32");
  lo.max_codebook_size = args.get_int("max-codebook-size", 0, 1 << 30);
  lo.max_subtokens = args.get_int("max-subtokens", 1, 64);
  auto model = load_model(*dir, lo);

  std::unique_ptr<TextCodec> codec;
  const bool need_tokenizer = !args.has("prompt-ids");
  if (need_tokenizer || args.has("tokenizer") || model->summary().tokenizer_json)
    codec = load_text_codec(args.get("tokenizer"), model->summary());
  std::string prompt_text;
  std::vector<std::int32_t> prompt_ids;
  if (auto s = args.get("prompt-ids")) {
    prompt_ids = parse_ids(*s, "--prompt-ids");
  } else {
    prompt_text = args.has("prompt") ? *args.get("prompt") : read_text_file(*args.get("prompt-file"));
    prompt_ids = codec->encode(prompt_text);
  }

  gen::Detokenizer detok;
  if (codec) detok = [&](std::span<const std::int32_t> ids) { return codec->decode(ids); };
  gen::Generator generator(model, detok);
  const bool jsonl = args.has("jsonl");
  const term::ViewOptions view = term::view_options(args, stdout);
  const bool marked = !jsonl && (view.color != term::ColorDepth::None || view.whitespace);

  const auto& ms = model->summary();
  const std::string tokenizer_path = !codec                  ? ""
                                     : args.has("tokenizer") ? *args.get("tokenizer")
                                     : ms.tokenizer_json     ? ms.tokenizer_json->string()
                                                             : "";
  const session::RunInfo info = gen::generation_run_info(*model, *dir, p, tokenizer_path, codec != nullptr);
  session::Session::TokenBytes token_bytes;
  if (codec) token_bytes = [&](std::int32_t id) { return codec->token_bytes(id); };
  session::Session log(info, token_bytes);
  term::StreamWriter writer(stdout, view);
  const auto io = term::item_options(view);
  // The log validates every event; should it ever refuse one, generation goes on without it.
  bool logging = true;
  auto logged = [&](auto&& append) {
    if (!logging) return false;
    try {
      append();
      return true;
    } catch (const Error& err) {
      logging = false;
      fmt::print(stderr, "warning: the session log stopped ({}); generation goes on\n", err.what());
      return false;
    }
  };

  gen::GenerationCallbacks cb;
  cb.on_prompt = [&](const gen::PromptEvent& e) {
    const bool ok = logged([&] { log.append_prompt(e); });
    if (jsonl) {
      fmt::print("{}\n", prompt_event_json(e));
    } else if (marked && ok) {
      writer.legend();
      for (std::size_t j = 0; j < e.codes.size(); ++j) writer.item(session::prompt_item(log, j, io));
      writer.footer(session::status_line(log, 0), true);
    } else if (codec) {
      fmt::print("{}", prompt_text.empty() ? codec->decode(e.base_ids) : prompt_text);
    }
    std::fflush(stdout);
  };
  cb.on_step = [&](const gen::StepEvent& e) {
    const bool ok = logged([&] { log.append_step(e); });
    if (jsonl)
      fmt::print("{}\n", step_event_json(e));
    else if (marked && ok) {
      writer.item(session::step_item(log, log.steps() - 1, io));
      writer.footer(session::status_line(log, log.steps()));
    } else if (codec)
      fmt::print("{}", e.text);
    else
      fmt::print("{} ", e.code);
    std::fflush(stdout);
  };
  cb.on_finish = [&](const gen::FinishEvent& e) {
    logged([&] { log.append_finish(e); });
    if (jsonl) {
      fmt::print("{}\n", finish_event_json(e));
      return;
    }
    if (marked) {
      writer.finish(view.summary && logging ? term::summary_block(log, log.steps(), view) : std::string());
      return;
    }
    fmt::print("\n");
    fmt::print(
        stderr,
        "[{}] {} codes for {} base tokens (compression rate {:.3f}), codebook {} entries, {:.1f} ms ({:.1f} codes/s)\n",
        e.reason, e.steps, e.base_tokens,
        e.base_tokens ? static_cast<double>(e.steps) / static_cast<double>(e.base_tokens) : 1.0, e.codebook_size,
        e.total_ms, e.total_ms > 0 ? 1000.0 * static_cast<double>(e.steps) / e.total_ms : 0.0);
  };
  std::signal(SIGINT, on_sigint);
  generator.run(prompt_ids, prompt_text, p, cb, &g_cancel);
  std::signal(SIGINT, SIG_DFL);
  if (auto path = args.get("save-session")) {
    session::save(log, *path);
    fmt::print(stderr, "session saved to {} ({} steps)\n", *path, log.steps());
  }
  return 0;
}

}  // namespace z2z::cli
