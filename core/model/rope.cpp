// RoPE tables. Formulas follow HF transformers' rope initialisation functions
// (_compute_default/_linear/_llama3/_longrope_parameters); see docs/model-engine.md.
#include "core/model/rope.h"

#include <cmath>

#include "core/util/error.h"

namespace z2z::model {

namespace {

torch::Tensor default_inv_freq(double base, std::int64_t dim) {
  auto exponent = torch::arange(0, dim, 2, torch::kFloat64) / static_cast<double>(dim);
  return (1.0 / torch::pow(torch::full({}, base, torch::kFloat64), exponent)).to(torch::kFloat32);
}

}  // namespace

Rope::Rope(const DecoderConfig& c, std::int64_t head_dim) {
  init(c, head_dim);
  auto copy = [](const torch::Tensor& t) {
    if (!t.defined()) return std::vector<float>{};
    auto f = t.to(torch::kFloat32).contiguous();
    return std::vector<float>(f.data_ptr<float>(), f.data_ptr<float>() + f.numel());
  };
  inv_short_ = copy(inv_freq_);
  inv_long_ = copy(inv_freq_long_);
}

void Rope::init(const DecoderConfig& c, std::int64_t head_dim) {
  const RopeScaling& rs = c.rope_scaling;
  if (c.partial_rotary_factor != 1.0)
    fail("config.json: partial_rotary_factor {} is not supported (only 1.0)", c.partial_rotary_factor);
  inv_freq_ = default_inv_freq(c.rope_theta, head_dim);
  if (rs.type.empty() || rs.type == "default") return;
  if (rs.type == "linear") {
    inv_freq_ = inv_freq_ / rs.factor;
  } else if (rs.type == "llama3") {
    const double factor = rs.factor, low = rs.low_freq_factor, high = rs.high_freq_factor;
    const double old_ctx = static_cast<double>(rs.original_max_position_embeddings);
    if (old_ctx <= 0 || high == low) fail("config.json: rope_scaling (llama3) needs original_max_position_embeddings and high_freq_factor != low_freq_factor");
    const double low_wavelen = old_ctx / low, high_wavelen = old_ctx / high;
    auto inv = inv_freq_.to(torch::kFloat64);
    auto wavelen = 2 * M_PI / inv;
    auto scaled = torch::where(wavelen > low_wavelen, inv / factor, inv);
    auto smooth = (old_ctx / wavelen - low) / (high - low);
    auto smoothed = (1 - smooth) * scaled / factor + smooth * scaled;
    auto is_medium = (wavelen >= high_wavelen).logical_and(wavelen <= low_wavelen);
    inv_freq_ = torch::where(is_medium, smoothed, scaled).to(torch::kFloat32);
  } else if (rs.type == "longrope") {
    original_max_ = rs.original_max_position_embeddings > 0 ? rs.original_max_position_embeddings
                                                            : c.original_max_position_embeddings;
    if (original_max_ <= 0) fail("config.json: rope_scaling (longrope) needs original_max_position_embeddings");
    const auto half = static_cast<std::size_t>(head_dim / 2);
    if (rs.short_factor.size() != half || rs.long_factor.size() != half)
      fail("config.json: rope_scaling short_factor/long_factor must have head_dim/2 = {} values (got {} and {})", half,
           rs.short_factor.size(), rs.long_factor.size());
    double factor = rs.factor;
    if (c.original_max_position_embeddings > 0 && c.max_position_embeddings > 0)
      factor = static_cast<double>(c.max_position_embeddings) / static_cast<double>(c.original_max_position_embeddings);
    if (rs.attention_factor)
      attention_factor_ = *rs.attention_factor;
    else
      attention_factor_ = factor <= 1.0 ? 1.0 : std::sqrt(1.0 + std::log(factor) / std::log(static_cast<double>(original_max_)));
    auto base = default_inv_freq(c.rope_theta, head_dim).to(torch::kFloat64);
    auto sf = torch::tensor(rs.short_factor, torch::kFloat64), lf = torch::tensor(rs.long_factor, torch::kFloat64);
    inv_freq_ = (base / sf).to(torch::kFloat32);
    inv_freq_long_ = (base / lf).to(torch::kFloat32);
  } else {
    fail("config.json: rope_scaling type '{}' is not supported (supported: default, linear, llama3, longrope, su)",
         rs.type);
  }
}

std::pair<torch::Tensor, torch::Tensor> Rope::tables(const torch::Tensor& positions) const {
  // HF longrope picks the long factors when the sequence (max position + 1) exceeds the original context.
  const torch::Tensor* inv = &inv_freq_;
  if (inv_freq_long_.defined() && positions.numel() > 0 && positions.max().item<std::int64_t>() + 1 > original_max_)
    inv = &inv_freq_long_;
  auto freqs = positions.to(torch::kFloat32).unsqueeze(-1) * *inv;  // [B, T, hd/2]
  auto emb = torch::cat({freqs, freqs}, -1).unsqueeze(1);            // [B, 1, T, hd]
  auto cos = emb.cos(), sin = emb.sin();
  if (attention_factor_ != 1.0) {
    cos = cos * attention_factor_;
    sin = sin * attention_factor_;
  }
  return {cos, sin};
}

void Rope::cos_sin(std::int64_t position, float* cos, float* sin) const {
  // tables() for positions [[position]]: f32 products position * inv_freq, emb = cat(freqs, freqs).
  const bool use_long = !inv_long_.empty() && position + 1 > original_max_;
  const std::vector<float>& inv = use_long ? inv_long_ : inv_short_;
  const auto half = static_cast<std::int64_t>(inv.size());
  const auto p = static_cast<float>(position);
  const auto af = static_cast<float>(attention_factor_);
  for (std::int64_t i = 0; i < half; ++i) {
    const float f = p * inv[static_cast<std::size_t>(i)];
    float c = std::cos(f), s = std::sin(f);
    if (attention_factor_ != 1.0) c *= af, s *= af;
    cos[i] = cos[i + half] = c;
    sin[i] = sin[i + half] = s;
  }
}

torch::Tensor Rope::apply(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin) {
  const auto half = x.size(-1) / 2;
  auto x1 = x.narrow(-1, 0, half), x2 = x.narrow(-1, half, half);
  auto rotated = torch::cat({-x2, x1}, -1);
  return x * cos + rotated * sin;
}

}  // namespace z2z::model
