// f32 <-> F16/BF16 bit conversions (core/model/format/half.h) on hand-checked values: ties to even,
// overflow to inf, NaN stays NaN, denormals; plus an exhaustive F16 -> f32 -> F16 identity check.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>

#include "core/model/format/half.h"

using namespace z2z::model::half;

namespace {
float f(std::uint32_t bits) { return std::bit_cast<float>(bits); }
std::uint32_t bits(float x) { return std::bit_cast<std::uint32_t>(x); }
}  // namespace

TEST(Bf16, RoundsToNearestEven) {
  EXPECT_EQ(f32_to_bf16(1.0f), 0x3f80);
  EXPECT_EQ(f32_to_bf16(-2.0f), 0xc000);
  EXPECT_EQ(f32_to_bf16(f(0x3f808000)), 0x3f80);  // exactly halfway, even below -> down
  EXPECT_EQ(f32_to_bf16(f(0x3f818000)), 0x3f82);  // exactly halfway, odd below -> up
  EXPECT_EQ(f32_to_bf16(f(0x3f808001)), 0x3f81);  // just above halfway -> up
  EXPECT_EQ(f32_to_bf16(f(0x3f807fff)), 0x3f80);  // just below halfway -> down
  EXPECT_EQ(f32_to_bf16(3.14159265f), 0x4049);    // pi -> 3.140625
  EXPECT_EQ(f32_to_bf16(0.0f), 0x0000);
  EXPECT_EQ(f32_to_bf16(-0.0f), 0x8000);
}

TEST(Bf16, InfNanOverflow) {
  EXPECT_EQ(f32_to_bf16(std::numeric_limits<float>::infinity()), 0x7f80);
  EXPECT_EQ(f32_to_bf16(-std::numeric_limits<float>::infinity()), 0xff80);
  EXPECT_EQ(f32_to_bf16(std::numeric_limits<float>::max()), 0x7f80);  // rounds up into inf
  EXPECT_EQ(f32_to_bf16(f(0x7f7f7fff)), 0x7f7f);                      // largest that stays finite
  EXPECT_EQ(f32_to_bf16(std::numeric_limits<float>::quiet_NaN()), 0x7fc0);
  EXPECT_EQ(f32_to_bf16(f(0x7f800001)), 0x7fc0);  // signalling NaN must not become inf
  EXPECT_EQ(f32_to_bf16(f(0xffffffff)), 0xffff);  // NaN with all payload bits
  EXPECT_TRUE(std::isnan(bf16_to_f32(0x7fc0)));
  EXPECT_TRUE(std::isinf(bf16_to_f32(0xff80)));
}

TEST(Bf16, Denormals) {
  EXPECT_EQ(f32_to_bf16(f(0x00000001)), 0x0000);  // below half a bf16 ulp
  EXPECT_EQ(f32_to_bf16(f(0x00008000)), 0x0000);  // tie -> even (0)
  EXPECT_EQ(f32_to_bf16(f(0x00018000)), 0x0002);  // tie -> even (2)
  EXPECT_EQ(f32_to_bf16(f(0x0000c000)), 0x0001);
  EXPECT_EQ(bits(bf16_to_f32(0x0001)), 0x00010000u);  // smallest bf16 denormal is an f32 denormal
  EXPECT_EQ(f32_to_bf16(f(0x007fffff)), 0x0080);      // largest f32 denormal rounds to min normal
}

TEST(F16, RoundsToNearestEven) {
  EXPECT_EQ(f32_to_f16(1.0f), 0x3c00);
  EXPECT_EQ(f32_to_f16(-2.0f), 0xc000);
  EXPECT_EQ(f32_to_f16(65504.0f), 0x7bff);            // max finite
  EXPECT_EQ(f32_to_f16(65519.99f), 0x7bff);           // below the halfway point to 65536
  EXPECT_EQ(f32_to_f16(65520.0f), 0x7c00);            // halfway, rounds to even = inf
  EXPECT_EQ(f32_to_f16(1.0f + 1.0f / 2048), 0x3c00);  // tie, even below
  EXPECT_EQ(f32_to_f16(1.0f + 3.0f / 2048), 0x3c02);  // tie, odd below -> up
  EXPECT_EQ(f32_to_f16(0.1f), 0x2e66);
}

TEST(F16, DenormalsInfNan) {
  EXPECT_EQ(f32_to_f16(std::ldexp(1.0f, -24)), 0x0001);   // smallest denormal
  EXPECT_EQ(f32_to_f16(std::ldexp(1.0f, -25)), 0x0000);   // tie -> even 0
  EXPECT_EQ(f32_to_f16(std::ldexp(3.0f, -25)), 0x0002);   // 1.5 ulp tie -> 2
  EXPECT_EQ(f32_to_f16(std::ldexp(1.0f, -14)), 0x0400);   // min normal
  EXPECT_EQ(f32_to_f16(-std::ldexp(1.0f, -26)), 0x8000);  // underflow keeps sign
  EXPECT_EQ(f32_to_f16(std::numeric_limits<float>::infinity()), 0x7c00);
  EXPECT_EQ(f32_to_f16(-1e10f), 0xfc00);
  EXPECT_EQ(f32_to_f16(std::numeric_limits<float>::quiet_NaN()) & 0x7e00, 0x7e00);
  EXPECT_EQ(f16_to_f32(0x0001), std::ldexp(1.0f, -24));
  EXPECT_EQ(f16_to_f32(0x03ff), std::ldexp(1023.0f, -24));
  EXPECT_EQ(bits(f16_to_f32(0x8000)), 0x80000000u);
  EXPECT_TRUE(std::isnan(f16_to_f32(0x7e00)));
  EXPECT_TRUE(std::isinf(f16_to_f32(0xfc00)));
}

TEST(F16, EveryNonNanValueRoundTrips) {
  for (std::uint32_t h = 0; h < 0x10000; ++h) {
    const auto h16 = static_cast<std::uint16_t>(h);
    const float x = f16_to_f32(h16);
    if (std::isnan(x)) continue;
    ASSERT_EQ(f32_to_f16(x), h16) << std::hex << h;
  }
}

TEST(Bf16, EveryNonNanValueRoundTrips) {
  for (std::uint32_t h = 0; h < 0x10000; ++h) {
    const auto h16 = static_cast<std::uint16_t>(h);
    const float x = bf16_to_f32(h16);
    if (std::isnan(x)) continue;
    ASSERT_EQ(f32_to_bf16(x), h16) << std::hex << h;
  }
}
