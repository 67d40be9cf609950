// `z2z train` — train a base model from scratch or zip2zip-fy a base model (core/train/trainer.h).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/z2z/cli_args.h"
#include "app/z2z/commands.h"
#include "core/train/corpus.h"
#include "core/train/trainer.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"

namespace z2z::cli {

namespace {
const char* kUsage =
    "z2z train --tokenizer FILE --out DIR (--from-scratch CONFIG | --init-from BASE_DIR) [--no-zip] FILES...\n"
    "          [--seq-len N] [--batch-size N] [--grad-accum N] [--max-steps N] [--warmup N] [--lr X] [--min-lr X]\n"
    "          [--weight-decay X] [--clip X] [--seed N] [--max-codebook-size K] [--max-subtokens S]\n"
    "          [--hyper-causal-mask] [--encoder-hidden H] [--encoder-layers L] [--encoder-heads N]\n"
    "          [--lora-rank R] [--lora-alpha A] [--eval-every N] [--eval-windows N] [--save-every N]\n"
    "          [--max-minutes M] [--resume] [--save-dtype bf16|f32] [--val-fraction F] [--cache-dir DIR]";
const char* kDescription =
    "Train on text files (documents separated by a line holding a form feed).\n"
    "  --from-scratch CONFIG  a Llama-shaped decoder (JSON: hidden_size, num_hidden_layers, num_attention_heads,\n"
    "                         num_key_value_heads, intermediate_size, max_position_embeddings, rope_theta,\n"
    "                         tie_word_embeddings); plain CLM with --no-zip, else decoder + hyper-encoders jointly.\n"
    "                         Output: an HF model dir (config.json, model.safetensors, tokenizer.json).\n"
    "  --init-from BASE_DIR   zip2zip-fy a frozen HF base model: train input/output hyper-encoders\n"
    "                         (res_latent_attn) and optional LoRA (--lora-rank). Output: a v1 adapter dir\n"
    "                         (zip2zip_config.json, zip2zip_encoders.safetensors, adapter_config.json,\n"
    "                         adapter_model.safetensors) whose base_model_name_or_path points at BASE_DIR.\n"
    "Data: base ids -> LZW-compressed windows of seq-len+1 codes, a fresh codebook per window, the window's\n"
    "final codebook as the hypertoken table (reference §2.6); cached in --cache-dir. The last --val-fraction of\n"
    "windows is held out for validation loss and byte-perplexity. AdamW (0.9, 0.95), linear warmup + cosine LR,\n"
    "gradient clipping and accumulation, seeded. Checkpoints every --save-every steps and at the end (also when\n"
    "--max-minutes runs out) in the real layouts plus DIR/trainer_state.pt for --resume; DIR/train_log.json has\n"
    "the loss curves.";

std::string fmt_duration(double s) {
  if (s < 0) s = 0;
  const auto total = static_cast<long>(s);
  return total >= 3600 ? fmt::format("{}h{:02}m", total / 3600, (total % 3600) / 60) : fmt::format("{}m{:02}s", total / 60, total % 60);
}
}  // namespace

int cmd_train(int argc, char** argv) {
  Args args("z2z train", kUsage, kDescription,
            {{"tokenizer", "FILE", "tokenizer.json (copied into the output)"},
             {"out", "DIR", "output model directory"},
             {"from-scratch", "CONFIG", "decoder shape JSON: train a new model"},
             {"init-from", "BASE_DIR", "frozen HF base model to zip2zip-fy"},
             {"no-zip", "", "plain causal LM training (no LZW, no hyper-encoders)"},
             {"seq-len", "N", "codes per training window (default 256)"},
             {"batch-size", "N", "windows per micro-batch (default 8)"},
             {"grad-accum", "N", "micro-batches per optimizer step (default 1)"},
             {"max-steps", "N", "optimizer steps (default 1000)"},
             {"warmup", "N", "linear warmup steps (default 100)"},
             {"lr", "X", "peak learning rate (default 1e-3)"},
             {"min-lr", "X", "final learning rate (default 1e-4)"},
             {"weight-decay", "X", "AdamW weight decay on matrices (default 0.1)"},
             {"clip", "X", "gradient norm clip, 0 = off (default 1.0)"},
             {"seed", "N", "random seed (default 0)"},
             {"max-codebook-size", "K", "hypertoken slots (default 512)"},
             {"max-subtokens", "S", "max base tokens per hypertoken (default 4)"},
             {"hyper-causal-mask", "", "hyper slot k is a candidate at position t only once installed (as at inference)"},
             {"encoder-hidden", "H", "hyper-encoder latent size (default: half the model hidden size)"},
             {"encoder-layers", "L", "hyper-encoder layers (default 2)"},
             {"encoder-heads", "N", "hyper-encoder attention heads (default 4)"},
             {"lora-rank", "R", "LoRA rank on the frozen base (init-from only; default 0 = none)"},
             {"lora-alpha", "A", "LoRA alpha (default = rank)"},
             {"eval-every", "N", "validation every N steps (default 100)"},
             {"eval-windows", "N", "validation windows per evaluation (default 64)"},
             {"save-every", "N", "checkpoint every N steps (default 500)"},
             {"max-minutes", "M", "stop (and save) after M minutes"},
             {"resume", "", "continue from DIR/trainer_state.pt"},
             {"save-dtype", "bf16|f32", "weights dtype on disk (default bf16)"},
             {"val-fraction", "F", "held-out fraction of windows (default 0.05)"},
             {"cache-dir", "DIR", "prepared-data cache (default ~/.cache/z2z/train)"},
             {"quiet", "", "no progress bar"}});
  if (!args.parse(argc, argv, 1)) return 0;
  auto tok_path = args.get("tokenizer");
  auto out = args.get("out");
  if (!tok_path || !out) throw UsageError("z2z train: --tokenizer and --out are required");
  if (args.has("from-scratch") == args.has("init-from")) throw UsageError("z2z train: give exactly one of --from-scratch, --init-from");
  if (args.positional().empty()) throw UsageError("z2z train: give at least one text file");

  train::TrainOptions o;
  o.zip = !args.has("no-zip");
  if (args.has("from-scratch")) o.from_scratch = train::parse_decoder_shape(*args.get("from-scratch"));
  if (args.has("init-from")) o.init_from = std::filesystem::absolute(*args.get("init-from"));
  const std::int64_t seq_len = args.get_int("seq-len", 256, 2, 1 << 16);
  o.batch_size = args.get_int("batch-size", 8, 1, 1 << 16);
  o.grad_accum = args.get_int("grad-accum", 1, 1, 1 << 16);
  o.max_steps = args.get_int("max-steps", 1000, 1, 1LL << 40);
  o.warmup = args.get_int("warmup", 100, 0, 1LL << 40);
  o.lr = args.get_double("lr", 1e-3, 0, 10);
  o.min_lr = args.get_double("min-lr", 1e-4, 0, 10);
  o.weight_decay = args.get_double("weight-decay", 0.1, 0, 10);
  o.clip = args.get_double("clip", 1.0, 0, 1e9);
  o.seed = static_cast<std::uint64_t>(args.get_int("seed", 0, 0, 1LL << 62));
  o.K = args.get_int("max-codebook-size", 512, 1, 1 << 20);
  o.S = args.get_int("max-subtokens", 4, 2, 16);
  o.hyper_causal_mask = args.has("hyper-causal-mask");
  o.encoder.hidden_size = args.get_int("encoder-hidden", 0, 0, 1 << 16);
  o.encoder.num_hidden_layers = args.get_int("encoder-layers", 2, 1, 64);
  o.encoder.num_heads = args.get_int("encoder-heads", 4, 1, 256);
  o.lora_rank = args.get_int("lora-rank", 0, 0, 4096);
  o.lora_alpha = args.get_double("lora-alpha", 0, 0, 1e6);
  o.eval_every = args.get_int("eval-every", 100, 1, 1LL << 40);
  o.eval_windows = args.get_int("eval-windows", 64, 1, 1 << 20);
  o.save_every = args.get_int("save-every", 500, 1, 1LL << 40);
  o.max_minutes = args.get_double("max-minutes", 0, 0, 1e7);
  o.resume = args.has("resume");
  o.save_dtype = args.get_or("save-dtype", "bf16");
  if (o.save_dtype != "bf16" && o.save_dtype != "f32") throw UsageError("--save-dtype: expected bf16 or f32");
  o.out = std::filesystem::absolute(*out);
  o.tokenizer_json = std::filesystem::absolute(*tok_path);
  const double val_fraction = args.get_double("val-fraction", 0.05, 0, 0.9);
  const bool quiet = args.has("quiet");
  const bool tty = ::isatty(2);

  // Data: tokenize (cached) and cut into windows (cached).
  tok::Tokenizer tok = tok::Tokenizer::from_file(o.tokenizer_json.string());
  train::SpecialIds sp = train::special_ids(tok);
  o.vocab_size = tok.vocab_size();
  o.pad_id = sp.pad;
  o.bos_id = sp.bos;
  o.eos_ids = {sp.eos};
  o.disabled_ids = sp.disabled;
  std::vector<std::filesystem::path> files(args.positional().begin(), args.positional().end());
  std::string key = fmt::format("v1|{}|{}|{}|{}|", seq_len, o.zip, o.K, o.S);
  {
    std::ifstream tin(o.tokenizer_json, std::ios::binary);
    key += train::digest(std::string((std::istreambuf_iterator<char>(tin)), std::istreambuf_iterator<char>()));
  }
  for (const auto& f : files) {
    std::error_code ec;
    key += fmt::format("|{}:{}:{}", std::filesystem::absolute(f).string(), std::filesystem::file_size(f, ec),
                       std::filesystem::exists(f) ? std::filesystem::last_write_time(f).time_since_epoch().count() : 0);
  }
  const char* home = std::getenv("HOME");
  const std::filesystem::path cache_dir = args.has("cache-dir") ? std::filesystem::path(*args.get("cache-dir"))
                                                                  : std::filesystem::path(home ? home : "/tmp") / ".cache/z2z/train";
  const auto cache_file = cache_dir / (train::digest(key) + ".z2zw");
  std::optional<train::Windows> windows = train::load_windows(cache_file);
  if (windows) {
    if (!quiet) fmt::print(stderr, "data: {} windows from cache {}\n", windows->count, cache_file.string());
  } else {
    auto docs = train::read_documents(files);
    if (!quiet) fmt::print(stderr, "data: tokenizing {} documents...\n", docs.size());
    train::TokenStream stream = train::tokenize_documents(tok, docs, sp.eos);
    train::WindowOptions wo;
    wo.seq_len = seq_len;
    wo.zip = o.zip;
    if (o.zip) {
      std::vector<std::int32_t> disabled = sp.disabled;
      wo.lzw = lzw::LzwConfig{o.vocab_size, o.K, static_cast<std::int32_t>(o.S), sp.pad, disabled};
    }
    windows = train::build_windows(stream.ids, train::token_byte_lengths(tok), wo);
    if (!quiet)
      fmt::print(stderr, "data: {} bytes, {} base tokens ({:.2f} bytes/token) -> {} windows of {} codes ({} base tokens covered)\n",
                 stream.bytes, stream.ids.size(), static_cast<double>(stream.bytes) / static_cast<double>(std::max<std::size_t>(1, stream.ids.size())),
                 windows->count, seq_len + 1, windows->base_tokens);
    train::save_windows(cache_file, *windows);
  }
  const std::int64_t n_val = static_cast<std::int64_t>(static_cast<double>(windows->count) * val_fraction);
  train::Windows tr = windows->slice(0, windows->count - n_val), va = windows->slice(windows->count - n_val, windows->count);

  auto progress = [&](const train::TrainProgress& p) {
    if (quiet) return;
    const int width = 24;
    const int filled = static_cast<int>(width * static_cast<double>(p.step) / static_cast<double>(std::max<std::int64_t>(1, p.max_steps)));
    std::string bar = std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(width - filled), '.');
    std::string val = p.val_loss ? fmt::format(" | val {:.3f} bppl {:.3f}", *p.val_loss, *p.val_byte_ppl) : "";
    std::string line = fmt::format("step {}/{} [{}] loss {:.3f}{} | {:.0f} tok/s | lr {:.2e} | {} elapsed, ETA {}", p.step, p.max_steps,
                                   bar, p.loss, val, p.tokens_per_s, p.lr, fmt_duration(p.elapsed_s), fmt_duration(p.eta_s));
    if (!p.note.empty()) line += " | " + p.note;
    const bool keep = p.val_loss.has_value() || !p.note.empty();
    if (tty)
      fmt::print(stderr, "\r\033[K{}{}", line, keep ? "\n" : "");
    else if (keep || p.step % 50 == 0)
      fmt::print(stderr, "{}\n", line);
  };
  if (!quiet) fmt::print(stderr, "train: {} train windows, {} validation windows, {} steps\n", tr.count, va.count, o.max_steps);
  train::TrainSummary s = train::run_training(o, tr, va, progress);

