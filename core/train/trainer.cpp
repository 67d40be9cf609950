// The training loop. Sections: model construction (from scratch / frozen base + LoRA + encoders),
// the training forward (joint base + hyper logits with the window's codebook), optimisation,
// checkpoints (real layouts + resume state), evaluation.
#include "core/train/trainer.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "core/model/decoder.h"
#include "core/model/format/configs.h"
#include "core/model/format/safetensors.h"
#include "core/model/hyper_encoder.h"
#include "core/model/torch_util.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"

namespace z2z::train {

using model::Decoder;
using model::DecoderConfig;
using model::HyperEncoder;
using model::TensorMap;

DecoderShape parse_decoder_shape(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) fail("{}: cannot open", path.string());
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    fail("{}: invalid JSON ({})", path.string(), e.what());
  }
  DecoderShape s;
  auto get_int = [&](const char* k, std::int64_t& v) {
    if (!j.contains(k)) return;
    if (!j[k].is_number_integer() || j[k].get<std::int64_t>() <= 0) fail("{}: field '{}' must be a positive integer", path.string(), k);
    v = j[k].get<std::int64_t>();
  };
  get_int("hidden_size", s.hidden_size);
  get_int("num_hidden_layers", s.num_hidden_layers);
  get_int("num_attention_heads", s.num_attention_heads);
  s.num_key_value_heads = s.num_attention_heads;
  get_int("num_key_value_heads", s.num_key_value_heads);
  get_int("intermediate_size", s.intermediate_size);
  get_int("max_position_embeddings", s.max_position_embeddings);
  if (j.contains("rope_theta")) s.rope_theta = j["rope_theta"].get<double>();
  if (j.contains("rms_norm_eps")) s.rms_norm_eps = j["rms_norm_eps"].get<double>();
  if (j.contains("tie_word_embeddings")) s.tie_word_embeddings = j["tie_word_embeddings"].get<bool>();
  if (s.hidden_size % s.num_attention_heads) fail("{}: hidden_size must be divisible by num_attention_heads", path.string());
  return s;
}

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// ---------------------------------------------------------------------------------------------
// Model construction
// ---------------------------------------------------------------------------------------------

DecoderConfig config_from_shape(const DecoderShape& s, const TrainOptions& o) {
  DecoderConfig c;
  c.arch = model::Arch::Llama;
  c.arch_name = "LlamaForCausalLM";
  c.vocab_size = o.vocab_size;
  c.hidden_size = s.hidden_size;
  c.intermediate_size = s.intermediate_size;
  c.num_hidden_layers = s.num_hidden_layers;
  c.num_attention_heads = s.num_attention_heads;
  c.num_key_value_heads = s.num_key_value_heads;
  c.head_dim = s.hidden_size / s.num_attention_heads;
  c.rms_norm_eps = s.rms_norm_eps;
  c.rope_theta = s.rope_theta;
  c.max_position_embeddings = s.max_position_embeddings;
  c.tie_word_embeddings = s.tie_word_embeddings;
  c.eos_token_ids = o.eos_ids;
  c.bos_token_id = o.bos_id;
  c.pad_token_id = o.pad_id;
  return c;
}

TensorMap init_decoder_weights(const DecoderConfig& c, torch::Generator& gen) {
  TensorMap w;
  const double std = 0.02, proj_std = 0.02 / std::sqrt(2.0 * static_cast<double>(c.num_hidden_layers));
  auto normal = [&](std::vector<std::int64_t> shape, double s) { return torch::normal(0.0, s, shape, gen); };
  const std::int64_t D = c.hidden_size, hd = c.head_dim, I = c.intermediate_size;
  w["model.embed_tokens.weight"] = normal({c.vocab_size, D}, std);
  if (!c.tie_word_embeddings) w["lm_head.weight"] = normal({c.vocab_size, D}, std);
  w["model.norm.weight"] = torch::ones({D});
  for (std::int64_t i = 0; i < c.num_hidden_layers; ++i) {
    const std::string l = fmt::format("model.layers.{}.", i);
    w[l + "input_layernorm.weight"] = torch::ones({D});
    w[l + "post_attention_layernorm.weight"] = torch::ones({D});
    w[l + "self_attn.q_proj.weight"] = normal({c.num_attention_heads * hd, D}, std);
    w[l + "self_attn.k_proj.weight"] = normal({c.num_key_value_heads * hd, D}, std);
    w[l + "self_attn.v_proj.weight"] = normal({c.num_key_value_heads * hd, D}, std);
    w[l + "self_attn.o_proj.weight"] = normal({D, c.num_attention_heads * hd}, proj_std);
    w[l + "mlp.gate_proj.weight"] = normal({I, D}, std);
    w[l + "mlp.up_proj.weight"] = normal({I, D}, std);
    w[l + "mlp.down_proj.weight"] = normal({D, I}, proj_std);
  }
  return w;
}

