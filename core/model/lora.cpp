// PEFT LoRA merge: base_model.model.<module>.lora_A[.default].weight [r, in] and lora_B [out, r]
// are folded into <module>.weight [out, in].
#include "core/model/lora.h"

#include "core/util/error.h"

namespace z2z::model {

int merge_lora(TensorMap& weights, const std::filesystem::path& adapter_file, const AdapterConfig& config) {
  const std::string where = adapter_file.string();
  if (config.r <= 0) fail("adapter_config.json: field 'r' must be a positive integer");
  const double scale = config.scaling();  // alpha / r (alpha / sqrt(r) with use_rslora)
  TensorStore store = TensorStore::open_file(adapter_file);
  int merged = 0;
  for (const std::string& name : store.names()) {
    std::string module;
    for (const char* suffix : {".lora_A.weight", ".lora_A.default.weight"}) {
      const std::string s(suffix);
      if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0)
        module = name.substr(0, name.size() - s.size());
    }
    if (module.empty()) {
      std::string b_module;
      for (const char* suffix : {".lora_B.weight", ".lora_B.default.weight"}) {
        const std::string s(suffix);
        if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0)
          b_module = name.substr(0, name.size() - s.size());
      }
      if (b_module.empty())
        fail("{}: tensor '{}' is not a LoRA weight (expected ...lora_A.weight / ...lora_B.weight)", where, name);
      if (!store.find(b_module + ".lora_A.weight") && !store.find(b_module + ".lora_A.default.weight"))
        fail("{}: '{}' has no matching lora_A tensor", where, name);
      continue;  // merged with its A
    }
    std::string b_name = module + ".lora_B.weight";
    if (!store.find(b_name)) b_name = module + ".lora_B.default.weight";
    if (!store.find(b_name)) fail("{}: '{}' has no matching lora_B tensor", where, name);
    std::string target = module;
    const std::string prefix = "base_model.model.";
    if (target.rfind(prefix, 0) == 0) target = target.substr(prefix.size());
    target += ".weight";
    auto it = weights.find(target);
    if (it == weights.end()) fail("{}: LoRA pair '{}' targets '{}', which the base model does not have", where, module, target);
    torch::Tensor A = to_torch_f32(store, name), B = to_torch_f32(store, b_name);
    torch::Tensor& W = it->second;
    if (A.dim() != 2 || B.dim() != 2 || A.size(0) != B.size(1) || B.size(0) != W.size(0) || A.size(1) != W.size(1))
      fail("{}: LoRA pair '{}' has shapes A {} and B {}, which do not fit '{}' {}", where, module, shape_str(A),
           shape_str(B), target, shape_str(W));
    W = W + scale * B.mm(A);
    ++merged;
  }
  return merged;
}

}  // namespace z2z::model
