// parse_decoder_config: the base decoder's HF config.json -> DecoderConfig (Llama, Mistral, Qwen2, Phi3).
// Required fields are validated; unknown fields are ignored (HF configs carry many). Not the weights.
#include <array>

#include "core/model/format/configs.h"
#include "core/model/format/json_file.h"
#include "core/util/error.h"

namespace z2z::model {

namespace {

struct ArchName {
  Arch arch;
  std::string_view architecture, model_type;
};
constexpr std::array<ArchName, 4> kArchs{{{Arch::Llama, "LlamaForCausalLM", "llama"},
                                          {Arch::Mistral, "MistralForCausalLM", "mistral"},
                                          {Arch::Qwen2, "Qwen2ForCausalLM", "qwen2"},
                                          {Arch::Phi3, "Phi3ForCausalLM", "phi3"}}};
constexpr std::string_view kSupported =
    "LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, Phi3ForCausalLM (model_type llama, mistral, qwen2, phi3)";

void parse_arch(const JsonFields& f, DecoderConfig& c) {
  const std::string& file = f.file();
  if (const auto* a = f.get("architectures")) {
    if (!a->is_array() || a->empty() || !(*a)[0].is_string())
      f.invalid("architectures", "a non-empty array of strings");
    c.arch_name = (*a)[0].get<std::string>();
    for (const auto& k : kArchs)
      if (k.architecture == c.arch_name) return void(c.arch = k.arch);
    fail("{}: unsupported architecture '{}' (supported: {})", file, c.arch_name, kSupported);
  }
  if (auto mt = f.opt_string("model_type")) {
    c.arch_name = *mt;
    for (const auto& k : kArchs)
      if (k.model_type == c.arch_name) return void(c.arch = k.arch);
    fail("{}: unsupported model_type '{}' (supported: {})", file, c.arch_name, kSupported);
  }
  fail("{}: needs 'architectures' or 'model_type' to tell the architecture (supported: {})", file, kSupported);
}

void parse_rope_scaling(const JsonFields& top, DecoderConfig& c) {
  const auto* rs = top.get("rope_scaling");
  if (!rs) return;
  if (!rs->is_object()) top.invalid("rope_scaling", "an object or null");
  const JsonFields f = top.object("rope_scaling");
  RopeScaling& r = c.rope_scaling;
  // Newer transformers write "rope_type", older "type"; prefer rope_type when both are present.
  r.type = f.opt_string("rope_type").value_or(f.opt_string("type").value_or(""));
  if (r.type == "su") r.type = "longrope";
  if (r.type == "default") r.type = "";
  if (r.type != "" && r.type != "llama3" && r.type != "longrope" && r.type != "linear" && r.type != "dynamic")
    fail("{}: unsupported rope_scaling type '{}' (supported: llama3, longrope/su, linear, dynamic, default)",
         top.file(), r.type);
  r.factor = f.opt_positive_number("factor", 1.0);
  r.low_freq_factor = f.opt_positive_number("low_freq_factor", 1.0);
  r.high_freq_factor = f.opt_positive_number("high_freq_factor", 4.0);
  r.original_max_position_embeddings =
      f.opt_positive_int("original_max_position_embeddings").value_or(c.original_max_position_embeddings);
  r.short_factor = f.opt_number_list("short_factor");
  r.long_factor = f.opt_number_list("long_factor");
  r.attention_factor = f.opt_number("attention_factor");

  if ((r.type == "llama3" || r.type == "linear" || r.type == "dynamic") && !f.has("factor"))
    f.missing("factor", "a positive number");
  if (r.type == "llama3" && r.original_max_position_embeddings == 0)
    f.missing("original_max_position_embeddings", "a positive integer");
  if (r.type == "llama3" && !(r.high_freq_factor > r.low_freq_factor))
    fail("{}: rope_scaling: high_freq_factor ({}) must exceed low_freq_factor ({})", top.file(), r.high_freq_factor,
         r.low_freq_factor);
  if (r.type == "longrope") {
    const auto rotary = static_cast<std::size_t>(static_cast<double>(c.head_dim) * c.partial_rotary_factor);
    for (const char* key : {"short_factor", "long_factor"}) {
      const auto& v = std::string_view(key) == "short_factor" ? r.short_factor : r.long_factor;
      if (v.size() != rotary / 2)
        fail("{}: field 'rope_scaling.{}' must have {} entries (rotary dim / 2), got {}", top.file(), key, rotary / 2,
             v.size());
    }
  }
}

}  // namespace

std::string_view arch_name(Arch a) {
  for (const auto& k : kArchs)
    if (k.arch == a) return k.model_type;
  return "?";
}

DecoderConfig parse_decoder_config(const std::filesystem::path& config_json) {
  const nlohmann::json j = load_json_file(config_json);
  const std::string file = config_json.string();
  if (!j.is_object()) fail("{}: must be a JSON object", file);
  const JsonFields f(j, file);
  DecoderConfig c;
  parse_arch(f, c);

  c.vocab_size = f.positive_int("vocab_size");
  c.hidden_size = f.positive_int("hidden_size");
  c.intermediate_size = f.positive_int("intermediate_size");
  c.num_hidden_layers = f.positive_int("num_hidden_layers");
  c.num_attention_heads = f.positive_int("num_attention_heads");
  c.num_key_value_heads = f.opt_positive_int("num_key_value_heads").value_or(c.num_attention_heads);
  if (c.num_attention_heads % c.num_key_value_heads != 0)
    fail("{}: num_attention_heads ({}) must be a multiple of num_key_value_heads ({})", file, c.num_attention_heads,
         c.num_key_value_heads);
  if (auto hd = f.opt_positive_int("head_dim")) {
    c.head_dim = *hd;
  } else {
    if (c.hidden_size % c.num_attention_heads != 0)
      fail("{}: hidden_size ({}) is not a multiple of num_attention_heads ({}) and no head_dim is given", file,
           c.hidden_size, c.num_attention_heads);
    c.head_dim = c.hidden_size / c.num_attention_heads;
  }

  c.rms_norm_eps = f.opt_positive_number("rms_norm_eps", c.rms_norm_eps);
  c.rope_theta = f.opt_positive_number("rope_theta", c.rope_theta);
  c.max_position_embeddings = f.opt_positive_int("max_position_embeddings").value_or(0);
  c.original_max_position_embeddings = f.opt_positive_int("original_max_position_embeddings").value_or(0);
  c.partial_rotary_factor = f.opt_positive_number("partial_rotary_factor", 1.0);
  if (c.partial_rotary_factor > 1) f.invalid("partial_rotary_factor", "a number in (0, 1]");
  parse_rope_scaling(f, c);

  c.tie_word_embeddings = f.opt_bool("tie_word_embeddings", false);
  c.attention_bias = f.opt_bool("attention_bias", c.arch == Arch::Qwen2);
  c.hidden_act = f.opt_string("hidden_act").value_or("silu");
  c.torch_dtype = f.opt_string("torch_dtype").value_or(f.opt_string("dtype").value_or(""));

  if (const auto* eos = f.get("eos_token_id")) {
    if (eos->is_array())
      c.eos_token_ids = f.opt_nonneg_int_list("eos_token_id");
    else
      c.eos_token_ids = {*f.opt_nonneg_int("eos_token_id")};
  }
  c.bos_token_id = f.opt_nonneg_int("bos_token_id");
  c.pad_token_id = f.opt_nonneg_int("pad_token_id");
  c.sliding_window = f.opt_nonneg_int("sliding_window");
  if (c.sliding_window == 0) c.sliding_window.reset();  // some exports write 0 for "none"
  if (!f.opt_bool("use_sliding_window", true)) c.sliding_window.reset();
  return c;
}

}  // namespace z2z::model