model::EncoderConfig encoder_config(const EncoderShape& e, std::int64_t Dm) {
  model::EncoderConfig c;
  c.hidden_size = e.hidden_size > 0 ? e.hidden_size : Dm / 2;
  c.model_hidden_size = Dm;
  c.num_hidden_layers = e.num_hidden_layers;
  c.num_heads = e.num_heads;
  c.intermediate_size = e.intermediate_size > 0 ? e.intermediate_size : 4 * c.hidden_size;
  c.tie_encoders = false;
  c.causal = false;
  c.residual = true;
  return c;
}

// res_latent_attn weights; proj_out zero-initialised so a fresh encoder returns the first token's row.
TensorMap init_encoder_weights(const model::EncoderConfig& c, std::int64_t Dm, std::int64_t S, const std::string& prefix,
                               torch::Generator& gen) {
  TensorMap w;
  const std::int64_t H = c.hidden_size, I = *c.intermediate_size;
  auto normal = [&](std::vector<std::int64_t> shape) { return torch::normal(0.0, 0.02, shape, gen); };
  if (H != Dm) {
    w[prefix + "proj_in.weight"] = normal({H, Dm});
    w[prefix + "proj_out.weight"] = torch::zeros({Dm, H});
  }
  w[prefix + "pos_embed.weight"] = normal({S, H});
  for (std::int64_t i = 0; i < c.num_hidden_layers; ++i) {
    const std::string l = prefix + fmt::format("layers.{}.", i);
    for (const char* n : {"wq", "wk", "wv", "wo"}) w[l + n + ".weight"] = normal({H, H});
    w[l + "w1.weight"] = normal({I, H});
    w[l + "w2.weight"] = normal({H, I});
    w[l + "norm1.weight"] = torch::ones({H});
    w[l + "norm1.bias"] = torch::zeros({H});
    w[l + "norm2.weight"] = torch::ones({H});
    w[l + "norm2.bias"] = torch::zeros({H});
  }
  w[prefix + "norm.weight"] = torch::ones({H});
  w[prefix + "norm.bias"] = torch::zeros({H});
  return w;
}

struct LoraPair {
  torch::Tensor A, B;  // [r, in], [out, r]
};
struct LayerLora {
  LoraPair qkv, o, gate_up, down;
};

struct Net {
  TrainOptions opt;
  DecoderConfig cfg;
  std::optional<Decoder> decoder;
  std::vector<model::DecoderLayer> frozen;  // base weights when LoRA is on
  std::vector<LayerLora> lora;
  double lora_scale = 1.0;
  std::optional<HyperEncoder> enc_in, enc_out;
  model::EncoderConfig enc_cfg;
  std::filesystem::path base_dir;  // init_from
  bool train_decoder = false;
  std::vector<std::int32_t> disabled_sorted;

  std::int64_t V() const { return cfg.vocab_size; }

  std::vector<std::pair<std::string, torch::Tensor*>> trainable() {
    std::vector<std::pair<std::string, torch::Tensor*>> p;
    if (train_decoder) {
      p.emplace_back("embed", &decoder->embed_mut());
      if (!decoder->tied()) p.emplace_back("lm_head", &decoder->lm_head_mut());
      p.emplace_back("norm", &decoder->final_norm_mut());
      auto& Ls = decoder->layers();
      for (std::size_t i = 0; i < Ls.size(); ++i) {
        auto n = [&](const char* s) { return fmt::format("layers.{}.{}", i, s); };
        p.emplace_back(n("ln_attn"), &Ls[i].ln_attn);
        p.emplace_back(n("ln_mlp"), &Ls[i].ln_mlp);
        p.emplace_back(n("wqkv"), &Ls[i].wqkv);
        p.emplace_back(n("wo"), &Ls[i].wo);
        p.emplace_back(n("w_gate_up"), &Ls[i].w_gate_up);
        p.emplace_back(n("w_down"), &Ls[i].w_down);
      }
    }
    for (std::size_t i = 0; i < lora.size(); ++i) {
      auto add = [&](const char* s, LoraPair& lp) {
        p.emplace_back(fmt::format("lora.{}.{}.A", i, s), &lp.A);
        p.emplace_back(fmt::format("lora.{}.{}.B", i, s), &lp.B);
      };
      add("qkv", lora[i].qkv), add("o", lora[i].o), add("gate_up", lora[i].gate_up), add("down", lora[i].down);
    }
    if (enc_in)
      for (auto& [n, t] : enc_in->named_parameters()) p.emplace_back("input_encoder." + n, t);
    if (enc_out)
      for (auto& [n, t] : enc_out->named_parameters()) p.emplace_back("output_encoder." + n, t);
    return p;
  }

