// `z2z train-tokenizer` — train a byte-level BPE tokenizer and write a HF tokenizer.json.
#include <cstdio>

#include <fmt/format.h>

#include "app/z2z/cli_args.h"
#include "app/z2z/commands.h"
#include "app/z2z/text_codec.h"
#include "core/tokenizer/trainers/bpe_trainer.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"

namespace z2z::cli {

int cmd_train_tokenizer(int argc, char** argv) {
  Args args("z2z train-tokenizer", "z2z train-tokenizer --vocab-size N --out tokenizer.json [--min-frequency F] [--special TOK]... FILES...",
            "Train a byte-level BPE tokenizer (GPT-2 regex pre-tokenization, 256-byte alphabet) on text files and\n"
            "write a standard HF tokenizer.json (HF tokenizers reads it with identical ids). Special tokens get\n"
            "ids 0.. (default <|endoftext|>, <|pad|>). Files are read whole; a line holding only a form feed\n"
            "separates documents.",
            {{"vocab-size", "N", "total vocabulary size incl. 256 bytes and special tokens (default 4096)"},
             {"out", "FILE", "where to write tokenizer.json (atomically)"},
             {"min-frequency", "F", "minimum pair count to merge (default 2)"},
             {"special", "TOK", "special token (repeatable; replaces the defaults)", true},
             {"quiet", "", "no progress output"}});
  if (!args.parse(argc, argv, 1)) return 0;
  auto out = args.get("out");
  if (!out) throw UsageError("z2z train-tokenizer: --out is required");
  if (args.positional().empty()) throw UsageError("z2z train-tokenizer: give at least one text file");
  tok::BpeTrainerOptions opt;
  opt.vocab_size = args.get_int("vocab-size", 4096, 257, 1 << 22);
  opt.min_frequency = args.get_int("min-frequency", 2, 1, 1 << 30);
  if (args.has("special")) opt.special_tokens = args.get_all("special");
  std::vector<std::string> docs;
  std::size_t bytes = 0;
  for (const auto& f : args.positional()) {
    std::string text = read_text_file(f);
    bytes += text.size();
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t ff = text.find("\n\f\n", start);
      std::size_t end = ff == std::string::npos ? text.size() : ff + 1;
      if (end > start) docs.push_back(text.substr(start, end - start));
      if (ff == std::string::npos) break;
      start = ff + 3;
    }
  }
  const bool quiet = args.has("quiet");
  if (!quiet)
    opt.progress = [](std::int64_t done, std::int64_t total) {
      fmt::print(stderr, "\rmerges {}/{} ({:.0f}%)", done, total, 100.0 * static_cast<double>(done) / static_cast<double>(std::max<std::int64_t>(total, 1)));
    };
  tok::BpeTrainResult r = tok::train_byte_level_bpe(docs, opt);
  write_file_atomic(*out, r.tokenizer_json);
  if (!quiet)
    fmt::print(stderr, "\rtrained on {} documents ({} bytes, {} distinct pre-tokens): vocab {} ({} merges) -> {}\n", docs.size(),
               bytes, r.words, r.vocab_size, r.merges, *out);
  return 0;
}

}  // namespace z2z::cli
