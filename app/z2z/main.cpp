// `z2z` — the terminal front end of zip2zip studio. Thin: dispatch to a sub-command, catch errors once.
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "app/z2z/cli_args.h"
#include "app/z2z/commands.h"
#include "core/util/error.h"

namespace {

struct Command {
  const char* name;
  int (*run)(int, char**);
  const char* summary;
};

const Command kCommands[] = {
    {"lzw", z2z::cli::cmd_lzw, "LZW codec: encode | decode | trace ids (the zip2zip compression)"},
    {"generate", z2z::cli::cmd_generate, "generate with a zip2zip model, streaming text or JSON events"},
    {"score", z2z::cli::cmd_score, "teacher-forced log-probs of a text or ids under a model"},
    {"train-tokenizer", z2z::cli::cmd_train_tokenizer, "train a byte-level BPE tokenizer.json on text files"},
    {"train", z2z::cli::cmd_train, "train a model from scratch, or zip2zip-fy a base model (encoders + LoRA)"},
    {"eval", z2z::cli::cmd_eval, "byte-perplexity, bytes/token and compression of greedy generations on held-out text"},
    {"tokenize", z2z::cli::cmd_tokenize, "text -> token ids with a HF tokenizer.json (ids identical to HF tokenizers)"},
    {"detokenize", z2z::cli::cmd_detokenize, "token ids -> text through the tokenizer.json decoder"},
    {"compress", z2z::cli::cmd_compress, "tokenize + zip2zip LZW: compression numbers, or the token-efficiency table"},
    {"inspect", z2z::cli::cmd_inspect, "show any text as zip2zip compresses it: hypertokens marked in the terminal"},
    {"replay", z2z::cli::cmd_replay, "replay a saved session in the terminal, or print its state at step N"},
    {"export", z2z::cli::cmd_export, "export a session: html, svg, png, json, csv (codebook), md (summary)"},
};

void print_help() {
  fmt::print(
      "usage: z2z <command> [options]\n\n"
      "zip2zip studio, terminal edition {}: watch LZW hypertokens form.\n\ncommands:\n",
      Z2Z_VERSION);
  for (const auto& c : kCommands) fmt::print("  {:<12} {}\n", c.name, c.summary);
  fmt::print("\n`z2z <command> --help` describes every option. Exit codes: 0 ok, 1 failure, 2 bad input.\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
    print_help();
    return argc < 2 ? 2 : 0;
  }
  if (!std::strcmp(argv[1], "--version")) {
    fmt::print("z2z {}\n", Z2Z_VERSION);
    return 0;
  }
  for (const auto& c : kCommands) {
    if (std::strcmp(argv[1], c.name) != 0) continue;
    try {
      return c.run(argc - 1, argv + 1);
    } catch (const z2z::cli::UsageError& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      return 2;
    } catch (const z2z::Error& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      return 2;
    } catch (const std::bad_alloc&) {
      fmt::print(stderr, "error: out of memory\n");
      return 1;
    } catch (const std::exception& e) {
      // Library errors (e.g. libtorch's) may carry a multi-line backtrace: keep the first line.
      std::string msg = e.what();
      if (auto nl = msg.find('\n'); nl != std::string::npos) msg.resize(nl);
      fmt::print(stderr, "error: {}\n", msg);
      return 1;
    }
  }
  fmt::print(stderr, "error: unknown command '{}' (see z2z --help)\n", argv[1]);
  return 2;
}