  // Effective decoder weights = frozen + scale * B A (rebuilt every forward so autograd sees them).
  void apply_lora() {
    if (lora.empty()) return;
    auto& Ls = decoder->layers();
    for (std::size_t i = 0; i < Ls.size(); ++i) {
      auto delta = [&](const LoraPair& lp) { return lora_scale * lp.B.mm(lp.A); };
      Ls[i].wqkv = frozen[i].wqkv + delta(lora[i].qkv);
      Ls[i].wo = frozen[i].wo + delta(lora[i].o);
      Ls[i].w_gate_up = frozen[i].w_gate_up + delta(lora[i].gate_up);
      Ls[i].w_down = frozen[i].w_down + delta(lora[i].down);
    }
  }

  bool is_disabled(std::int64_t id) const {
    return std::binary_search(disabled_sorted.begin(), disabled_sorted.end(), static_cast<std::int32_t>(id));
  }

  struct BatchLoss {
    torch::Tensor loss;  // mean NLL over counted targets (differentiable)
    double nll_sum = 0, bytes = 0;
    std::int64_t targets = 0;
  };

  BatchLoss forward(const Windows& w, const std::vector<std::int64_t>& idx) {
    const auto B = static_cast<std::int64_t>(idx.size());
    const std::int64_t L = w.seq_len, L1 = L + 1, K = opt.zip ? w.K : 0, S = w.S, D = cfg.hidden_size;
    std::vector<std::int64_t> codes(static_cast<std::size_t>(B * L1));
    std::vector<float> tbytes(static_cast<std::size_t>(B * L));
    for (std::int64_t b = 0; b < B; ++b) {
      const std::int64_t wi = idx[static_cast<std::size_t>(b)];
      for (std::int64_t t = 0; t < L1; ++t) codes[static_cast<std::size_t>(b * L1 + t)] = w.code(wi, t);
      for (std::int64_t t = 0; t < L; ++t)
        tbytes[static_cast<std::size_t>(b * L + t)] = w.target_bytes[static_cast<std::size_t>(wi * L + t)];
    }
    auto all = torch::tensor(codes, torch::kInt64).view({B, L1});
    auto inp = all.narrow(1, 0, L), tgt = all.narrow(1, 1, L);
    auto bytes = torch::tensor(tbytes, torch::kFloat32).view({B, L});
    apply_lora();
    const torch::Tensor& E = decoder->embed();
    const torch::Tensor& W = decoder->lm_head();
    auto pad = static_cast<std::int64_t>(w.pad);

    torch::Tensor logits, valid, tgt_index;
    auto positions = torch::arange(L, torch::kInt64).view({1, L}).expand({B, L});
    if (K == 0) {
      auto x = E.index_select(0, inp.reshape({-1})).view({B, L, D});
      auto h = decoder->forward(x, positions, nullptr);
      logits = torch::matmul(h, W.t());
      valid = tgt.ne(pad);
      tgt_index = tgt;
    } else {
      std::vector<std::int64_t> rows_v(static_cast<std::size_t>(B * K * S)), created_v(static_cast<std::size_t>(B * K));
      for (std::int64_t b = 0; b < B; ++b) {
        const std::int64_t wi = idx[static_cast<std::size_t>(b)];
        for (std::int64_t j = 0; j < K * S; ++j) rows_v[static_cast<std::size_t>(b * K * S + j)] = w.rows[static_cast<std::size_t>(wi * K * S + j)];
        for (std::int64_t k = 0; k < K; ++k) created_v[static_cast<std::size_t>(b * K + k)] = w.created_at[static_cast<std::size_t>(wi * K + k)];
      }
      auto rows = torch::tensor(rows_v, torch::kInt64).view({B, K, S});
      auto created = torch::tensor(created_v, torch::kInt64).view({B, K});
      auto used = created.ge(0);                              // [B, K]
      auto nz = used.nonzero();                               // [N, 2]
      auto bi = nz.select(1, 0), ki = nz.select(1, 1);
      auto used_rows = rows.index({bi, ki});                  // [N, S]
      auto cache_in = torch::zeros({B, K, D}).index_put({bi, ki}, enc_in->forward(used_rows, E, pad));
      auto cache_out = torch::zeros({B, K, D}).index_put({bi, ki}, enc_out->forward(used_rows, W, pad));
      // Input embeddings: base / disabled ids from E, hypertokens from cache_in.
      auto base_mask = inp.lt(V()).logical_or(inp.eq(pad));
      auto safe_base = torch::where(base_mask, inp, torch::zeros({}, inp.options()));
      auto slots = torch::where(base_mask, torch::zeros({}, inp.options()), (inp - V()).clamp(0, K - 1));
      auto e_base = E.index_select(0, safe_base.reshape({-1})).view({B, L, D});
      auto e_hyp = cache_in.gather(1, slots.unsqueeze(-1).expand({B, L, D}));
      auto x = torch::where(base_mask.unsqueeze(-1), e_base, e_hyp);
      auto h = decoder->forward(x, positions, nullptr);
      auto base_logits = torch::matmul(h, W.t());                         // [B, L, V]
      auto hyper_logits = torch::matmul(h, cache_out.transpose(1, 2));    // [B, L, K]
      // Slot k usable at position t: an entry exists (and, with the hyper causal mask, was installed
      // by decoding codes[0..t]).
      auto allowed = used.unsqueeze(1).expand({B, L, K});
      if (opt.hyper_causal_mask)
        allowed = allowed.logical_and(created.unsqueeze(1).le(torch::arange(L, torch::kInt64).view({1, L, 1})));
      hyper_logits = hyper_logits.masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity());
      logits = torch::cat({base_logits, hyper_logits}, -1);  // V0 = V: [base | K hyper]
      auto is_hyper_tgt = tgt.ge(V()).logical_and(tgt.ne(pad));
      auto tslot = (tgt - V()).clamp(0, K - 1);
      auto tgt_ok = allowed.gather(2, tslot.unsqueeze(-1)).squeeze(-1);
      valid = tgt.ne(pad).logical_and(is_hyper_tgt.logical_not().logical_or(tgt_ok));
      tgt_index = tgt;  // joint index == id (V0 = V)
    }
    auto flat_logits = logits.reshape({-1, logits.size(-1)});
    auto flat_tgt = torch::where(valid, tgt_index, torch::full({}, -100, tgt_index.options())).reshape({-1});
    auto nll = torch::nn::functional::cross_entropy(flat_logits, flat_tgt,
                                                    torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-100).reduction(torch::kNone));
    auto vf = valid.reshape({-1}).to(torch::kFloat32);
    BatchLoss r;
    r.targets = vf.sum().item<std::int64_t>();
    r.loss = (nll * vf).sum() / std::max<std::int64_t>(r.targets, 1);
    r.nll_sum = (nll * vf).sum().item<double>();
    r.bytes = (bytes.reshape({-1}) * vf).sum().item<double>();
    return r;
  }
};

