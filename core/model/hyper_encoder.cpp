// Hyper-encoder forward passes, one function per reference encoder type (reference §2.2).
#include "core/model/hyper_encoder.h"

#include <cmath>

#include "core/util/error.h"

namespace z2z::model {

namespace {
namespace F = torch::nn::functional;
constexpr double kLnEps = 1e-5;  // nn.LayerNorm default, as in the reference encoders

torch::Tensor layer_norm(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b) {
  return torch::layer_norm(x, {x.size(-1)}, w, b, kLnEps);
}

// Checkpoint key (after "layers.{i}.") of every per-layer tensor, per encoder type; one table for
// loading and for naming parameters (training export).
enum class Shape { HH, IH, HI, H };
struct LayerField {
  const char* transformer;
  const char* res_latent;
  Shape shape;
};
constexpr LayerField kLayerFields[] = {
    {"attention.q_proj.weight", "wq.weight", Shape::HH},
    {"attention.k_proj.weight", "wk.weight", Shape::HH},
    {"attention.v_proj.weight", "wv.weight", Shape::HH},
    {"attention.o_proj.weight", "wo.weight", Shape::HH},
    {"mlp.fc1.weight", "w1.weight", Shape::IH},
    {"mlp.fc2.weight", "w2.weight", Shape::HI},
    {"post_attention_layernorm.weight", "norm1.weight", Shape::H},
    {"post_attention_layernorm.bias", "norm1.bias", Shape::H},
    {"post_mlp_layernorm.weight", "norm2.weight", Shape::H},
    {"post_mlp_layernorm.bias", "norm2.bias", Shape::H},
};
}  // namespace

std::array<torch::Tensor*, 10> HyperEncoder::Layer::fields() { return {&wq, &wk, &wv, &wo, &w1, &w2, &ln1_w, &ln1_b, &ln2_w, &ln2_b}; }

HyperEncoder::HyperEncoder(const std::string& type, const EncoderConfig& c, std::int64_t Dm, std::int64_t S,
                           TensorMap& w, const std::string& prefix, const std::string& where)
    : type_(type), cfg_(c), Dm_(Dm), S_(S) {
  H_ = c.hidden_size > 0 ? c.hidden_size : Dm;
  heads_ = c.num_heads > 0 ? c.num_heads : 1;
  auto get = [&](const std::string& key, std::initializer_list<std::int64_t> shape) {
    torch::Tensor t = take(w, prefix + key, where);
    expect_shape(t, shape, where + ": " + prefix + key);
    return t;
  };
  auto get_pos = [&](std::int64_t width) {
    torch::Tensor t = take(w, prefix + "pos_embed.weight", where);
    if (t.dim() != 2 || t.size(1) != width || t.size(0) < S)
      fail("{}: {}pos_embed.weight: shape {} but expected [>= {}, {}] (max_subtokens {} in use)", where, prefix,
           shape_str(t), S, width, S);
    return t.narrow(0, 0, S).contiguous();  // a smaller runtime S uses the first S rows
  };

  // intermediate_size null: take it from the first layer's MLP weight when present (released
  // exports are not always consistent, reference §9 item 4), else 4H.
  auto inner_size = [&](const std::string& first_mlp_key) {
    if (c.intermediate_size) return *c.intermediate_size;
    auto it = w.find(prefix + first_mlp_key);
    return it != w.end() && it->second.dim() == 2 ? it->second.size(0) : 4 * H_;
  };
  auto load_layers = [&](std::int64_t I) {
    for (std::int64_t i = 0; i < c.num_hidden_layers; ++i) {
      Layer L;
      auto fields = L.fields();
      for (std::size_t f = 0; f < fields.size(); ++f) {
        const LayerField& lf = kLayerFields[f];
        const std::string key = fmt::format("layers.{}.{}", i, type == "transformer" ? lf.transformer : lf.res_latent);
        switch (lf.shape) {
          case Shape::HH: *fields[f] = get(key, {H_, H_}); break;
          case Shape::IH: *fields[f] = get(key, {I, H_}); break;
          case Shape::HI: *fields[f] = get(key, {H_, I}); break;
          case Shape::H: *fields[f] = get(key, {H_}); break;
        }
      }
      layers_.push_back(std::move(L));
    }
  };
  if (type == "average") return;
  if (type == "transformer") {
    if (H_ != Dm) fail("{}: transformer encoder hidden_size {} must equal the model hidden size {}", where, H_, Dm);
    if (H_ % heads_) fail("{}: encoder hidden_size {} is not divisible by num_heads {}", where, H_, heads_);
    const std::int64_t I = inner_size("layers.0.mlp.fc1.weight");
    if (c.position_encoding == "learnable") pos_ = get_pos(H_);
    load_layers(I);
  } else if (type == "res_latent_attn") {
    const std::int64_t model_dim = c.model_hidden_size.value_or(H_);
    if (model_dim != Dm) fail("{}: encoder model_hidden_size {} must equal the model hidden size {}", where, model_dim, Dm);
    if (H_ % heads_) fail("{}: encoder hidden_size {} is not divisible by num_heads {}", where, H_, heads_);
    const std::int64_t I = inner_size("layers.0.w1.weight");
    if (Dm != H_) {
      proj_in_ = get("proj_in.weight", {H_, Dm});
      proj_out_ = get("proj_out.weight", {Dm, H_});
    }
    pos_ = get_pos(H_);
    load_layers(I);
    norm_w_ = get("norm.weight", {H_});
    norm_b_ = get("norm.bias", {H_});
  } else if (type == "attention") {
    if (H_ != Dm) fail("{}: attention encoder hidden_size {} must equal the model hidden size {}", where, H_, Dm);
    if (H_ % heads_) fail("{}: encoder hidden_size {} is not divisible by num_heads {}", where, H_, heads_);
    pos_ = get_pos(H_);
    Layer L;
    L.wq = get("attention.q_proj.weight", {H_, H_});
    L.wk = get("attention.k_proj.weight", {H_, H_});
    L.wv = get("attention.v_proj.weight", {H_, H_});
    L.wo = get("attention.o_proj.weight", {H_, H_});
    layers_.push_back(std::move(L));
  } else {
    fail("{}: encoder_type '{}' is not supported (supported: transformer, res_latent_attn, attention, average)", where,
         type);
  }
}

void HyperEncoder::to(torch::ScalarType dtype) {
  for (torch::Tensor* t : parameters())
    if (t->defined()) *t = t->to(dtype);
}

std::vector<std::pair<std::string, torch::Tensor*>> HyperEncoder::named_parameters() {
  std::vector<std::pair<std::string, torch::Tensor*>> out;
  auto add = [&](std::string name, torch::Tensor& t) {
    if (t.defined()) out.emplace_back(std::move(name), &t);
  };
  add("pos_embed.weight", pos_);
  if (type_ == "res_latent_attn") {
    add("proj_in.weight", proj_in_);
    add("proj_out.weight", proj_out_);
    add("norm.weight", norm_w_);
    add("norm.bias", norm_b_);
  }
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    Layer& L = layers_[i];
    if (type_ == "attention") {
      add("attention.q_proj.weight", L.wq), add("attention.k_proj.weight", L.wk);
      add("attention.v_proj.weight", L.wv), add("attention.o_proj.weight", L.wo);
      continue;
    }
    auto fields = L.fields();
    for (std::size_t f = 0; f < fields.size(); ++f)
      add(fmt::format("layers.{}.{}", i, type_ == "transformer" ? kLayerFields[f].transformer : kLayerFields[f].res_latent),
          *fields[f]);
  }
  return out;
}

