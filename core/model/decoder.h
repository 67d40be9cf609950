// Internal to z2z_engine: the base decoder (Llama / Mistral / Qwen2 / Phi3 family) with a KV cache.
// Weights are kept fused for fewer ops on the decode path: one QKV matrix and one gate+up matrix
// per layer. Shapes use B (batch), T (new positions), S (cached + new), D (hidden), H / Hkv (query /
// key-value heads), hd (head dim), I (MLP inner size), Vm (model vocab).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "core/model/format/configs.h"
#include "core/model/rope.h"
#include "core/model/torch_util.h"

namespace z2z::model {

struct DecoderLayer {
  torch::Tensor ln_attn, ln_mlp;  // [D]
  torch::Tensor wqkv;             // [(H + 2 Hkv) hd, D]
  torch::Tensor bqkv;             // [(H + 2 Hkv) hd] or undefined
  torch::Tensor wo;               // [D, H hd]
  torch::Tensor w_gate_up;        // [2 I, D]
  torch::Tensor w_down;           // [D, I]
};

// Per-layer key/value cache [B, Hkv, capacity, hd], grown by doubling.
struct KvCache {
  std::vector<torch::Tensor> k, v;
  std::int64_t length = 0;
  void clear() {
    k.clear();
    v.clear();
    length = 0;
  }
};

// Scratch buffers of the single-token decode path (one per sequence, sized on first use, reused).
struct DecodeWorkspace {
  std::vector<float> x, h, qkv, attn, scores, gu, act, cos, sin;
};

class Decoder {
 public:
  // Build from HF-named f32 weights (LoRA already merged). Consumes the decoder's keys from
  // `weights`; `where` names the source for errors.
  Decoder(const DecoderConfig& config, TensorMap& weights, const std::string& where);

  const DecoderConfig& config() const { return config_; }
  std::int64_t hidden() const { return D_; }
  const torch::Tensor& embed() const { return embed_; }      // [Vm, D]
  const torch::Tensor& lm_head() const { return lm_head_; }  // [Vm, D]
  const Rope& rope() const { return rope_; }

  // x [B, T, D] input embeddings, positions [B, T] int64, key_valid [B, past + T] bool
  // (undefined: all valid). With a cache: attends to the cached positions and appends to it;
  // without (training): plain causal attention over x, differentiable.
  // Returns the final-norm hidden states [B, T, D].
  torch::Tensor forward(torch::Tensor x, const torch::Tensor& positions, KvCache* cache,
                        const torch::Tensor& key_valid = {}) const;

  // Single-token fast path (batch 1, f32 on the CPU, no autograd): x [D] is the input embedding of
  // the next position `position`; attends to and appends to `cache` (which may have been filled by
  // forward()). Returns the final-norm hidden state [D] (points into ws). Same math as forward()
  // with T = 1 but no libtorch op dispatch and no allocation once the buffers exist: BLAS gemv for
  // every matrix product, loops for the rest. Only when can_decode_one(cache).
  bool can_decode_one(const KvCache& cache) const;
  const float* decode_one(const float* x, std::int64_t position, KvCache& cache, DecodeWorkspace& ws) const;

  // Mutable access for training (requires_grad, LoRA deltas, export).
  std::vector<DecoderLayer>& layers() { return layers_; }
  const std::vector<DecoderLayer>& layers() const { return layers_; }
  torch::Tensor& embed_mut() { return embed_; }
  torch::Tensor& lm_head_mut() { return lm_head_; }
  torch::Tensor& final_norm_mut() { return final_norm_; }
  bool tied() const { return lm_head_.is_same(embed_) || lm_head_.data_ptr() == embed_.data_ptr(); }

  // The tensors every decode step reads: the layers, the final norm and the LM head (with the
  // embedding when tied, so both names keep one storage). For WeightArena placement.
  std::vector<torch::Tensor*> step_weights();

  // Convert weights to another dtype (f32 or bf16) for compute.
  void to(torch::ScalarType dtype);
  torch::ScalarType dtype() const { return embed_.scalar_type(); }
  std::int64_t parameter_bytes() const;

 private:
  torch::Tensor rms_norm(const torch::Tensor& x, const torch::Tensor& w) const;
  // Make cache layer li hold at least S positions (allocates [B, Hkv, >= 64, hd], doubles when full).
  void reserve_kv(KvCache& cache, std::size_t li, std::int64_t B, std::int64_t S,
                  const torch::TensorOptions& options) const;
  torch::Tensor attention(const DecoderLayer& layer, const torch::Tensor& h, const torch::Tensor& cos,
                          const torch::Tensor& sin, KvCache* cache, std::size_t li, const torch::Tensor& mask) const;

  DecoderConfig config_;
  std::int64_t D_, H_, Hkv_, hd_, I_;
  double eps_;
  torch::Tensor embed_, lm_head_, final_norm_;
  std::vector<DecoderLayer> layers_;
  Rope rope_;
};

}  // namespace z2z::model
