// Trainer — `z2z train`: train a Llama-shaped decoder from scratch (plain CLM or zip2zip), or
// zip2zip-fy a frozen HF base model (train input/output hyper-encoders + optional LoRA), as in the
// paper's recipe (reference §2.4-§2.7). AdamW, warmup + cosine LR, gradient clipping and
// accumulation, seeded; validation loss and byte-perplexity; checkpoints in the real on-disk
// layouts (HF model dir; v1 adapter dir) plus a resume state; a --max-minutes budget.
// Public API: no torch types.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/train/train_data.h"

namespace z2z::train {

struct DecoderShape {  // --from-scratch CONFIG (JSON with these keys)
  std::int64_t hidden_size = 256, num_hidden_layers = 6, num_attention_heads = 8, num_key_value_heads = 8;
  std::int64_t intermediate_size = 704, max_position_embeddings = 2048;
  double rope_theta = 10000.0, rms_norm_eps = 1e-5;
  bool tie_word_embeddings = false;
};
DecoderShape parse_decoder_shape(const std::filesystem::path& json_file);

struct EncoderShape {
  std::string type = "res_latent_attn";
  std::int64_t hidden_size = 0;  // latent H (0: half the model hidden size)
  std::int64_t num_hidden_layers = 2, num_heads = 4, intermediate_size = 0;  // 0: 4H
};

struct TrainOptions {
  // what to train
  std::optional<std::filesystem::path> init_from;     // frozen HF base model dir
  std::optional<DecoderShape> from_scratch;
  bool zip = true;
  std::int64_t K = 512, S = 4;
  std::vector<std::int32_t> disabled_ids;  // special tokens (never merged)
  std::int32_t pad_id = 0;
  bool hyper_causal_mask = true;
  EncoderShape encoder;
  std::int64_t lora_rank = 0;
  double lora_alpha = 0;  // 0: = rank
  // tokenizer facts (for configs)
  std::int64_t vocab_size = 0;
  std::optional<std::int64_t> bos_id;
  std::vector<std::int64_t> eos_ids;
  std::filesystem::path tokenizer_json;  // copied into the output
  // optimisation
  std::int64_t batch_size = 8, grad_accum = 1, max_steps = 1000, warmup = 100;
  double lr = 1e-3, min_lr = 1e-4, weight_decay = 0.1, clip = 1.0, max_minutes = 0;
  std::uint64_t seed = 0;
  std::int64_t eval_every = 100, eval_windows = 64, save_every = 500;
  std::filesystem::path out;
  bool resume = false;
  std::string save_dtype = "bf16";  // bf16 | f32
};

struct TrainProgress {
  std::int64_t step = 0, max_steps = 0;
  double loss = 0, lr = 0, tokens_per_s = 0, elapsed_s = 0, eta_s = 0;
  std::optional<double> val_loss, val_byte_ppl;
  std::string note;  // "checkpoint saved", "resumed at step N", ...
};

struct TrainSummary {
  std::int64_t steps = 0;
  double final_loss = 0, elapsed_s = 0;
  std::optional<double> val_loss, val_byte_ppl;
  std::vector<std::pair<std::int64_t, double>> loss_curve, val_curve;  // (step, loss)
  std::int64_t trainable_params = 0;
  std::string stopped_by;  // "max_steps" | "max_minutes"
  // Gradient norms of the last optimizer step per parameter group (0 when the group is absent).
  double grad_norm_decoder = 0, grad_norm_lora = 0, grad_norm_encoders = 0;
  // Checksums (sum of |w| and sum of w^2 over every frozen decoder tensor) before and after training;
  // equal when the frozen base was left untouched (--init-from). Both 0 when training from scratch.
  std::pair<double, double> frozen_checksum_before{0, 0}, frozen_checksum_after{0, 0};
};

TrainSummary run_training(const TrainOptions& options, const Windows& train, const Windows& val,
                          const std::function<void(const TrainProgress&)>& progress);

// Loss of the current checkpoint in `dir` on windows (for tests: must equal the training loss).
double evaluate_loss(const TrainOptions& options, const Windows& windows);

}  // namespace z2z::train