std::vector<torch::Tensor*> HyperEncoder::parameters() {
  std::vector<torch::Tensor*> out;
  for (auto& [name, t] : named_parameters()) out.push_back(t);
  return out;
}

// Multi-head self-attention over the S slots. allowed [N, 1, S(q), S(k)] bool; query rows with no
// allowed key produce 0 (PyTorch >= 2.5 SDPA "safe softmax" behaviour the reference relies on).
torch::Tensor HyperEncoder::attend(const Layer& L, const torch::Tensor& x, const torch::Tensor& allowed) const {
  const std::int64_t N = x.size(0), S = x.size(1), hd = H_ / heads_;
  auto split = [&](const torch::Tensor& t) { return t.view({N, S, heads_, hd}).transpose(1, 2); };  // [N, h, S, hd]
  auto q = split(torch::matmul(x, L.wq.t())), k = split(torch::matmul(x, L.wk.t())), v = split(torch::matmul(x, L.wv.t()));
  auto scores = torch::matmul(q, k.transpose(-1, -2)) / std::sqrt(static_cast<double>(hd));
  scores = scores.masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity());
  auto probs = torch::softmax(scores, -1);
  auto any = allowed.any(-1, true);  // [N, 1, S, 1]
  probs = torch::where(any, probs, torch::zeros({}, probs.options()));
  auto out = torch::matmul(probs, v).transpose(1, 2).reshape({N, S, H_});
  return torch::matmul(out, L.wo.t());
}

