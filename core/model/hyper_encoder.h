// Internal to z2z_engine: the hyper-encoders that turn a codebook entry (its base ids, S slots
// right-padded with pad) into one vector: the input embedding of a hypertoken (source matrix = the
// decoder's embedding E) or its LM-head row (source = W_lm). Reference §2.2.
//   transformer      v0.1 models: post-LN blocks, pad slots enter the mean, masked query rows give 0
//   res_latent_attn  zip2zip++ exports: pre-LN, latent proj_in/out, residual first-token row
//   attention        one masked self-attention, mean over slots
//   average          masked mean of the source rows
#pragma once

#include <torch/torch.h>

#include <array>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/model/format/configs.h"
#include "core/model/torch_util.h"

namespace z2z::model {

class WeightArena;

// Scratch buffers of HyperEncoder::encode_entries (one per sequence, reused).
struct EncoderWorkspace {
  std::vector<float> x, z, hn, q, k, v, a, u, sc, pooled, out;
  std::vector<std::int64_t> row0;
  std::vector<std::span<const std::int32_t>> entries;  // for callers: the batch being built
  std::vector<float*> outs;
};

class HyperEncoder {
 public:
  // Consumes `prefix` + module keys from `weights` (strict: missing or mis-shaped tensors throw).
  // Dm = the decoder hidden size; S = max_subtokens in use (pos_embed rows beyond S are sliced).
  HyperEncoder(const std::string& type, const EncoderConfig& config, std::int64_t Dm, std::int64_t S,
               TensorMap& weights, const std::string& prefix, const std::string& where);

  // rows [N, S] int64 (pad-padded), source [Vm, Dm] -> [N, Dm]
  torch::Tensor forward(const torch::Tensor& rows, const torch::Tensor& source, std::int64_t pad) const;

  // Fast path (res_latent_attn, f32 on the CPU; callers run it without autograd, it writes raw
  // memory): codebook entries given as their base ids (1..S ids each, none equal to pad) ->
  // outs[e][0..Dm). Same math as forward() on the padded rows, but pad slots are never attention
  // keys and never pooled, so only the entries' own slots are computed: all of them stacked into
  // one matrix per weight (AVX2 kernel for <= 4 rows, BLAS sgemm beyond), attention per entry,
  // instead of ~60 libtorch ops over N x S rows.
  bool can_encode_entry(const torch::Tensor& source) const;
  void encode_entries(std::span<const std::span<const std::int32_t>> entries, const torch::Tensor& source,
                      std::int64_t pad, std::span<float* const> outs, EncoderWorkspace& ws) const;

  const std::string& type() const { return type_; }
  // Inference only, once the weights are final: keep a panel-packed copy of every matrix for
  // encode_entries() (cpu::linear_packed: no horizontal sums, see bench_kernels), in bf16
  // when `allow_bf16` and its f32 values are all exactly bf16 (a checkpoint stored in bf16: half
  // the bytes, bit-identical results), else in f32. With `source` (the matrix this encoder will be
  // given, at the same address) and a res_latent_attn latent narrower than the model (H < Dm), also
  // a table of proj_in(source[v]) for every id v, made by the same kernel (bit-identical), so a pass
  // need not read proj_in. Returns the bf16 bytes. Any later mutable access (to(), parameters(),
  // named_parameters()) drops the copies.
  std::int64_t pack(bool allow_bf16, const torch::Tensor& source = {});
  std::int64_t proj_in_table_bytes() const { return table_ ? table_rows_ * H_ * 4 : 0; }
  void to(torch::ScalarType dtype);
  // All learnable tensors with their checkpoint key (without the input_/output_encoder. prefix).
  std::vector<std::pair<std::string, torch::Tensor*>> named_parameters();
  std::vector<torch::Tensor*> parameters();

 private:
  struct Layer {
    torch::Tensor wq, wk, wv, wo, w1, w2;  // attention and MLP (transformer: fc1 = w1, fc2 = w2)
    torch::Tensor ln1_w, ln1_b, ln2_w, ln2_b;
    std::array<torch::Tensor*, 10> fields();  // in the order of the checkpoint key table
  };
  torch::Tensor attend(const Layer& L, const torch::Tensor& x, const torch::Tensor& allowed) const;

  std::string type_;
  EncoderConfig cfg_;
  std::int64_t Dm_, H_, S_, heads_;
  torch::Tensor pos_;  // [S, H] or undefined
  std::vector<Layer> layers_;
  torch::Tensor norm_w_, norm_b_, proj_in_, proj_out_;
  // pack(): matrix data pointer -> its panel-packed copy in arena_ (one of f32 / bf16 is set).
  struct Packed {
    float* f32 = nullptr;
    std::uint16_t* bf16 = nullptr;
  };
  std::shared_ptr<WeightArena> arena_;
  // pack(): proj_in(source[v]) for v < table_rows_, in arena_, valid for source data table_source_.
  static constexpr std::size_t kMaxProjInTableBytes = std::size_t{256} << 20;
  const float* table_ = nullptr;
  const float* table_source_ = nullptr;
  std::int64_t table_rows_ = 0;
  std::unordered_map<const float*, Packed> packed_;
  // Y = X . W^T through the packed copy of W when there is one (and m <= 4 on a vector CPU), else W.
  void linear(const float* X, std::int64_t m, std::int64_t cols, const torch::Tensor& W, std::int64_t rows,
              float* Y) const;
};

}  // namespace z2z::model