Net build_net(const TrainOptions& o) {
  Net n;
  n.opt = o;
  torch::manual_seed(o.seed);
  auto gen = torch::make_generator<at::CPUGeneratorImpl>(o.seed);
  n.disabled_sorted = o.disabled_ids;
  n.disabled_sorted.push_back(o.pad_id);
  std::sort(n.disabled_sorted.begin(), n.disabled_sorted.end());
  if (o.from_scratch) {
    n.cfg = config_from_shape(*o.from_scratch, o);
    TensorMap w = init_decoder_weights(n.cfg, gen);
    n.decoder.emplace(n.cfg, w, "init");
    n.train_decoder = true;
  } else if (o.init_from) {
    model::ModelFiles files = model::resolve_model_dir(*o.init_from);
    if (files.zip2zip) fail("--init-from {}: expected a plain HF base model directory, found a zip2zip model", o.init_from->string());
    n.cfg = files.decoder;
    n.base_dir = files.base_dir;
    model::TensorStore store = model::TensorStore::open_file(files.weights);
    TensorMap w;
    for (const auto& name : store.names()) w.emplace(name, model::to_torch_f32(store.at(name)));
    n.decoder.emplace(n.cfg, w, files.weights.string());
    if (n.cfg.vocab_size != o.vocab_size && o.vocab_size > 0)
      fail("--init-from: the base model's vocab {} differs from the tokenizer's {}", n.cfg.vocab_size, o.vocab_size);
  } else {
    fail("train: give --from-scratch CONFIG or --init-from BASE_DIR");
  }
  if (o.lora_rank > 0) {
    if (n.train_decoder) fail("train: --lora-rank is for --init-from (a frozen base)");
    n.lora_scale = (o.lora_alpha > 0 ? o.lora_alpha : static_cast<double>(o.lora_rank)) / static_cast<double>(o.lora_rank);
    n.frozen = n.decoder->layers();
    auto pair = [&](std::int64_t out, std::int64_t in) {
      return LoraPair{torch::normal(0.0, 1.0 / std::sqrt(static_cast<double>(in)), {o.lora_rank, in}, gen), torch::zeros({out, o.lora_rank})};
    };
    for (const auto& L : n.frozen)
      n.lora.push_back(LayerLora{pair(L.wqkv.size(0), L.wqkv.size(1)), pair(L.wo.size(0), L.wo.size(1)),
                                 pair(L.w_gate_up.size(0), L.w_gate_up.size(1)), pair(L.w_down.size(0), L.w_down.size(1))});
  }
  if (o.zip) {
    n.enc_cfg = encoder_config(o.encoder, n.cfg.hidden_size);
    TensorMap w = init_encoder_weights(n.enc_cfg, n.cfg.hidden_size, o.S, "input_encoder.", gen);
    TensorMap wo = init_encoder_weights(n.enc_cfg, n.cfg.hidden_size, o.S, "output_encoder.", gen);
    w.insert(wo.begin(), wo.end());
    n.enc_in.emplace("res_latent_attn", n.enc_cfg, n.cfg.hidden_size, o.S, w, "input_encoder.", "init");
    n.enc_out.emplace("res_latent_attn", n.enc_cfg, n.cfg.hidden_size, o.S, w, "output_encoder.", "init");
  }
  const bool tied = n.decoder->tied();
  for (auto& [name, t] : n.trainable()) *t = t->detach().clone().set_requires_grad(true);
  if (tied) n.decoder->lm_head_mut() = n.decoder->embed_mut();  // keep the tie after cloning
  return n;
}