torch::Tensor HyperEncoder::forward(const torch::Tensor& rows, const torch::Tensor& source, std::int64_t pad) const {
  const std::int64_t N = rows.size(0), S = rows.size(1);
  if (S != S_) fail("hyper-encoder: rows have {} slots, expected {}", S, S_);
  auto valid = rows.ne(pad);  // [N, S]
  auto x = source.index_select(0, rows.reshape({-1})).view({N, S, Dm_});

  if (type_ == "average") {
    auto m = valid.unsqueeze(-1).to(x.scalar_type());
    return (x * m).sum(1) / m.sum(1).clamp_min(1);
  }
  if (type_ == "transformer") {
    // x[s] = Wsrc[tok[s]] + P[s]; pad slots keep the real embedding row of the pad id.
    if (pos_.defined()) x = x + pos_;
    auto allowed = (valid.unsqueeze(2).logical_and(valid.unsqueeze(1))).unsqueeze(1);  // [N,1,S,S]
    for (const auto& L : layers_) {
      x = layer_norm(x + attend(L, x, allowed), L.ln1_w, L.ln1_b);
      auto mlp = torch::matmul(torch::gelu(torch::matmul(x, L.w1.t())), L.w2.t());
      x = layer_norm(x + mlp, L.ln2_w, L.ln2_b);
    }
    return x.mean(1);  // mean over ALL S slots, pad slots included
  }
  if (type_ == "attention") {
    x = x + pos_;
    auto allowed = (valid.unsqueeze(2).logical_and(valid.unsqueeze(1))).unsqueeze(1);
    return attend(layers_[0], x, allowed).mean(1);
  }
  // res_latent_attn
  auto first = x.select(1, 0);  // raw first-token row, before projection
  if (proj_in_.defined()) x = torch::matmul(x, proj_in_.t());
  x = x + pos_;
  auto allowed = valid.unsqueeze(1).expand({N, S, S});  // keys restricted to valid slots
  if (cfg_.causal) allowed = allowed.logical_and(torch::ones({S, S}, torch::kBool).tril());
  allowed = allowed.unsqueeze(1);
  for (const auto& L : layers_) {
    x = x + attend(L, layer_norm(x, L.ln1_w, L.ln1_b), allowed);
    x = x + torch::matmul(torch::gelu(torch::matmul(layer_norm(x, L.ln2_w, L.ln2_b), L.w1.t())), L.w2.t());
  }
  x = layer_norm(x, norm_w_, norm_b_);
  torch::Tensor pooled;
  if (cfg_.causal) {
    auto last = (valid.to(torch::kInt64).sum(1) - 1).clamp_min(0);  // index of the last valid slot
    pooled = x.gather(1, last.view({N, 1, 1}).expand({N, 1, H_})).squeeze(1);
  } else {
    auto m = valid.unsqueeze(-1).to(x.scalar_type());
    pooled = (x * m).sum(1) / m.sum(1).clamp_min(1);
  }
  if (proj_out_.defined()) pooled = torch::matmul(pooled, proj_out_.t());
  if (cfg_.residual) pooled = first + pooled;
  return pooled;
}

}  // namespace z2z::model
