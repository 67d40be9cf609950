// Internal to z2z_engine (includes libtorch): helpers shared by the engine's .cpp files.
// Never include this from core/ headers that non-engine code sees.
#pragma once

#include <torch/torch.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/model/format/safetensors.h"

namespace z2z::model {

// Copy a safetensors view into a new f32 CPU tensor (F32/F16/BF16/F64 are widened/narrowed to f32).
torch::Tensor to_torch_f32(const TensorView& view);

// Tensor `name` of `store` as a new f32 CPU tensor; a non-float dtype is an error naming the file.
torch::Tensor to_torch_f32(const TensorStore& store, const std::string& name);

// Shape check with a clear error naming the file and tensor.
void expect_shape(const torch::Tensor& t, std::initializer_list<std::int64_t> shape, const std::string& what);

// A named set of f32 tensors (HF key -> tensor), e.g. all weights of a decoder.
using TensorMap = std::map<std::string, torch::Tensor>;

torch::Tensor take(TensorMap& m, const std::string& key, const std::string& where);
std::string shape_str(const torch::Tensor& t);

class WeightArena;
// Copies the defined, contiguous CPU tensors among `tensors` into one new WeightArena (2 MiB pages
// where the kernel allows) and points each at its copy; tensors that shared storage (tied weights)
// share one copy. The tensors keep the arena alive. Returns it (null when there was nothing to move).
// Throws z2z::Error, with every tensor unchanged, when the arena cannot be mapped.
std::shared_ptr<WeightArena> move_into_arena(const std::vector<torch::Tensor*>& tensors);

}  // namespace z2z::model