// ---------------------------------------------------------------------------------------------
// Checkpoints: the real layouts + a resume state
// ---------------------------------------------------------------------------------------------

model::DType save_dtype(const TrainOptions& o) { return o.save_dtype == "f32" ? model::DType::F32 : model::DType::BF16; }

model::TensorToWrite tensor_out(const std::string& name, const torch::Tensor& t, model::DType dt) {
  auto c = t.detach().to(torch::kFloat32).contiguous();
  std::vector<std::int64_t> shape(c.sizes().begin(), c.sizes().end());
  return model::make_tensor(name, dt, shape, std::span<const float>(c.data_ptr<float>(), static_cast<std::size_t>(c.numel())));
}

void write_json(const std::filesystem::path& p, const nlohmann::ordered_json& j) { write_file_atomic(p, j.dump(2) + "\n"); }

void copy_tokenizer(const TrainOptions& o, const std::filesystem::path& dir) {
  if (o.tokenizer_json.empty()) return;
  std::ifstream in(o.tokenizer_json, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  write_file_atomic(dir / "tokenizer.json", data);
}

nlohmann::ordered_json hf_config_json(const DecoderConfig& c) {
  nlohmann::ordered_json j{{"architectures", {"LlamaForCausalLM"}},
                           {"model_type", "llama"},
                           {"vocab_size", c.vocab_size},
                           {"hidden_size", c.hidden_size},
                           {"intermediate_size", c.intermediate_size},
                           {"num_hidden_layers", c.num_hidden_layers},
                           {"num_attention_heads", c.num_attention_heads},
                           {"num_key_value_heads", c.num_key_value_heads},
                           {"hidden_act", "silu"},
                           {"max_position_embeddings", c.max_position_embeddings},
                           {"rms_norm_eps", c.rms_norm_eps},
                           {"rope_theta", c.rope_theta},
                           {"tie_word_embeddings", c.tie_word_embeddings},
                           {"torch_dtype", "bfloat16"}};
  if (c.bos_token_id) j["bos_token_id"] = *c.bos_token_id;
  if (!c.eos_token_ids.empty()) j["eos_token_id"] = c.eos_token_ids.size() == 1 ? nlohmann::ordered_json(c.eos_token_ids[0]) : nlohmann::ordered_json(c.eos_token_ids);
  if (c.pad_token_id) j["pad_token_id"] = *c.pad_token_id;
  return j;
}

void export_base(Net& n, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const auto dt = save_dtype(n.opt);
  const DecoderConfig& c = n.cfg;
  std::vector<model::TensorToWrite> ts;
  ts.push_back(tensor_out("model.embed_tokens.weight", n.decoder->embed(), dt));
  if (!n.decoder->tied()) ts.push_back(tensor_out("lm_head.weight", n.decoder->lm_head(), dt));
  ts.push_back(tensor_out("model.norm.weight", n.decoder->final_norm_mut(), dt));
  const std::int64_t q = c.num_attention_heads * c.head_dim, kv = c.num_key_value_heads * c.head_dim, I = c.intermediate_size;
  const auto& Ls = n.decoder->layers();
  for (std::size_t i = 0; i < Ls.size(); ++i) {
    const std::string l = fmt::format("model.layers.{}.", i);
    ts.push_back(tensor_out(l + "input_layernorm.weight", Ls[i].ln_attn, dt));
    ts.push_back(tensor_out(l + "post_attention_layernorm.weight", Ls[i].ln_mlp, dt));
    ts.push_back(tensor_out(l + "self_attn.q_proj.weight", Ls[i].wqkv.narrow(0, 0, q), dt));
    ts.push_back(tensor_out(l + "self_attn.k_proj.weight", Ls[i].wqkv.narrow(0, q, kv), dt));
    ts.push_back(tensor_out(l + "self_attn.v_proj.weight", Ls[i].wqkv.narrow(0, q + kv, kv), dt));
    ts.push_back(tensor_out(l + "self_attn.o_proj.weight", Ls[i].wo, dt));
    ts.push_back(tensor_out(l + "mlp.gate_proj.weight", Ls[i].w_gate_up.narrow(0, 0, I), dt));
    ts.push_back(tensor_out(l + "mlp.up_proj.weight", Ls[i].w_gate_up.narrow(0, I, I), dt));
    ts.push_back(tensor_out(l + "mlp.down_proj.weight", Ls[i].w_down, dt));
  }
  model::write_safetensors(dir / "model.safetensors", ts, {{"format", "pt"}});
  write_json(dir / "config.json", hf_config_json(c));
  copy_tokenizer(n.opt, dir);
}

nlohmann::ordered_json compression_json(const Net& n) {
  std::vector<std::int64_t> disabled(n.disabled_sorted.begin(), n.disabled_sorted.end());
  disabled.erase(std::unique(disabled.begin(), disabled.end()), disabled.end());
  return {{"initial_vocab_size", n.cfg.vocab_size}, {"max_codebook_size", n.opt.K}, {"max_subtokens", n.opt.S}, {"disabled_ids", disabled}};
}

nlohmann::ordered_json encoder_json(const Net& n) {
  const auto& e = n.enc_cfg;
  return {{"hidden_size", e.hidden_size}, {"model_hidden_size", n.cfg.hidden_size}, {"num_hidden_layers", e.num_hidden_layers},
          {"num_heads", e.num_heads},     {"intermediate_size", *e.intermediate_size}, {"causal", e.causal},
          {"residual", e.residual},       {"tie_encoders", false},                      {"position_encoding", nullptr}};
}

void export_encoders(Net& n, const std::filesystem::path& dir) {
  std::vector<model::TensorToWrite> ts;
  for (auto& [name, t] : n.enc_in->named_parameters()) ts.push_back(tensor_out("input_encoder." + name, *t, save_dtype(n.opt)));
  for (auto& [name, t] : n.enc_out->named_parameters()) ts.push_back(tensor_out("output_encoder." + name, *t, save_dtype(n.opt)));
  model::write_safetensors(dir / "zip2zip_encoders.safetensors", ts, {{"format", "pt"}});
}

void export_adapter(Net& n, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const auto rel = std::filesystem::relative(std::filesystem::absolute(n.base_dir), std::filesystem::absolute(dir)).string();
  nlohmann::ordered_json z{{"base_model_name_or_path", rel},
                           {"encoder_type", "res_latent_attn"},
                           {"encoder", encoder_json(n)},
                           {"compression", compression_json(n)}};
  export_encoders(n, dir);
  std::vector<std::string> targets;
  if (!n.lora.empty()) {
    const DecoderConfig& c = n.cfg;
    const bool phi3 = c.arch == model::Arch::Phi3;
    const std::int64_t q = c.num_attention_heads * c.head_dim, kv = c.num_key_value_heads * c.head_dim, I = c.intermediate_size;
    std::vector<model::TensorToWrite> ts;
    auto put = [&](std::size_t i, const std::string& module, const torch::Tensor& A, const torch::Tensor& B) {
      const std::string k = fmt::format("base_model.model.model.layers.{}.{}", i, module);
      ts.push_back(tensor_out(k + ".lora_A.weight", A, model::DType::F32));
      ts.push_back(tensor_out(k + ".lora_B.weight", B, model::DType::F32));
    };
    for (std::size_t i = 0; i < n.lora.size(); ++i) {
      const LayerLora& L = n.lora[i];
      if (phi3) {
        put(i, "self_attn.qkv_proj", L.qkv.A, L.qkv.B);
        put(i, "mlp.gate_up_proj", L.gate_up.A, L.gate_up.B);
      } else {  // a LoRA on a fused matrix = one LoRA per part, sharing A
        put(i, "self_attn.q_proj", L.qkv.A, L.qkv.B.narrow(0, 0, q));
        put(i, "self_attn.k_proj", L.qkv.A, L.qkv.B.narrow(0, q, kv));
        put(i, "self_attn.v_proj", L.qkv.A, L.qkv.B.narrow(0, q + kv, kv));
        put(i, "mlp.gate_proj", L.gate_up.A, L.gate_up.B.narrow(0, 0, I));
        put(i, "mlp.up_proj", L.gate_up.A, L.gate_up.B.narrow(0, I, I));
      }
      put(i, "self_attn.o_proj", L.o.A, L.o.B);
      put(i, "mlp.down_proj", L.down.A, L.down.B);
    }
    targets = phi3 ? std::vector<std::string>{"qkv_proj", "o_proj", "gate_up_proj", "down_proj"}
                   : std::vector<std::string>{"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
    model::write_safetensors(dir / "adapter_model.safetensors", ts, {{"format", "pt"}});
    write_json(dir / "adapter_config.json",
               {{"peft_type", "LORA"}, {"task_type", "CAUSAL_LM"}, {"r", n.opt.lora_rank}, {"lora_alpha", n.lora_scale * static_cast<double>(n.opt.lora_rank)},
                {"lora_dropout", 0.0}, {"bias", "none"}, {"target_modules", targets}, {"base_model_name_or_path", rel}, {"inference_mode", true}});
  }
  write_json(dir / "zip2zip_config.json", z);
  copy_tokenizer(n.opt, dir);
}

void export_model(Net& n, const std::filesystem::path& dir) {
  torch::NoGradGuard ng;
  n.apply_lora();
  if (n.train_decoder) {
    export_base(n, dir);
    if (n.opt.zip) {  // self-contained v2 export
      export_encoders(n, dir);
      write_json(dir / "zip2zip_config.json", {{"format_version", 2}, {"base_model_name_or_path", "."},
                                               {"position_mode", "consecutive"}, {"encoder_type", "res_latent_attn"},
                                               {"encoder", encoder_json(n)}, {"compression", compression_json(n)}});
    }
  } else {
    export_adapter(n, dir);
  }
}

void save_state(Net& n, torch::optim::AdamW& optim, std::int64_t step, const std::filesystem::path& path) {
  torch::serialize::OutputArchive ar;
  for (auto& [name, t] : n.trainable()) ar.write("param." + name, t->detach());
  ar.write("step", torch::tensor(step));
  torch::serialize::OutputArchive oa;
  optim.save(oa);
  ar.write("optimizer", oa);
  const auto tmp = path.string() + ".tmp";
  ar.save_to(tmp);
  std::filesystem::rename(tmp, path);
}

std::int64_t load_state(Net& n, torch::optim::AdamW* optim, const std::filesystem::path& path) {
  torch::serialize::InputArchive ar;
  ar.load_from(path.string());
  torch::NoGradGuard ng;
  for (auto& [name, t] : n.trainable()) {
    torch::Tensor v;
    if (!ar.try_read("param." + name, v)) fail("{}: resume state has no '{}' (different model?)", path.string(), name);
    if (v.sizes() != t->sizes()) fail("{}: resume state '{}' has shape {} but the model has {}", path.string(), name, model::shape_str(v), model::shape_str(*t));
    t->copy_(v);
  }
  torch::Tensor step;
  ar.read("step", step);
  if (optim) {
    torch::serialize::InputArchive oa;
    ar.read("optimizer", oa);
    optim->load(oa);
  }
  return step.item<std::int64_t>();
}

struct EvalResult {
  double loss = 0, byte_ppl = 0;
};

std::pair<double, double> frozen_checksum(Net& n) {
  if (n.train_decoder) return {0, 0};
  torch::NoGradGuard ng;
  double a = 0, b = 0;
  auto add = [&](const torch::Tensor& t) {
    if (!t.defined()) return;
    auto d = t.to(torch::kFloat64);
    a += d.abs().sum().item<double>();
    b += d.pow(2).sum().item<double>();
  };
  add(n.decoder->embed());
  add(n.decoder->lm_head());
  const auto& layers = n.frozen.empty() ? n.decoder->layers() : n.frozen;
  for (const auto& L : layers) add(L.ln_attn), add(L.ln_mlp), add(L.wqkv), add(L.bqkv), add(L.wo), add(L.w_gate_up), add(L.w_down);
  return {a, b};
}

double grad_norm(const std::vector<std::pair<std::string, torch::Tensor*>>& params, const std::string& prefix, bool negate) {
  double sq = 0;
  for (const auto& [name, t] : params) {
    const bool match = name.rfind(prefix, 0) == 0;
    if (match == negate || !t->grad().defined()) continue;
    sq += t->grad().to(torch::kFloat64).pow(2).sum().item<double>();
  }
  return std::sqrt(sq);
}

EvalResult evaluate(Net& n, const Windows& val, std::int64_t max_windows, std::int64_t batch) {
  torch::NoGradGuard ng;
  double nll = 0, bytes = 0;
  std::int64_t targets = 0;
  const std::int64_t count = std::min(val.count, max_windows);
  for (std::int64_t s = 0; s < count; s += batch) {
    std::vector<std::int64_t> idx;
    for (std::int64_t i = s; i < std::min(count, s + batch); ++i) idx.push_back(i);
    auto r = n.forward(val, idx);
    nll += r.nll_sum;
    bytes += r.bytes;
    targets += r.targets;
  }
  return {targets ? nll / static_cast<double>(targets) : 0.0, bytes > 0 ? std::exp(nll / bytes) : 0.0};
}

}  // namespace

TrainSummary run_training(const TrainOptions& o, const Windows& train, const Windows& val,
                          const std::function<void(const TrainProgress&)>& progress) {
  if (train.count == 0) fail("train: no training windows (the data is shorter than one window of {} codes)", train.seq_len + 1);
  Net n = build_net(o);
  TrainSummary sum;
  auto params = n.trainable();
  std::vector<torch::Tensor> decay, no_decay;
  for (auto& [name, t] : params) {
    sum.trainable_params += t->numel();
    (t->dim() >= 2 ? decay : no_decay).push_back(*t);
  }
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(o.lr).betas({0.9, 0.95}).weight_decay(o.weight_decay)));
  groups.emplace_back(no_decay, std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(o.lr).betas({0.9, 0.95}).weight_decay(0.0)));
  torch::optim::AdamW optim(groups, torch::optim::AdamWOptions(o.lr));

  std::filesystem::create_directories(o.out);
  const auto state_path = o.out / "trainer_state.pt";
  sum.frozen_checksum_before = frozen_checksum(n);
  std::int64_t step = 0;
  TrainProgress pr;
  pr.max_steps = o.max_steps;
  if (o.resume && std::filesystem::exists(state_path)) {
    step = load_state(n, &optim, state_path);
    pr.note = fmt::format("resumed at step {}", step);
  }

  std::mt19937_64 rng(o.seed + static_cast<std::uint64_t>(step) * 7919);
  std::uniform_int_distribution<std::int64_t> pick(0, train.count - 1);
  const auto t0 = Clock::now();
  double tokens = 0;
  auto lr_at = [&](std::int64_t s) {
    if (s < o.warmup) return o.lr * static_cast<double>(s + 1) / static_cast<double>(o.warmup);
    const double p = std::min(1.0, static_cast<double>(s - o.warmup) / static_cast<double>(std::max<std::int64_t>(1, o.max_steps - o.warmup)));
    return o.min_lr + 0.5 * (o.lr - o.min_lr) * (1 + std::cos(M_PI * p));
  };
  sum.stopped_by = "max_steps";
  const std::int64_t start_step = step;
  while (step < o.max_steps) {
    const double lr = lr_at(step);
    for (auto& g : optim.param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
    optim.zero_grad();
    double loss_acc = 0;
    for (std::int64_t a = 0; a < o.grad_accum; ++a) {
      std::vector<std::int64_t> idx;
      for (std::int64_t b = 0; b < o.batch_size; ++b) idx.push_back(pick(rng));
      auto r = n.forward(train, idx);
      (r.loss / static_cast<double>(o.grad_accum)).backward();
      loss_acc += r.loss.item<double>() / static_cast<double>(o.grad_accum);
      tokens += static_cast<double>(o.batch_size * train.seq_len);
    }
    std::vector<torch::Tensor> ps;
    for (auto& [name, t] : params) ps.push_back(*t);
    sum.grad_norm_lora = grad_norm(params, "lora.", false);
    sum.grad_norm_encoders = std::hypot(grad_norm(params, "input_encoder.", false), grad_norm(params, "output_encoder.", false));
    sum.grad_norm_decoder = n.train_decoder ? std::sqrt(std::max(0.0, std::pow(grad_norm(params, "", false), 2) - std::pow(sum.grad_norm_lora, 2) -
                                                                  std::pow(sum.grad_norm_encoders, 2)))
                                            : 0.0;
    if (o.clip > 0) torch::nn::utils::clip_grad_norm_(ps, o.clip);
    optim.step();
    ++step;
    const double elapsed = seconds_since(t0);
    pr.step = step;
    pr.loss = loss_acc;
    pr.lr = lr;
    pr.elapsed_s = elapsed;
    pr.tokens_per_s = tokens / std::max(elapsed, 1e-9);
    pr.eta_s = elapsed / static_cast<double>(step - start_step) * static_cast<double>(o.max_steps - step);
    if (o.max_minutes > 0) pr.eta_s = std::min(pr.eta_s, o.max_minutes * 60 - elapsed);
    sum.loss_curve.emplace_back(step, loss_acc);
    const bool out_of_time = o.max_minutes > 0 && elapsed > o.max_minutes * 60;
    const bool last = step == o.max_steps || out_of_time;
    pr.val_loss.reset();
    pr.val_byte_ppl.reset();
    if (val.count > 0 && (step % o.eval_every == 0 || last)) {
      EvalResult e = evaluate(n, val, o.eval_windows, o.batch_size);
      pr.val_loss = e.loss;
      pr.val_byte_ppl = e.byte_ppl;
      sum.val_curve.emplace_back(step, e.loss);
      sum.val_loss = e.loss;
      sum.val_byte_ppl = e.byte_ppl;
    }
    if (step % o.save_every == 0 || last) {
      export_model(n, o.out);
      save_state(n, optim, step, state_path);
      pr.note = "checkpoint saved";
    }
    if (progress) progress(pr);
    pr.note.clear();
    sum.final_loss = loss_acc;
    if (out_of_time) {
      sum.stopped_by = "max_minutes";
      break;
    }
  }
  if (step == start_step) export_model(n, o.out);  // nothing to do (resumed at the end): still leave a model
  sum.steps = step;
  sum.elapsed_s = seconds_since(t0);
  sum.frozen_checksum_after = frozen_checksum(n);
  return sum;
}

double evaluate_loss(const TrainOptions& o, const Windows& windows) {
  TrainOptions ro = o;
  ro.resume = true;
  Net n = build_net(ro);
  load_state(n, nullptr, o.out / "trainer_state.pt");
  return evaluate(n, windows, windows.count, 8).loss;
}

}  // namespace z2z::train
