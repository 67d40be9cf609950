// The base decoder forward pass with a KV cache (HF Llama-family semantics, f32 or bf16).
#include "core/model/decoder.h"

#include <cmath>

#include "core/util/error.h"

namespace z2z::model {

namespace {
namespace F = torch::nn::functional;

std::string layer_key(std::size_t i, const char* rest) { return fmt::format("model.layers.{}.{}", i, rest); }

}  // namespace

Decoder::Decoder(const DecoderConfig& c, TensorMap& w, const std::string& where) : config_(c) {
  D_ = c.hidden_size;
  H_ = c.num_attention_heads;
  Hkv_ = c.num_key_value_heads;
  hd_ = c.head_dim;
  I_ = c.intermediate_size;
  eps_ = c.rms_norm_eps;
  if (H_ % Hkv_ != 0) fail("{}: num_attention_heads {} is not a multiple of num_key_value_heads {}", where, H_, Hkv_);
  if (c.hidden_act != "silu") fail("{}: hidden_act '{}' is not supported (supported: silu)", where, c.hidden_act);
  const std::int64_t Vm = c.vocab_size;

  embed_ = take(w, "model.embed_tokens.weight", where);
  expect_shape(embed_, {Vm, D_}, where + ": model.embed_tokens.weight");
  if (w.count("lm_head.weight")) {
    lm_head_ = take(w, "lm_head.weight", where);
    expect_shape(lm_head_, {Vm, D_}, where + ": lm_head.weight");
  } else if (c.tie_word_embeddings) {
    lm_head_ = embed_;
  } else {
    fail("{}: missing tensor 'lm_head.weight' (and tie_word_embeddings is false)", where);
  }
  final_norm_ = take(w, "model.norm.weight", where);
  expect_shape(final_norm_, {D_}, where + ": model.norm.weight");

  const std::int64_t q_rows = H_ * hd_, kv_rows = Hkv_ * hd_;
  for (std::size_t i = 0; i < static_cast<std::size_t>(c.num_hidden_layers); ++i) {
    DecoderLayer L;
    auto key = [&](const char* rest) { return layer_key(i, rest); };
    auto get = [&](const char* rest, std::initializer_list<std::int64_t> shape) {
      torch::Tensor t = take(w, key(rest), where);
      expect_shape(t, shape, where + ": " + key(rest));
      return t;
    };
    L.ln_attn = get("input_layernorm.weight", {D_});
    L.ln_mlp = get("post_attention_layernorm.weight", {D_});
    if (c.arch == Arch::Phi3) {
      L.wqkv = get("self_attn.qkv_proj.weight", {q_rows + 2 * kv_rows, D_});
      L.w_gate_up = get("mlp.gate_up_proj.weight", {2 * I_, D_});
    } else {
      auto q = get("self_attn.q_proj.weight", {q_rows, D_});
      auto k = get("self_attn.k_proj.weight", {kv_rows, D_});
      auto v = get("self_attn.v_proj.weight", {kv_rows, D_});
      L.wqkv = torch::cat({q, k, v}, 0);
      if (c.attention_bias || w.count(key("self_attn.q_proj.bias"))) {
        auto qb = get("self_attn.q_proj.bias", {q_rows});
        auto kb = get("self_attn.k_proj.bias", {kv_rows});
        auto vb = get("self_attn.v_proj.bias", {kv_rows});
        L.bqkv = torch::cat({qb, kb, vb}, 0);
      }
      auto gate = get("mlp.gate_proj.weight", {I_, D_});
      auto up = get("mlp.up_proj.weight", {I_, D_});
      L.w_gate_up = torch::cat({gate, up}, 0);
    }
    L.wo = get("self_attn.o_proj.weight", {D_, q_rows});
    L.w_down = get("mlp.down_proj.weight", {D_, I_});
    layers_.push_back(std::move(L));
  }
  // Drop buffers HF sometimes stores (rotary inv_freq); anything else left over is an error.
  for (auto it = w.begin(); it != w.end();) {
    if (it->first.find("rotary_emb.inv_freq") != std::string::npos)
      it = w.erase(it);
    else
      ++it;
  }
  rope_ = Rope(c, hd_);
}

void Decoder::to(torch::ScalarType dtype) {
  auto conv = [&](torch::Tensor& t) {
    if (t.defined()) t = t.to(dtype).contiguous();
  };
  const bool was_tied = tied();
  conv(embed_);
  lm_head_ = was_tied ? embed_ : lm_head_.to(dtype).contiguous();
  conv(final_norm_);
  for (auto& L : layers_) {
    conv(L.ln_attn), conv(L.ln_mlp), conv(L.wqkv), conv(L.bqkv), conv(L.wo), conv(L.w_gate_up), conv(L.w_down);
  }
}

std::int64_t Decoder::parameter_bytes() const {
  std::int64_t n = embed_.nbytes() + final_norm_.nbytes();
  if (lm_head_.data_ptr() != embed_.data_ptr()) n += lm_head_.nbytes();
  for (const auto& L : layers_)
    n += L.ln_attn.nbytes() + L.ln_mlp.nbytes() + L.wqkv.nbytes() + (L.bqkv.defined() ? L.bqkv.nbytes() : 0) +
         L.wo.nbytes() + L.w_gate_up.nbytes() + L.w_down.nbytes();
  return n;
}

torch::Tensor Decoder::rms_norm(const torch::Tensor& x, const torch::Tensor& w) const {
  // HF LlamaRMSNorm: computed in f32, cast back to the input dtype, then scaled.
  auto xf = x.to(torch::kFloat32);
  auto var = xf.pow(2).mean(-1, true);
  return w * (xf * torch::rsqrt(var + eps_)).to(x.scalar_type());
}

torch::Tensor Decoder::attention(const DecoderLayer& L, const torch::Tensor& h, const torch::Tensor& cos,
                                 const torch::Tensor& sin, KvCache* cache, std::size_t li,
                                 const torch::Tensor& mask) const {
  const std::int64_t B = h.size(0), T = h.size(1), G = H_ / Hkv_;
  auto qkv = L.bqkv.defined() ? torch::addmm(L.bqkv, h.reshape({B * T, D_}), L.wqkv.t()) : h.reshape({B * T, D_}).mm(L.wqkv.t());
  qkv = qkv.view({B, T, H_ + 2 * Hkv_, hd_}).transpose(1, 2);  // [B, H+2Hkv, T, hd]
  auto q = Rope::apply(qkv.narrow(1, 0, H_), cos, sin);
  auto k = Rope::apply(qkv.narrow(1, H_, Hkv_), cos, sin);
  auto v = qkv.narrow(1, H_ + Hkv_, Hkv_);

  const std::int64_t past = cache ? cache->length : 0, S = past + T;
  torch::Tensor K, Vv;
  if (cache) {  // append to the cache (preallocated, doubled when full)
    auto& ck = cache->k;
    auto& cv = cache->v;
    if (ck.size() <= li) {
      ck.push_back(torch::empty({B, Hkv_, std::max<std::int64_t>(S, 64), hd_}, h.options()));
      cv.push_back(torch::empty({B, Hkv_, std::max<std::int64_t>(S, 64), hd_}, h.options()));
    } else if (ck[li].size(2) < S) {
      const std::int64_t cap = std::max(S, 2 * ck[li].size(2));
      auto grow = [&](torch::Tensor& t) {
        auto bigger = torch::empty({B, Hkv_, cap, hd_}, h.options());
        bigger.narrow(2, 0, past).copy_(t.narrow(2, 0, past));
        t = bigger;
      };
      grow(ck[li]);
      grow(cv[li]);
    }
    ck[li].narrow(2, past, T).copy_(k);
    cv[li].narrow(2, past, T).copy_(v);
    K = ck[li].narrow(2, 0, S).unsqueeze(2);  // [B, Hkv, 1, S, hd]
    Vv = cv[li].narrow(2, 0, S).unsqueeze(2);
  } else {
    K = k.unsqueeze(2);
    Vv = v.unsqueeze(2);
  }

  auto qg = q.reshape({B, Hkv_, G, T, hd_});
  auto scores = torch::matmul(qg, K.transpose(-1, -2)) * (1.0 / std::sqrt(static_cast<double>(hd_)));  // [B,Hkv,G,T,S]
  if (mask.defined()) scores = scores + mask;
  auto probs = torch::softmax(scores, -1, torch::kFloat32).to(h.scalar_type());
  auto out = torch::matmul(probs, Vv);                      // [B, Hkv, G, T, hd]
  out = out.reshape({B, H_, T, hd_}).transpose(1, 2).reshape({B * T, H_ * hd_});
  return out.mm(L.wo.t()).view({B, T, D_});
}

torch::Tensor Decoder::forward(torch::Tensor x, const torch::Tensor& positions, KvCache* cache,
                               const torch::Tensor& key_valid) const {
  const std::int64_t B = x.size(0), T = x.size(1), past = cache ? cache->length : 0, S = past + T;
  auto [cos, sin] = rope_.tables(positions);
  cos = cos.to(x.scalar_type());
  sin = sin.to(x.scalar_type());

  // Additive mask [B, 1, 1, T, S]: causal, plus key padding. A query may always see itself, so a
  // padded query row never becomes all -inf (its output is ignored anyway).
  torch::Tensor mask;
  if (T > 1 || key_valid.defined()) {
    auto qpos = torch::arange(past, S, torch::kInt64).view({T, 1});
    auto kpos = torch::arange(0, S, torch::kInt64).view({1, S});
    auto allowed = (kpos <= qpos).view({1, T, S}).expand({B, T, S});
    if (key_valid.defined()) allowed = allowed.logical_and(key_valid.view({B, 1, S})).logical_or((kpos == qpos).view({1, T, S}));
    mask = torch::zeros({B, T, S}, torch::kFloat32)
               .masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity())
               .view({B, 1, 1, T, S});
  }
  for (std::size_t li = 0; li < layers_.size(); ++li) {
    const DecoderLayer& L = layers_[li];
    x = x + attention(L, rms_norm(x, L.ln_attn), cos, sin, cache, li, mask);
    auto h = rms_norm(x, L.ln_mlp).reshape({B * T, D_});
    auto gu = h.mm(L.w_gate_up.t());
    auto act = torch::silu(gu.narrow(1, 0, I_)) * gu.narrow(1, I_, I_);
    x = x + act.mm(L.w_down.t()).view({B, T, D_});
  }
  if (cache) cache->length = S;
  return rms_norm(x, final_norm_);
}

}  // namespace z2z::model