  nlohmann::ordered_json log{{"steps", s.steps},
                             {"stopped_by", s.stopped_by},
                             {"elapsed_s", s.elapsed_s},
                             {"trainable_params", s.trainable_params},
                             {"final_loss", s.final_loss},
                             {"val_loss", s.val_loss ? nlohmann::ordered_json(*s.val_loss) : nlohmann::ordered_json(nullptr)},
                             {"val_byte_ppl", s.val_byte_ppl ? nlohmann::ordered_json(*s.val_byte_ppl) : nlohmann::ordered_json(nullptr)},
                             {"train_windows", tr.count},
                             {"val_windows", va.count},
                             {"seq_len", seq_len},
                             {"zip", o.zip},
                             {"loss_curve", s.loss_curve},
                             {"val_curve", s.val_curve}};
  write_file_atomic(o.out / "train_log.json", log.dump(1) + "\n");
  if (!quiet)
    fmt::print(stderr, "done: {} steps ({}), {} trainable parameters, final loss {:.4f}{}, {} -> {}\n", s.steps, s.stopped_by,
               s.trainable_params, s.final_loss,
               s.val_loss ? fmt::format(", val loss {:.4f}, val byte-perplexity {:.4f}", *s.val_loss, *s.val_byte_ppl) : "",
               fmt_duration(s.elapsed_s), o.out.string());
  return 0;
}

}  // namespace z2z::cli
