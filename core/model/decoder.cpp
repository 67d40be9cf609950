// The base decoder forward pass with a KV cache (HF Llama-family semantics, f32 or bf16).
#include "core/model/decoder.h"

#include <cmath>

#include "core/model/cpu_kernels.h"
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

std::vector<torch::Tensor*> Decoder::step_weights() {
  std::vector<torch::Tensor*> out;
  for (auto& L : layers_)
    for (torch::Tensor* t : {&L.ln_attn, &L.wqkv, &L.bqkv, &L.wo, &L.ln_mlp, &L.w_gate_up, &L.w_down}) out.push_back(t);
  out.push_back(&final_norm_);
  if (tied()) out.push_back(&embed_);
  out.push_back(&lm_head_);
  return out;
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

void Decoder::reserve_kv(KvCache& cache, std::size_t li, std::int64_t B, std::int64_t S,
                         const torch::TensorOptions& options) const {
  auto& ck = cache.k;
  auto& cv = cache.v;
  if (ck.size() <= li) {
    ck.push_back(torch::empty({B, Hkv_, std::max<std::int64_t>(S, 64), hd_}, options));
    cv.push_back(torch::empty({B, Hkv_, std::max<std::int64_t>(S, 64), hd_}, options));
  } else if (ck[li].size(2) < S) {
    const std::int64_t cap = std::max(S, 2 * ck[li].size(2)), past = cache.length;
    auto grow = [&](torch::Tensor& t) {
      auto bigger = torch::empty({B, Hkv_, cap, hd_}, options);
      bigger.narrow(2, 0, past).copy_(t.narrow(2, 0, past));
      t = bigger;
    };
    grow(ck[li]);
    grow(cv[li]);
  }
}

bool Decoder::can_decode_one(const KvCache& cache) const {
  if (torch::GradMode::is_enabled()) return false;
  auto ok = [](const torch::Tensor& t) {
    return !t.defined() || (t.device().is_cpu() && t.scalar_type() == torch::kFloat32 && t.is_contiguous());
  };
  if (!ok(embed_) || !ok(lm_head_) || !ok(final_norm_)) return false;
  for (const auto& L : layers_)
    if (!ok(L.ln_attn) || !ok(L.ln_mlp) || !ok(L.wqkv) || !ok(L.bqkv) || !ok(L.wo) || !ok(L.w_gate_up) || !ok(L.w_down))
      return false;
  for (const auto& t : cache.k)
    if (t.size(0) != 1 || !ok(t)) return false;
  return true;
}

const float* Decoder::decode_one(const float* x_in, std::int64_t position, KvCache& cache, DecodeWorkspace& ws) const {
  const std::int64_t G = H_ / Hkv_, past = cache.length, S = past + 1, qkv_rows = (H_ + 2 * Hkv_) * hd_;
  const auto n = [](std::int64_t v) { return static_cast<std::size_t>(v); };
  ws.x.assign(x_in, x_in + D_);
  ws.h.resize(n(D_));
  ws.qkv.resize(n(qkv_rows));
  ws.attn.resize(n(H_ * hd_));
  ws.gu.resize(n(2 * I_));
  ws.act.resize(n(I_));
  ws.cos.resize(n(hd_));
  ws.sin.resize(n(hd_));
  if (ws.scores.size() < n(G * S)) ws.scores.resize(std::max(n(G * S), 2 * ws.scores.size()));
  float *x = ws.x.data(), *h = ws.h.data(), *qkv = ws.qkv.data(), *scores = ws.scores.data();
  rope_.cos_sin(position, ws.cos.data(), ws.sin.data());
  const auto scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(hd_)));
  const auto cache_options = torch::TensorOptions().dtype(torch::kFloat32);

  for (std::size_t li = 0; li < layers_.size(); ++li) {
    const DecoderLayer& L = layers_[li];
    // attention: x += Wo . attn(rope(q), cache + rope(k), cache + v)
    cpu::rms_norm(x, L.ln_attn.data_ptr<float>(), D_, eps_, h);
    if (L.bqkv.defined()) {
      std::copy_n(L.bqkv.data_ptr<float>(), qkv_rows, qkv);
      cpu::gemv(L.wqkv.data_ptr<float>(), qkv_rows, D_, h, qkv, 1.0f);
    } else {
      cpu::gemv(L.wqkv.data_ptr<float>(), qkv_rows, D_, h, qkv);
    }
    for (std::int64_t j = 0; j < H_ + Hkv_; ++j) cpu::rope(qkv + j * hd_, ws.cos.data(), ws.sin.data(), hd_);
    reserve_kv(cache, li, 1, S, cache_options);
    float* kc = cache.k[li].data_ptr<float>();
    float* vc = cache.v[li].data_ptr<float>();
    const std::int64_t cap = cache.k[li].size(2);
    for (std::int64_t g = 0; g < Hkv_; ++g) {
      std::copy_n(qkv + (H_ + g) * hd_, hd_, kc + (g * cap + past) * hd_);
      std::copy_n(qkv + (H_ + Hkv_ + g) * hd_, hd_, vc + (g * cap + past) * hd_);
    }
    for (std::int64_t g = 0; g < Hkv_; ++g)  // query heads g*G .. g*G+G-1 share KV head g
      cpu::attend(qkv + g * G * hd_, G, kc + g * cap * hd_, vc + g * cap * hd_, S, hd_, scale, scores,
                  ws.attn.data() + g * G * hd_);
    cpu::gemv(L.wo.data_ptr<float>(), D_, H_ * hd_, ws.attn.data(), x, 1.0f);
    // MLP: x += W_down . (silu(gate) * up)
    cpu::rms_norm(x, L.ln_mlp.data_ptr<float>(), D_, eps_, h);
    cpu::gemv(L.w_gate_up.data_ptr<float>(), 2 * I_, D_, h, ws.gu.data());
    cpu::silu_mul(ws.gu.data(), ws.gu.data() + I_, I_, ws.act.data());
    cpu::gemv(L.w_down.data_ptr<float>(), D_, I_, ws.act.data(), x, 1.0f);
  }
  cache.length = S;
  cpu::rms_norm(x, final_norm_.data_ptr<float>(), D_, eps_, h);
  return h;
}

