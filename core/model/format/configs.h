// Model configuration files without libtorch: the base decoder's HF config.json, zip2zip_config.json
// (v1 and v2), PEFT adapter_config.json, and resolve_model_dir() — which files make up a model directory.
// Parsing + validation only (errors name file and field); no tensors are opened here and nothing is
// downloaded: base_model_name_or_path must resolve to a local directory. See docs/model-files.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace z2z::model {

enum class Arch { Llama, Mistral, Qwen2, Phi3 };
std::string_view arch_name(Arch);  // "llama", "mistral", "qwen2", "phi3"

struct RopeScaling {
  std::string type;  // "" (none / "default"), "llama3", "longrope" ("su" normalized), "linear", "dynamic"
  double factor = 1, low_freq_factor = 1, high_freq_factor = 4;
  // From rope_scaling, else copied from the config's top level (Phi-3 keeps it there); 0 = unknown.
  std::int64_t original_max_position_embeddings = 0;
  std::vector<double> short_factor, long_factor;  // longrope: rotary_dim/2 each (validated)
  std::optional<double> attention_factor;
};

struct DecoderConfig {  // HF config.json of the base decoder
  Arch arch = Arch::Llama;
  std::string arch_name;  // from "architectures"[0] or "model_type"
  std::int64_t vocab_size = 0, hidden_size = 0, intermediate_size = 0, num_hidden_layers = 0, num_attention_heads = 0,
               num_key_value_heads = 0, head_dim = 0;
  double rms_norm_eps = 1e-6, rope_theta = 10000;
  RopeScaling rope_scaling;
  std::int64_t max_position_embeddings = 0, original_max_position_embeddings = 0;  // Phi3: latter at top level
  double partial_rotary_factor = 1.0;  // Phi-4-mini style partial RoPE (fraction of head_dim rotated)
  bool tie_word_embeddings = false;
  bool attention_bias = false;  // Qwen2: true unless the config says otherwise (q/k/v bias, no o bias)
  std::string hidden_act = "silu";
  std::string torch_dtype;                  // "torch_dtype" or newer "dtype"; "" if absent
  std::vector<std::int64_t> eos_token_ids;  // eos_token_id may be an int or a list
  std::optional<std::int64_t> bos_token_id, pad_token_id;
  std::optional<std::int64_t> sliding_window;  // nullopt when null or when use_sliding_window is false
};
DecoderConfig parse_decoder_config(const std::filesystem::path& config_json);

struct EncoderConfig {  // zip2zip_config.json "encoder" (fields per reference §2.2)
  std::int64_t hidden_size = 0;
  std::optional<std::int64_t> model_hidden_size;  // res_latent_attn Dm; nullopt (null/absent) means = hidden_size
  std::optional<std::int64_t> intermediate_size;  // nullopt (null/absent) means 4 * hidden_size
  std::int64_t num_hidden_layers = 1, num_heads = 1;
  std::string position_encoding;  // "learnable" or "" (null/absent)
  // Parsed for every encoder_type even where the type ignores them (e.g. causal for transformer).
  bool tie_encoders = false, causal = false, residual = false, use_cls_token = false;

  std::int64_t intermediate() const { return intermediate_size.value_or(4 * hidden_size); }
  std::int64_t model_hidden() const { return model_hidden_size.value_or(hidden_size); }
};

struct CompressionSpec {
  std::int64_t initial_vocab_size = 0, max_codebook_size = 0, max_subtokens = 0;  // V > 0, K >= 0, S >= 1
  std::vector<std::int64_t> disabled_ids;
};

struct Zip2ZipConfig {
  int format_version = 1;
  std::string base_model_name_or_path;
  // Resolved: absolute as given, else relative to the adapter dir ("." = the adapter dir); lexically normal.
  std::filesystem::path base_model_dir;
  std::string encoder_type;  // "transformer" | "res_latent_attn" | "attention" | "average"
  EncoderConfig encoder;
  CompressionSpec compression;
  std::string position_mode = "consecutive";  // or "base_token_end"
  std::vector<std::string> warnings;          // e.g. unknown fields (accepted and ignored)
};
Zip2ZipConfig parse_zip2zip_config(const std::filesystem::path& zip2zip_config_json);

struct AdapterConfig {  // PEFT adapter_config.json (LoRA only)
  std::int64_t r = 0;
  double lora_alpha = 0;
  std::vector<std::string> target_modules;  // informative: merge every lora_A/lora_B pair present (§2.5)
  std::string base_model_name_or_path;
  bool use_rslora = false;

  double scaling() const;  // lora_alpha / r, or lora_alpha / sqrt(r) with use_rslora
};
AdapterConfig parse_adapter_config(const std::filesystem::path& adapter_config_json);

// A model directory as the engine sees it.
struct ModelFiles {
  std::filesystem::path dir;             // the directory the user gave
  std::optional<Zip2ZipConfig> zip2zip;  // absent: plain base model
  std::filesystem::path base_dir;        // where config.json + model weights live
  DecoderConfig decoder;
  std::filesystem::path weights;  // base_dir/model.safetensors or base_dir/model.safetensors.index.json
  std::optional<std::filesystem::path> encoders_file;  // zip2zip_encoders.safetensors or alias encoders.safetensors
  std::optional<AdapterConfig> adapter;
  std::optional<std::filesystem::path> adapter_weights;  // adapter_model.safetensors
  std::optional<std::filesystem::path> tokenizer_json;   // dir/tokenizer.json else base_dir/tokenizer.json
  std::vector<std::string> warnings;                     // from zip2zip_config.json
};
ModelFiles resolve_model_dir(const std::filesystem::path& dir);

}  // namespace z2z::model
