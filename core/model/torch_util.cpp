// Helpers shared by the engine: safetensors views -> torch tensors, shape checks.
#include "core/model/torch_util.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/util/error.h"

namespace z2z::model {

torch::Tensor to_torch_f32(const TensorView& view) {
  std::vector<std::int64_t> shape(view.shape.begin(), view.shape.end());
  torch::Tensor out = torch::empty(shape, torch::kFloat32);
  if (view.numel() > 0) to_f32(view, out.data_ptr<float>());
  return out;
}

torch::Tensor to_torch_f32(const TensorStore& store, const std::string& name) {
  const TensorView& view = store.at(name);
  if (!is_float_dtype(view.dtype))
    fail("{}: tensor '{}' has dtype {}; weights must be F32, F16, BF16 or F64", store.file_of(name), name,
         dtype_name(view.dtype));
  return to_torch_f32(view);
}

std::string shape_str(const torch::Tensor& t) { return fmt::format("[{}]", fmt::join(t.sizes(), ", ")); }

void expect_shape(const torch::Tensor& t, std::initializer_list<std::int64_t> shape, const std::string& what) {
  std::vector<std::int64_t> want(shape);
  if (t.sizes().vec() != want) fail("{}: shape {} but expected [{}]", what, shape_str(t), fmt::join(want, ", "));
}

torch::Tensor take(TensorMap& m, const std::string& key, const std::string& where) {
  auto it = m.find(key);
  if (it == m.end()) fail("{}: missing tensor '{}'", where, key);
  torch::Tensor t = it->second;
  m.erase(it);
  return t;
}

}  // namespace z2z::model
