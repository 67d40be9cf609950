// Hyper-encoder forward passes, one function per reference encoder type (reference §2.2).
#include "core/model/hyper_encoder.h"

#include <bit>
#include <cmath>

#include "core/model/cpu_kernels.h"
#include "core/model/weight_arena.h"
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

std::array<torch::Tensor*, 10> HyperEncoder::Layer::fields() {
  return {&wq, &wk, &wv, &wo, &w1, &w2, &ln1_w, &ln1_b, &ln2_w, &ln2_b};
}

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
          case Shape::HH:
            *fields[f] = get(key, {H_, H_});
            break;
          case Shape::IH:
            *fields[f] = get(key, {I, H_});
            break;
          case Shape::HI:
            *fields[f] = get(key, {H_, I});
            break;
          case Shape::H:
            *fields[f] = get(key, {H_});
            break;
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
    if (model_dim != Dm)
      fail("{}: encoder model_hidden_size {} must equal the model hidden size {}", where, model_dim, Dm);
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

std::int64_t HyperEncoder::pack(bool allow_bf16, const torch::Tensor& source) {
  packed_.clear();
  arena_.reset();
  table_ = nullptr;
  table_source_ = nullptr;
  // Everything a pass reads, in the order encode_entries reads it, into one arena: a single stream
  // through 2 MiB pages that the packed kernel's prefetch runs along (it prefetches past the end of
  // each matrix into the next items). Matrices as packed copies; the small vectors (positions, norm
  // weights) moved there.
  auto usable = [](const torch::Tensor& t) {
    return t.defined() && t.device().is_cpu() && t.scalar_type() == torch::kFloat32 && t.is_contiguous();
  };
  struct Item {
    torch::Tensor* t;
    bool matrix;
  };
  // proj_in over the whole source matrix, when that is smaller than the source itself (H < Dm).
  const bool table =
      type_ == "res_latent_attn" && usable(proj_in_) && proj_in_.dim() == 2 && usable(source) && source.dim() == 2 &&
      source.size(1) == Dm_ && H_ < Dm_ &&
      static_cast<std::size_t>(source.size(0)) * static_cast<std::size_t>(H_) * sizeof(float) <= kMaxProjInTableBytes;
  const std::size_t table_bytes = table ? static_cast<std::size_t>(source.size(0) * H_) * sizeof(float) : 0;
  std::vector<Item> items;
  if (!table) items.push_back({&proj_in_, true});
  items.push_back({&pos_, false});
  for (Layer& L : layers_) {
    for (torch::Tensor* t : {&L.ln1_w, &L.ln1_b}) items.push_back({t, false});
    for (torch::Tensor* t : {&L.wq, &L.wk, &L.wv, &L.wo}) items.push_back({t, true});
    for (torch::Tensor* t : {&L.ln2_w, &L.ln2_b}) items.push_back({t, false});
    for (torch::Tensor* t : {&L.w1, &L.w2}) items.push_back({t, true});
  }
  for (torch::Tensor* t : {&norm_w_, &norm_b_}) items.push_back({t, false});
  items.push_back({&proj_out_, true});
  if (table) items.push_back({&proj_in_, true});  // read only to make the table, so out of the stream
  std::erase_if(items, [&](const Item& it) { return !usable(*it.t) || (it.matrix && it.t->dim() != 2); });
  // Matrices in bf16 when allowed and every f32 value is exactly bf16 (the low 16 bits are zero).
  std::vector<bool> as_bf16;
  std::size_t bytes = 0;
  for (const Item& it : items) {
    const torch::Tensor& t = *it.t;
    bool exact = allow_bf16 && it.matrix;
    const float* w = t.data_ptr<float>();
    for (std::int64_t i = 0; i < t.numel() && exact; ++i) exact = (std::bit_cast<std::uint32_t>(w[i]) & 0xFFFFu) == 0;
    as_bf16.push_back(exact);
    const auto size = static_cast<std::size_t>(it.matrix ? cpu::packed_size(t.size(0), t.size(1)) : t.numel());
    bytes += WeightArena::footprint(size * (exact ? sizeof(std::uint16_t) : sizeof(float)));
  }
  if (items.empty()) return 0;
  arena_ = std::make_shared<WeightArena>(bytes + WeightArena::footprint(table_bytes));
  std::int64_t bf16_bytes = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    torch::Tensor& t = *items[i].t;
    const float* w = t.data_ptr<float>();
    if (!items[i].matrix) {
      auto* p = static_cast<float*>(arena_->take(t.nbytes()));
      std::copy_n(w, t.numel(), p);
      t = torch::from_blob(
          p, t.sizes(), [keep = arena_](void*) {}, t.options());
      continue;
    }
    const std::int64_t rows = t.size(0), cols = t.size(1);
    const auto size = static_cast<std::size_t>(cpu::packed_size(rows, cols));
    Packed p;
    if (as_bf16[i]) {
      p.bf16 = static_cast<std::uint16_t*>(arena_->take(size * sizeof(std::uint16_t)));
      cpu::pack_panels(w, rows, cols, p.bf16);
      bf16_bytes += static_cast<std::int64_t>(size * sizeof(std::uint16_t));
    } else {
      p.f32 = static_cast<float*>(arena_->take(size * sizeof(float)));
      cpu::pack_panels(w, rows, cols, p.f32);
    }
    packed_.emplace(w, p);
  }
  if (table) {
    // Through linear() in blocks of <= 4 rows, as encode_entries would project a slot: the same
    // kernel, and its rows do not depend on each other, so every row is bit-identical.
    float* t = static_cast<float*>(arena_->take(table_bytes));
    const float* src = source.data_ptr<float>();
    const std::int64_t V = source.size(0);
    for (std::int64_t v = 0; v < V; v += 4)
      linear(src + v * Dm_, std::min<std::int64_t>(4, V - v), Dm_, proj_in_, H_, t + v * H_);
    table_ = t;
    table_source_ = src;
    table_rows_ = V;
  }
  return bf16_bytes;
}

