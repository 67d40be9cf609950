// Sampler: greedy ties, masking, top-k/top-p restrictions, seeded determinism, reported top-k.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>

#include "core/generate/generator.h"
#include "core/generate/sampler.h"
#include "core/util/error.h"

using namespace z2z::gen;

namespace {
constexpr float kNegInf = -std::numeric_limits<float>::infinity();
}

TEST(Sampler, GreedyPicksArgmaxLowestIndexOnTies) {
  Sampler s({});
  std::vector<float> logits{1.0f, 3.0f, 3.0f, -2.0f};
  SampleResult r = s.sample(logits, 2);
  EXPECT_EQ(r.index, 1);
  ASSERT_EQ(r.top.size(), 2u);
  EXPECT_EQ(r.top[0].index, 1);
  EXPECT_EQ(r.top[1].index, 2);
  double z = std::exp(1.0) + 2 * std::exp(3.0) + std::exp(-2.0);
  EXPECT_NEAR(r.prob, std::exp(3.0) / z, 1e-12);
  EXPECT_FALSE(r.outside_top);
}

TEST(Sampler, MaskedLogitsAreNeverSampled) {
  SamplingParams p;
  p.temperature = 2.0;
  p.seed = 3;
  Sampler s(p);
  std::vector<float> logits{0.0f, kNegInf, 0.0f, kNegInf};
  for (int i = 0; i < 2000; ++i) {
    auto r = s.sample(logits, 4);
    EXPECT_TRUE(r.index == 0 || r.index == 2);
  }
  std::vector<float> all_masked{kNegInf, kNegInf};
  EXPECT_THROW(s.sample(all_masked, 1), z2z::Error);
}

TEST(Sampler, TopKAndTopPRestrictTheSupport) {
  std::vector<float> logits{2.0f, 1.0f, 0.5f, 0.0f, -1.0f};
  SamplingParams k2;
  k2.temperature = 1.0;
  k2.top_k = 2;
  Sampler a(k2);
  SamplingParams p;
  p.temperature = 1.0;
  p.top_p = 0.5;  // softmax(2,1,.5,0,-1): p0 = 0.51 -> nucleus is {0}
  Sampler b(p);
  for (int i = 0; i < 2000; ++i) {
    auto ra = a.sample(logits, 0);
    EXPECT_LE(ra.index, 1);
    EXPECT_EQ(b.sample(logits, 0).index, 0);
  }
}

TEST(Sampler, SeededAndDistributionMatchesSoftmax) {
  std::vector<float> logits{std::log(0.5f), std::log(0.3f), std::log(0.2f)};
  SamplingParams p;
  p.temperature = 1.0;
  p.seed = 42;
  Sampler s1(p), s2(p);
  std::map<std::int64_t, int> counts;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    auto a = s1.sample(logits, 1), b = s2.sample(logits, 1);
    EXPECT_EQ(a.index, b.index);
    counts[a.index]++;
  }
  EXPECT_NEAR(counts[0] / double(n), 0.5, 0.02);
  EXPECT_NEAR(counts[1] / double(n), 0.3, 0.02);
  EXPECT_NEAR(counts[2] / double(n), 0.2, 0.02);
}

TEST(Sampler, RejectsBadParams) {
  SamplingParams p;
  p.top_p = 0.0;
  EXPECT_THROW(Sampler{p}, z2z::Error);
  p.top_p = 1.0;
  p.temperature = -1;
  EXPECT_THROW(Sampler{p}, z2z::Error);
}

TEST(Utf8, CompletePrefix) {
  EXPECT_EQ(complete_utf8_prefix("abc"), 3u);
  EXPECT_EQ(complete_utf8_prefix("ab\xE4\xB8"), 2u);       // 3-byte char missing its last byte
  EXPECT_EQ(complete_utf8_prefix("ab\xE4\xB8\xAD"), 5u);   // complete
  EXPECT_EQ(complete_utf8_prefix("\xF0\x9F\x98"), 0u);     // emoji missing a byte
  EXPECT_EQ(complete_utf8_prefix("\xF0\x9F\x98\x80"), 4u);
  EXPECT_EQ(complete_utf8_prefix(""), 0u);
}
