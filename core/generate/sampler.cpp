// Sampling over joint (base + hypertoken) logits.
#include "core/generate/sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/util/error.h"

namespace z2z::gen {

Sampler::Sampler(SamplingParams params) : params_(params), rng_(params.seed) {
  if (!(params_.temperature >= 0)) fail("sampling: temperature must be >= 0");
  if (params_.top_k < 0) fail("sampling: top_k must be >= 0");
  if (!(params_.top_p > 0 && params_.top_p <= 1)) fail("sampling: top_p must be in (0, 1]");
}

SampleResult Sampler::sample(std::span<const float> logits, std::size_t report_k) {
  const std::size_t n = logits.size();
  SampleResult r;
  // Softmax at temperature 1 (for reported probabilities).
  double mx = -std::numeric_limits<double>::infinity();
  std::size_t argmax = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = logits[i];
    if (v > mx) {
      mx = v;
      argmax = i;
    }
  }
  if (!std::isfinite(mx)) fail("sampling: no finite logit (every candidate is masked)");
  double z = 0;
  for (std::size_t i = 0; i < n; ++i) z += std::exp(static_cast<double>(logits[i]) - mx);
  auto prob = [&](std::size_t i) { return std::exp(static_cast<double>(logits[i]) - mx) / z; };

  // Top candidates for reporting.
  const std::size_t k = std::min(report_k, n);
  order_.resize(n);
  std::iota(order_.begin(), order_.end(), 0);
  auto by_logit = [&](std::int64_t a, std::int64_t b) {
    const float la = logits[static_cast<std::size_t>(a)], lb = logits[static_cast<std::size_t>(b)];
    return la != lb ? la > lb : a < b;
  };
  if (k > 0) {
    std::partial_sort(order_.begin(), order_.begin() + static_cast<std::ptrdiff_t>(k), order_.end(), by_logit);
    for (std::size_t i = 0; i < k; ++i) {
      const double p = prob(static_cast<std::size_t>(order_[i]));
      r.top.push_back({order_[i], p});
      r.top_mass += p;
    }
  }

  if (params_.temperature == 0.0) {
    r.index = static_cast<std::int64_t>(argmax);
  } else {
    // Candidates: top_k (or all), sorted by logit, then the top_p nucleus, then temperature.
    std::size_t m = params_.top_k > 0 ? std::min<std::size_t>(static_cast<std::size_t>(params_.top_k), n) : n;
    if (m == n && params_.top_p >= 1.0) {
      std::iota(order_.begin(), order_.end(), 0);  // plain temperature sampling: no sort needed
    } else if (m > k) std::partial_sort(order_.begin(), order_.begin() + static_cast<std::ptrdiff_t>(m), order_.end(), by_logit);
    work_.resize(m);
    const double inv_t = 1.0 / params_.temperature;
    double zt = 0;
    for (std::size_t i = 0; i < m; ++i) {
      const double v = logits[static_cast<std::size_t>(order_[i])];
      work_[i] = std::isfinite(v) ? std::exp((v - mx) * inv_t) : 0.0;
      zt += work_[i];
    }
    if (params_.top_p < 1.0) {
      double cum = 0;
      std::size_t keep = 0;
      while (keep < m) {
        cum += work_[keep] / zt;
        ++keep;
        if (cum >= params_.top_p) break;
      }
      m = keep;
      zt = 0;
      for (std::size_t i = 0; i < m; ++i) zt += work_[i];
    }
    std::uniform_real_distribution<double> u(0.0, zt);
    double x = u(rng_), acc = 0;
    std::size_t pick = m - 1;
    for (std::size_t i = 0; i < m; ++i) {
      acc += work_[i];
      if (x < acc && work_[i] > 0) {
        pick = i;
        break;
      }
    }
    r.index = order_[pick];
  }
  r.prob = prob(static_cast<std::size_t>(r.index));
  r.outside_top = std::none_of(r.top.begin(), r.top.end(), [&](const Ranked& c) { return c.index == r.index; });
  return r;
}

}  // namespace z2z::gen
