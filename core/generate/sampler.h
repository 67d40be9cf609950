// Sampler — picks the next index from joint logits: greedy (temperature 0), or temperature +
// top-k + top-p with a seeded RNG. Also reports the top-k candidates with probabilities
// (softmax at temperature 1 over the masked logits) for the views. Pure C++, no torch.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace z2z::gen {

struct SamplingParams {
  double temperature = 0.0;  // 0 = greedy (argmax; ties -> lowest index)
  std::int64_t top_k = 0;    // 0 = off
  double top_p = 1.0;        // 1 = off
  std::uint64_t seed = 0;
};

struct Ranked {
  std::int64_t index = 0;
  double prob = 0.0;  // model probability (temperature 1)
};

struct SampleResult {
  std::int64_t index = 0;
  double prob = 0.0;            // model probability of the chosen index
  std::vector<Ranked> top;      // the `report_k` most probable indices, descending
  double top_mass = 0.0;        // probability mass of `top`
  bool outside_top = false;     // the chosen index is not among `top`
};

class Sampler {
 public:
  explicit Sampler(SamplingParams params);
  // logits may contain -inf (masked). Throws z2z::Error if every logit is -inf or NaN.
  SampleResult sample(std::span<const float> logits, std::size_t report_k);
  const SamplingParams& params() const { return params_; }

 private:
  SamplingParams params_;
  std::mt19937_64 rng_;
  std::vector<std::int64_t> order_;
  std::vector<double> work_;
};

}  // namespace z2z::gen
