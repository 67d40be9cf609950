// Internal to z2z_engine: merge a PEFT LoRA adapter into HF-named f32 weights.
// Robust rule (reference §2.5): every lora_A/lora_B pair in the adapter file is merged,
// W += (lora_alpha / r) * B @ A, whatever target_modules says.
#pragma once

#include <filesystem>

#include "core/model/format/configs.h"
#include "core/model/torch_util.h"

namespace z2z::model {

// Returns the number of merged pairs. Errors name the adapter file and key.
int merge_lora(TensorMap& weights, const std::filesystem::path& adapter_file, const AdapterConfig& config);

}  // namespace z2z::model
