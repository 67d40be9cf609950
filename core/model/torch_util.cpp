// Helpers shared by the engine: safetensors views -> torch tensors, shape checks.
#include "core/model/torch_util.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstring>
#include <unordered_map>

#include "core/model/weight_arena.h"
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

std::shared_ptr<WeightArena> move_into_arena(const std::vector<torch::Tensor*>& tensors) {
  // Tied weights are the same storage under two names: key by (data, bytes) so they stay one copy.
  auto key = [](const torch::Tensor& t) { return std::pair{t.data_ptr(), t.nbytes()}; };
  struct KeyHash {
    std::size_t operator()(const std::pair<void*, std::size_t>& k) const {
      return std::hash<void*>()(k.first) ^ (k.second * 0x9E3779B97F4A7C15ull);
    }
  };
  std::unordered_map<std::pair<void*, std::size_t>, torch::Tensor, KeyHash> copies;
  std::vector<torch::Tensor*> todo;
  std::size_t bytes = 0;
  for (torch::Tensor* t : tensors) {
    if (!t->defined() || !t->device().is_cpu() || !t->is_contiguous() || t->nbytes() == 0) continue;
    todo.push_back(t);
    if (copies.emplace(key(*t), torch::Tensor()).second) bytes += WeightArena::footprint(t->nbytes());
  }
  if (todo.empty()) return nullptr;
  auto arena = std::make_shared<WeightArena>(bytes);
  for (torch::Tensor* t : todo) {
    torch::Tensor& copy = copies.at(key(*t));
    if (!copy.defined()) {
      void* p = arena->take(t->nbytes());
      std::memcpy(p, t->data_ptr(), t->nbytes());
      copy = torch::from_blob(
          p, t->sizes(), [keep = arena](void*) {}, t->options());
    }
    *t = copy.view(t->sizes());
  }
  return arena;
}

}  // namespace z2z::model
