// The BPE trainer writes a standard tokenizer.json: our loader and HF tokenizers (npm tokenizers
// 0.23.2, the gold oracle) give identical ids on held-out text, and decode round-trips.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/tokenizer/tokenizer.h"
#include "core/tokenizer/trainers/bpe_trainer.h"
#include "core/train/corpus.h"
#include "core/util/atomic_file.h"
#include "support/run.h"

using namespace z2z;

TEST(BpeTrainer, TrainedTokenizerMatchesHfTokenizers) {
  const auto dir = std::filesystem::temp_directory_path() / ("z2z_bpe_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto train_docs = train::read_documents({std::string(Z2Z_SHARED_DIR) + "/data/corpora/kb64/code.txt"});
  tok::BpeTrainerOptions o;
  o.vocab_size = 1500;
  auto r = tok::train_byte_level_bpe(train_docs, o);
  EXPECT_EQ(r.vocab_size, 1500);
  write_file_atomic(dir / "tokenizer.json", r.tokenizer_json);
  tok::Tokenizer t = tok::Tokenizer::from_file((dir / "tokenizer.json").string());
  EXPECT_EQ(t.vocab_size(), 1500);
  EXPECT_EQ(*t.token_to_id("<|endoftext|>"), 0);

  // Held-out text of every domain (incl. CJK, Arabic, emoji-free math) + edge cases.
  std::vector<std::string> texts;
  for (const char* d : {"web", "math", "multilingual", "chat"}) {
    auto docs = train::read_documents({std::string(Z2Z_SHARED_DIR) + "/data/corpora/kb64/" + d + ".txt"});
    for (std::size_t i = 0; i < docs.size() && i < 4; ++i) texts.push_back(docs[i].substr(0, 3000));
  }
  texts.push_back("  leading spaces\n\n\ttabs\r\nand <|endoftext|> special  ");
  texts.push_back("emoji 😀 and 中文 and ١٢٣");
  for (const auto& s : texts) {
    auto ids = t.encode_ids(s);
    EXPECT_EQ(t.decode(ids), s);  // byte-level BPE is lossless
  }

  const char* hf_dir_env = std::getenv("Z2Z_HF_TOKENIZERS_DIR");
  const char* home = std::getenv("HOME");
  const std::string hf_dir = hf_dir_env ? hf_dir_env : std::string(home ? home : "/root") + "/.cache/z2z/hf-tokenizers";
  if (!std::filesystem::exists(hf_dir + "/node_modules/tokenizers/package.json"))
    GTEST_SKIP() << "HF tokenizers (npm) not installed in " << hf_dir << "; scripts/setup installs it";
  write_file_atomic(dir / "texts.json", nlohmann::json(texts).dump());
  auto res = z2z::test::run("HF_TOKENIZERS_DIR=" + z2z::test::shell_quote(hf_dir + "/node_modules") + " node " +
                            z2z::test::shell_quote(std::string(Z2Z_SOURCE_DIR) + "/tests/train/hf_encode.mjs") + " " +
                            z2z::test::shell_quote((dir / "tokenizer.json").string()) + " " +
                            z2z::test::shell_quote((dir / "texts.json").string()));
  ASSERT_EQ(res.exit_code, 0) << res.err;
  auto hf = nlohmann::json::parse(res.out);
  ASSERT_EQ(hf.size(), texts.size());
  std::size_t total = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto ours = t.encode_ids(texts[i]);
    EXPECT_EQ(ours, hf[i].get<std::vector<std::int32_t>>()) << "text " << i;
    total += ours.size();
  }
  EXPECT_GT(total, 1000u);
  std::filesystem::remove_all(dir);
}
