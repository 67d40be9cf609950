// Tiny end-to-end training runs (seconds): a base model from scratch, then zip2zip-fied with
// encoders + LoRA on the frozen base. Checks: loss decreases; the checkpoint reloads through the
// inference engine and `score` of a validation window equals the training loss on that window;
// hyper-encoder and LoRA gradients are non-zero; the frozen base stays bit-identical.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <numeric>

#include "core/lzw/codec.h"
#include "core/model/zip2zip_model.h"
#include "core/tokenizer/tokenizer.h"
#include "core/tokenizer/trainers/bpe_trainer.h"
#include "core/train/corpus.h"
#include "core/train/trainer.h"
#include "core/util/atomic_file.h"

using namespace z2z;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

double mean(const std::vector<std::pair<std::int64_t, double>>& c, std::size_t from, std::size_t to) {
  double s = 0;
  for (std::size_t i = from; i < to; ++i) s += c[i].second;
  return s / static_cast<double>(to - from);
}

}  // namespace

TEST(TrainEndToEnd, BaseThenZip2ZipFy) {
  const auto dir = std::filesystem::temp_directory_path() / ("z2z_train_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path corpus = std::string(Z2Z_SHARED_DIR) + "/data/corpora/kb64/code.txt";
  auto docs = train::read_documents({corpus});
  ASSERT_GT(docs.size(), 5u);

  tok::BpeTrainerOptions bo;
  bo.vocab_size = 600;
  auto bpe = tok::train_byte_level_bpe(docs, bo);
  write_file_atomic(dir / "tokenizer.json", bpe.tokenizer_json);
  tok::Tokenizer t = tok::Tokenizer::from_file((dir / "tokenizer.json").string());
  auto sp = train::special_ids(t);
  auto stream = train::tokenize_documents(t, docs, sp.eos);
  auto bytes = train::token_byte_lengths(t);

  train::TrainOptions base;
  base.from_scratch = train::DecoderShape{64, 2, 4, 2, 128, 512, 10000.0, 1e-5, false};
  base.zip = false;
  base.vocab_size = t.vocab_size();
  base.pad_id = sp.pad;
  base.eos_ids = {sp.eos};
  base.disabled_ids = sp.disabled;
  base.tokenizer_json = dir / "tokenizer.json";
  base.batch_size = 8;
  base.max_steps = 60;
  base.warmup = 5;
  base.lr = 3e-3;
  base.eval_every = 1000;
  base.save_every = 1000;
  base.save_dtype = "f32";
  base.out = dir / "base";
  train::WindowOptions wo;
  wo.seq_len = 32;
  wo.zip = false;
  auto w = train::build_windows(stream.ids, bytes, wo);
  train::TrainSummary sb = train::run_training(base, w.slice(0, w.count - 8), w.slice(w.count - 8, w.count), {});
  ASSERT_EQ(sb.loss_curve.size(), 60u);
  EXPECT_LT(mean(sb.loss_curve, 50, 60), mean(sb.loss_curve, 0, 10) - 0.5) << "loss must decrease";
  EXPECT_GT(sb.grad_norm_decoder, 0.0);
  const std::string base_weights = slurp(dir / "base/model.safetensors");

  // zip2zip-fy: encoders + LoRA on the frozen base.
  train::TrainOptions zo = base;
  zo.from_scratch.reset();
  zo.init_from = dir / "base";
  zo.zip = true;
  zo.K = 64;
  zo.S = 4;
  zo.hyper_causal_mask = true;
  zo.lora_rank = 4;
  zo.max_steps = 25;
  zo.out = dir / "zip";
  train::WindowOptions wz;
  wz.seq_len = 32;
  wz.zip = true;
  wz.lzw = lzw::LzwConfig{t.vocab_size(), zo.K, 4, sp.pad, sp.disabled};
  auto z = train::build_windows(stream.ids, bytes, wz);
  ASSERT_GT(z.count, 20);
  train::Windows ztrain = z.slice(0, z.count - 4), zval = z.slice(z.count - 4, z.count);
  train::TrainSummary sz = train::run_training(zo, ztrain, zval, {});
  EXPECT_GT(sz.grad_norm_encoders, 0.0);
  EXPECT_GT(sz.grad_norm_lora, 0.0);
  EXPECT_EQ(sz.grad_norm_decoder, 0.0);
  EXPECT_GT(sz.frozen_checksum_before.first, 0.0);
  EXPECT_EQ(sz.frozen_checksum_before, sz.frozen_checksum_after) << "the frozen base changed";
  EXPECT_EQ(slurp(dir / "base/model.safetensors"), base_weights);
  EXPECT_LT(mean(sz.loss_curve, 20, 25), mean(sz.loss_curve, 0, 5));

  // The exported adapter loads in the inference engine; scoring a validation window equals the
  // training objective on it.
  auto model = model::Zip2ZipModel::load(dir / "zip");
  EXPECT_TRUE(model->summary().zip2zip);
  lzw::DecoderState st(model->compression());
  std::vector<std::int32_t> base_ids;
  for (std::int64_t t2 = 0; t2 <= zval.seq_len; ++t2) st.push(zval.code(0, t2), base_ids);
  model::ScoreResult sr = model::score(*model, base_ids);
  std::vector<std::int32_t> window_codes(zval.codes.begin(), zval.codes.begin() + zval.seq_len + 1);
  ASSERT_EQ(sr.codes, window_codes);
  double nll = 0;
  int n = 0;
  for (const auto& lp : sr.logprobs)
    if (lp) nll -= *lp, ++n;
  const double train_loss = train::evaluate_loss(zo, zval.slice(0, 1));
  EXPECT_NEAR(nll / n, train_loss, 1e-4);
  std::filesystem::remove_all(dir);
}
