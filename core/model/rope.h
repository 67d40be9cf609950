// Internal to z2z_engine: rotary position embeddings as HF computes them ("rotate_half" layout),
// with rope_scaling types none/default, linear, llama3 and longrope/su (Phi-3.5).
// Positions are arbitrary int64s (zip2zip base-token-end positions are not consecutive).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "core/model/format/configs.h"

namespace z2z::model {

class Rope {
 public:
  Rope() = default;
  Rope(const DecoderConfig& config, std::int64_t head_dim);

  // cos/sin for positions [B, T] -> each [B, 1, T, head_dim] (ready to broadcast over heads).
  std::pair<torch::Tensor, torch::Tensor> tables(const torch::Tensor& positions) const;
  // Apply to x [B, H, T, head_dim].
  static torch::Tensor apply(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin);
  // cos/sin [head_dim] of a forward over the single position `position` (same values as tables()).
  void cos_sin(std::int64_t position, float* cos, float* sin) const;

  const torch::Tensor& inv_freq_short() const { return inv_freq_; }
  // longrope: positions >= this use the long factors (0: no switch). HF recomputes the whole
  // sequence when a forward crosses it; a KV cache must be rebuilt there.
  std::int64_t long_factor_from() const { return inv_freq_long_.defined() ? original_max_ : 0; }

 private:
  void init(const DecoderConfig& config, std::int64_t head_dim);

  torch::Tensor inv_freq_;       // [head_dim/2] f32 (the only one, or longrope's short factors)
  torch::Tensor inv_freq_long_;  // longrope only
  std::vector<float> inv_short_, inv_long_;  // the same values, for cos_sin()
  std::int64_t original_max_ = 0;
  double attention_factor_ = 1.0;
};

}  // namespace z2z::model
