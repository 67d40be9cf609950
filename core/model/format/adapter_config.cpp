// parse_adapter_config: PEFT adapter_config.json (LoRA) -> AdapterConfig; rejects non-LoRA PEFT types and
// DoRA. Unknown fields are ignored (PEFT writes many). Not the adapter weights.
#include <cmath>

#include "core/model/format/configs.h"
#include "core/model/format/json_file.h"
#include "core/util/error.h"

namespace z2z::model {

double AdapterConfig::scaling() const {
  return use_rslora ? lora_alpha / std::sqrt(static_cast<double>(r)) : lora_alpha / static_cast<double>(r);
}

AdapterConfig parse_adapter_config(const std::filesystem::path& path) {
  const nlohmann::json j = load_json_file(path);
  const std::string file = path.string();
  if (!j.is_object()) fail("{}: must be a JSON object", file);
  const JsonFields f(j, file);
  if (auto type = f.opt_string("peft_type"); type && *type != "LORA")
    fail("{}: unsupported peft_type '{}' (only LORA adapters are supported)", file, *type);
  if (f.opt_bool("use_dora", false)) fail("{}: DoRA adapters (use_dora: true) are not supported", file);

  AdapterConfig a;
  a.r = f.positive_int("r");
  a.lora_alpha = f.opt_positive_number("lora_alpha", 0);
  if (a.lora_alpha == 0) f.missing("lora_alpha", "a positive number");
  a.use_rslora = f.opt_bool("use_rslora", false);
  a.base_model_name_or_path = f.opt_string("base_model_name_or_path").value_or("");
  if (const auto* t = f.get("target_modules")) {
    if (t->is_string()) {
      a.target_modules = {t->get<std::string>()};  // PEFT: a regex over module names
    } else if (t->is_array()) {
      for (const auto& m : *t) {
        if (!m.is_string()) f.invalid("target_modules", "a string or an array of strings");
        a.target_modules.push_back(m.get<std::string>());
      }
    } else {
      f.invalid("target_modules", "a string or an array of strings");
    }
  }
  return a;
}

}  // namespace z2z::model