void HyperEncoder::linear(const float* X, std::int64_t m, std::int64_t cols, const torch::Tensor& W, std::int64_t rows,
                          float* Y) const {
  const float* w = W.data_ptr<float>();
  if (auto it = packed_.find(w); it != packed_.end()) {
    const Packed& p = it->second;
    if (p.bf16 ? cpu::linear_packed(X, m, cols, p.bf16, rows, Y) : cpu::linear_packed(X, m, cols, p.f32, rows, Y))
      return;
  }
  cpu::linear(X, m, cols, w, rows, Y);
}

void HyperEncoder::to(torch::ScalarType dtype) {
  for (torch::Tensor* t : parameters())
    if (t->defined()) *t = t->to(dtype);
}

std::vector<std::pair<std::string, torch::Tensor*>> HyperEncoder::named_parameters() {
  packed_.clear();  // the caller may change the weights
  arena_.reset();
  table_ = nullptr;
  table_source_ = nullptr;
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
      add(fmt::format("layers.{}.{}", i,
                      type_ == "transformer" ? kLayerFields[f].transformer : kLayerFields[f].res_latent),
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
  auto q = split(torch::matmul(x, L.wq.t())), k = split(torch::matmul(x, L.wk.t())),
       v = split(torch::matmul(x, L.wv.t()));
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

namespace z2z::model {

bool HyperEncoder::can_encode_entry(const torch::Tensor& source) const {
  if (type_ != "res_latent_attn") return false;
  auto ok = [](const torch::Tensor& t) {
    return !t.defined() || (t.device().is_cpu() && t.scalar_type() == torch::kFloat32 && t.is_contiguous());
  };
  if (!ok(source) || !ok(pos_) || !ok(norm_w_) || !ok(norm_b_) || !ok(proj_in_) || !ok(proj_out_)) return false;
  for (const auto& L : layers_)
    for (const auto* t : {&L.wq, &L.wk, &L.wv, &L.wo, &L.w1, &L.w2, &L.ln1_w, &L.ln1_b, &L.ln2_w, &L.ln2_b})
      if (!ok(*t)) return false;
  return true;
}

void HyperEncoder::encode_entries(std::span<const std::span<const std::int32_t>> entries, const torch::Tensor& source,
                                  std::int64_t pad, std::span<float* const> outs, EncoderWorkspace& ws) const {
  const auto N = static_cast<std::int64_t>(entries.size());
  if (N == 0) return;
  const auto n = [](std::int64_t v) { return static_cast<std::size_t>(v); };
  // Rows of all entries stacked: entry e owns rows [row0[e], row0[e] + len(e)).
  ws.row0.resize(n(N + 1));
  ws.row0[0] = 0;
  for (std::int64_t e = 0; e < N; ++e) {
    const auto L = static_cast<std::int64_t>(entries[n(e)].size());
    if (L < 1 || L > S_) fail("hyper-encoder: an entry of {} ids (1..{} expected)", L, S_);
    for (std::int32_t id : entries[n(e)])
      if (id == pad || id < 0 || id >= source.size(0)) fail("hyper-encoder: entry id {} is pad or out of range", id);
    ws.row0[n(e + 1)] = ws.row0[n(e)] + L;
  }
  const std::int64_t R = ws.row0[n(N)], H = H_, hd = H_ / heads_, I = layers_.empty() ? 0 : layers_[0].w1.size(0);
  for (auto* v : {&ws.z, &ws.hn, &ws.q, &ws.k, &ws.v, &ws.a}) v->resize(n(R * H));
  ws.u.resize(n(R * I));
  ws.sc.resize(n(S_));
  ws.pooled.resize(n(N * H));
  ws.out.resize(n(N * Dm_));
  const float* src = source.data_ptr<float>();
  const float* pos = pos_.data_ptr<float>();
  float* z = ws.z.data();
  if (table_ && src == table_source_ && source.size(0) == table_rows_) {  // proj_in(source[id]) precomputed
    for (std::int64_t e = 0; e < N; ++e)
      for (std::int64_t s = 0; s < ws.row0[n(e + 1)] - ws.row0[n(e)]; ++s)
        std::copy_n(table_ + entries[n(e)][n(s)] * H, H, z + (ws.row0[n(e)] + s) * H);
  } else {
    ws.x.resize(n(R * Dm_));
    for (std::int64_t e = 0; e < N; ++e)
      for (std::int64_t s = 0; s < ws.row0[n(e + 1)] - ws.row0[n(e)]; ++s)
        std::copy_n(src + entries[n(e)][n(s)] * Dm_, Dm_, ws.x.data() + (ws.row0[n(e)] + s) * Dm_);
    if (proj_in_.defined())
      linear(ws.x.data(), R, Dm_, proj_in_, H, z);
    else
      std::copy_n(ws.x.data(), R * H, z);
  }
  for (std::int64_t e = 0; e < N; ++e)  // + P[s]
    cpu::add(z + ws.row0[n(e)] * H, pos, (ws.row0[n(e + 1)] - ws.row0[n(e)]) * H);

  const auto scale = static_cast<float>(std::sqrt(static_cast<double>(hd)));
  for (const auto& ly : layers_) {
    // z += Wo . attn(LN1(z)); per entry, keys: its valid slots (k <= q when causal)
    for (std::int64_t r = 0; r < R; ++r)
      cpu::layer_norm(z + r * H, ly.ln1_w.data_ptr<float>(), ly.ln1_b.data_ptr<float>(), H, kLnEps,
                      ws.hn.data() + r * H);
    linear(ws.hn.data(), R, H, ly.wq, H, ws.q.data());
    linear(ws.hn.data(), R, H, ly.wk, H, ws.k.data());
    linear(ws.hn.data(), R, H, ly.wv, H, ws.v.data());
    for (std::int64_t e = 0; e < N; ++e) {
      const std::int64_t r0 = ws.row0[n(e)], L = ws.row0[n(e + 1)] - r0;
      for (std::int64_t head = 0; head < heads_; ++head) {
        for (std::int64_t qi = 0; qi < L; ++qi) {
          const std::int64_t nk = cfg_.causal ? qi + 1 : L;
          const float* q = ws.q.data() + (r0 + qi) * H + head * hd;
          for (std::int64_t ki = 0; ki < nk; ++ki) {
            const float* k = ws.k.data() + (r0 + ki) * H + head * hd;
            ws.sc[n(ki)] = cpu::dot(q, k, hd) / scale;
          }
          cpu::softmax(ws.sc.data(), nk);
          float* a = ws.a.data() + (r0 + qi) * H + head * hd;
          std::fill(a, a + hd, 0.0f);
          for (std::int64_t ki = 0; ki < nk; ++ki) {
            const float p = ws.sc[n(ki)];
            const float* v = ws.v.data() + (r0 + ki) * H + head * hd;
            for (std::int64_t j = 0; j < hd; ++j) a[j] += p * v[j];
          }
        }
      }
    }
    linear(ws.a.data(), R, H, ly.wo, H, ws.q.data());
    cpu::add(z, ws.q.data(), R * H);
    // z += W2 . gelu(W1 . LN2(z))
    for (std::int64_t r = 0; r < R; ++r)
      cpu::layer_norm(z + r * H, ly.ln2_w.data_ptr<float>(), ly.ln2_b.data_ptr<float>(), H, kLnEps,
                      ws.hn.data() + r * H);
    linear(ws.hn.data(), R, H, ly.w1, I, ws.u.data());
    cpu::gelu(ws.u.data(), R * I);
    linear(ws.u.data(), R, I, ly.w2, H, ws.q.data());
    cpu::add(z, ws.q.data(), R * H);
  }
  for (std::int64_t r = 0; r < R; ++r)
    cpu::layer_norm(z + r * H, norm_w_.data_ptr<float>(), norm_b_.data_ptr<float>(), H, kLnEps, z + r * H);
  for (std::int64_t e = 0; e < N; ++e) {
    const std::int64_t r0 = ws.row0[n(e)], L = ws.row0[n(e + 1)] - r0;
    float* pooled = ws.pooled.data() + e * H;
    if (cfg_.causal) {
      std::copy_n(z + (r0 + L - 1) * H, H, pooled);  // the last valid slot
    } else {
      std::copy_n(z + r0 * H, H, pooled);  // mean over the valid slots
      for (std::int64_t s = 1; s < L; ++s) cpu::add(pooled, z + (r0 + s) * H, H);
      for (std::int64_t j = 0; j < H; ++j) pooled[j] /= static_cast<float>(L);
    }
  }
  if (proj_out_.defined())
    linear(ws.pooled.data(), N, H, proj_out_, Dm_, ws.out.data());
  else
    std::copy_n(ws.pooled.data(), N * Dm_, ws.out.data());
  for (std::int64_t e = 0; e < N; ++e) {
    const float* o = ws.out.data() + e * Dm_;
    float* dst = outs[n(e)];
    if (cfg_.residual) {  // torch: first + pooled (the raw source row of the entry's first id)
      const float* first = src + entries[n(e)][0] * Dm_;
      for (std::int64_t j = 0; j < Dm_; ++j) dst[j] = first[j] + o[j];
    } else {
      std::copy_n(o, Dm_, dst);
    }
  }
}

}  // namespace z2z::model
