// Bit-exact conversions between f32 and the 16-bit float formats (IEEE binary16 "F16" and bfloat16
// "BF16"), round-to-nearest-even, NaN stays NaN (quiet), overflow goes to ±inf, denormals handled.
// Scalar and header-only; no SIMD, no dependency. Not a general numeric library.
#pragma once

#include <bit>
#include <cstdint>

namespace z2z::model::half {

inline float bf16_to_f32(std::uint16_t h) { return std::bit_cast<float>(std::uint32_t{h} << 16); }

inline std::uint16_t f32_to_bf16(float f) {
  const std::uint32_t u = std::bit_cast<std::uint32_t>(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<std::uint16_t>((u >> 16) | 0x0040u);  // quiet NaN
  const std::uint32_t rounded = u + 0x7fffu + ((u >> 16) & 1u);  // ties to even; may carry into ±inf
  return static_cast<std::uint16_t>(rounded >> 16);
}

inline float f16_to_f32(std::uint16_t h) {
  const std::uint32_t sign = std::uint32_t{h & 0x8000u} << 16;
  const std::uint32_t exp = (h >> 10) & 0x1fu;
  const std::uint32_t mant = h & 0x3ffu;
  if (exp == 0) {  // zero or denormal: mant × 2^-24 is exact in f32
    const float mag = static_cast<float>(mant) * 5.9604644775390625e-8f;
    return std::bit_cast<float>(sign | std::bit_cast<std::uint32_t>(mag));
  }
  if (exp == 31) return std::bit_cast<float>(sign | 0x7f800000u | (mant << 13));  // inf / NaN
  return std::bit_cast<float>(sign | ((exp + 112u) << 23) | (mant << 13));
}

// F. Giesen's float_to_half_fast3_rtne (public domain), written with bit_cast.
inline std::uint16_t f32_to_f16(float f) {
  std::uint32_t u = std::bit_cast<std::uint32_t>(f);
  const std::uint32_t sign = u & 0x80000000u;
  u ^= sign;
  std::uint16_t out;
  if (u >= 0x47800000u) {  // >= 2^16 (or inf/NaN): inf, or quiet NaN
    out = u > 0x7f800000u ? 0x7e00u : 0x7c00u;
  } else if (u < 0x38800000u) {  // result is a denormal or zero: let the FPU round at 2^-24
    const float denorm_magic = 0.5f;
    const std::uint32_t r = std::bit_cast<std::uint32_t>(std::bit_cast<float>(u) + denorm_magic);
    out = static_cast<std::uint16_t>(r - std::bit_cast<std::uint32_t>(denorm_magic));
  } else {
    const std::uint32_t mant_odd = (u >> 13) & 1u;
    u += 0xc8000fffu;  // rebias exponent (15 - 127) << 23, plus rounding bias part 1
    u += mant_odd;     // rounding bias part 2 (ties to even)
    out = static_cast<std::uint16_t>(u >> 13);
  }
  return static_cast<std::uint16_t>(out | (sign >> 16));
}

}  // namespace z2z::model::half