torch::Tensor Decoder::attention(const DecoderLayer& L, const torch::Tensor& h, const torch::Tensor& cos,
                                 const torch::Tensor& sin, KvCache* cache, std::size_t li,
                                 const torch::Tensor& mask) const {
  const std::int64_t B = h.size(0), T = h.size(1), G = H_ / Hkv_;
  auto qkv = L.bqkv.defined() ? torch::addmm(L.bqkv, h.reshape({B * T, D_}), L.wqkv.t())
                              : h.reshape({B * T, D_}).mm(L.wqkv.t());
  qkv = qkv.view({B, T, H_ + 2 * Hkv_, hd_}).transpose(1, 2);  // [B, H+2Hkv, T, hd]
  auto q = Rope::apply(qkv.narrow(1, 0, H_), cos, sin);
  auto k = Rope::apply(qkv.narrow(1, H_, Hkv_), cos, sin);
  auto v = qkv.narrow(1, H_ + Hkv_, Hkv_);

  const std::int64_t past = cache ? cache->length : 0, S = past + T;
  torch::Tensor K, Vv;
  if (cache) {  // append to the cache (preallocated, doubled when full)
    auto& ck = cache->k;
    auto& cv = cache->v;
    reserve_kv(*cache, li, B, S, h.options());
    ck[li].narrow(2, past, T).copy_(k);
    cv[li].narrow(2, past, T).copy_(v);
    K = ck[li].narrow(2, 0, S);  // [B, Hkv, S, hd]
    Vv = cv[li].narrow(2, 0, S);
  } else {
    K = k;
    Vv = v;
  }

  // GQA without repeating K/V: the G query heads of a KV head are stacked along the rows.
  auto qg = q.reshape({B, Hkv_, G * T, hd_});
  auto scores = torch::matmul(qg, K.transpose(-1, -2)) * (1.0 / std::sqrt(static_cast<double>(hd_)));  // [B,Hkv,G*T,S]
  if (mask.defined()) scores = (scores.view({B, Hkv_, G, T, S}) + mask).view({B, Hkv_, G * T, S});
  auto probs = torch::softmax(scores, -1, torch::kFloat32).to(h.scalar_type());
  auto out = torch::matmul(probs, Vv);  // [B, Hkv, G*T, hd]
  out = out.view({B, H_, T, hd_}).transpose(1, 2).reshape({B * T, H_ * hd_});
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
    if (key_valid.defined())
      allowed = allowed.logical_and(key_valid.view({B, 1, S})).logical_or((kpos == qpos).view({1, T, S}));
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
