// to_f32 (widen F16/BF16/F64 tensors to f32) and make_tensor (f32 values -> bytes of a dtype).
// Element conversion only; reading files is safetensors_file.cpp, writing is safetensors_write.cpp.
#include <bit>
#include <cstring>

#include "core/model/format/half.h"
#include "core/model/format/safetensors.h"
#include "core/util/error.h"

namespace z2z::model {

static_assert(std::endian::native == std::endian::little, "safetensors data is little-endian");

void to_f32(const TensorView& t, float* out) {
  const std::size_t n = static_cast<std::size_t>(t.numel());
  const std::byte* p = t.data;
  switch (t.dtype) {
    case DType::F32:
      if (n) std::memcpy(out, p, n * 4);
      return;
    case DType::F64:
      for (std::size_t i = 0; i < n; ++i) {
        double d;
        std::memcpy(&d, p + 8 * i, 8);
        out[i] = static_cast<float>(d);
      }
      return;
    case DType::F16:
    case DType::BF16: {
      const bool bf = t.dtype == DType::BF16;
      for (std::size_t i = 0; i < n; ++i) {
        std::uint16_t h;
        std::memcpy(&h, p + 2 * i, 2);
        out[i] = bf ? half::bf16_to_f32(h) : half::f16_to_f32(h);
      }
      return;
    }
    default:
      fail("tensor '{}': cannot convert {} to f32 (only F32, F16, BF16, F64 are float dtypes)", t.name,
           dtype_name(t.dtype));
  }
}

std::vector<float> to_f32(const TensorView& t) {
  if (!is_float_dtype(t.dtype))
    fail("tensor '{}': cannot convert {} to f32 (only F32, F16, BF16, F64 are float dtypes)", t.name,
         dtype_name(t.dtype));
  std::vector<float> out(static_cast<std::size_t>(t.numel()));
  to_f32(t, out.data());
  return out;
}

TensorToWrite make_tensor(std::string name, DType dtype, std::vector<std::int64_t> shape,
                          std::span<const float> values) {
  std::int64_t n = 1;
  for (std::int64_t d : shape) {
    if (d < 0) fail("make_tensor '{}': negative dimension in shape {}", name, format_shape(shape));
    n *= d;
  }
  if (static_cast<std::size_t>(n) != values.size())
    fail("make_tensor '{}': shape {} needs {} values, got {}", name, format_shape(shape), n, values.size());
  if (!is_float_dtype(dtype))
    fail("make_tensor '{}': dtype must be F32, F16, BF16 or F64, got {}", name, dtype_name(dtype));
  TensorToWrite t{std::move(name), dtype, std::move(shape), {}};
  t.bytes.resize(values.size() * dtype_size(dtype));
  std::byte* out = t.bytes.data();
  for (std::size_t i = 0; i < values.size(); ++i) {
    switch (dtype) {
      case DType::F32:
        std::memcpy(out + 4 * i, &values[i], 4);
        break;
      case DType::F64: {
        const double d = values[i];
        std::memcpy(out + 8 * i, &d, 8);
        break;
      }
      case DType::F16:
      case DType::BF16: {
        const std::uint16_t h = dtype == DType::BF16 ? half::f32_to_bf16(values[i]) : half::f32_to_f16(values[i]);
        std::memcpy(out + 2 * i, &h, 2);
        break;
      }
      default:
        break;
    }
  }
  return t;
}

}  // namespace z2z::model
