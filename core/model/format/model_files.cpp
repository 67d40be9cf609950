// resolve_model_dir: decide which files make up a model directory (plain HF base model, zip2zip v1
// adapter repo pointing at a base dir, or self-contained v2 export) and parse its configs. Checks that the
// files exist; does not open tensors (the engine does, with TensorStore).
#include <system_error>

#include "core/model/format/configs.h"
#include "core/util/error.h"

namespace z2z::model {

namespace fs = std::filesystem;

namespace {

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

std::optional<fs::path> first_file(std::initializer_list<fs::path> candidates) {
  for (const auto& p : candidates)
    if (is_file(p)) return p;
  return std::nullopt;
}

}  // namespace

ModelFiles resolve_model_dir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) fail("model directory '{}' does not exist", dir.string());
  if (!fs::is_directory(dir, ec)) fail("model path '{}' is not a directory", dir.string());

  ModelFiles m;
  m.dir = dir;
  m.base_dir = dir;
  const fs::path z2z_config = dir / "zip2zip_config.json";
  if (is_file(z2z_config)) {
    m.zip2zip = parse_zip2zip_config(z2z_config);
    m.warnings = m.zip2zip->warnings;
    m.base_dir = m.zip2zip->base_model_dir;
    if (!fs::is_directory(m.base_dir, ec))
      fail(
          "{}: base model directory '{}' not found (base_model_name_or_path '{}'; it must be a local directory, "
          "absolute or relative to '{}')",
          z2z_config.string(), m.base_dir.string(), m.zip2zip->base_model_name_or_path, dir.string());
    m.encoders_file = first_file({dir / "zip2zip_encoders.safetensors", dir / "encoders.safetensors"});
    if (!m.encoders_file)
      fail("{}: has zip2zip_config.json but no zip2zip_encoders.safetensors (or encoders.safetensors)", dir.string());
  }

  const fs::path adapter_config = dir / "adapter_config.json";
  const fs::path adapter_weights = dir / "adapter_model.safetensors";
  if (is_file(adapter_config)) {
    m.adapter = parse_adapter_config(adapter_config);
    if (!is_file(adapter_weights))
      fail(
          "{}: has adapter_config.json but no adapter_model.safetensors{}", dir.string(),
          is_file(dir / "adapter_model.bin") ? " (adapter_model.bin is not supported: convert it to safetensors)" : "");
    m.adapter_weights = adapter_weights;
  } else if (is_file(adapter_weights)) {
    fail("{}: has adapter_model.safetensors but no adapter_config.json (needed for r and lora_alpha)", dir.string());
  }

  const fs::path config = m.base_dir / "config.json";
  if (!is_file(config)) {
    if (!m.zip2zip)
      fail("{}: neither a zip2zip model (no zip2zip_config.json) nor a base model (no config.json)", dir.string());
    fail("{}: base model directory has no config.json (looked for '{}')", m.base_dir.string(), config.string());
  }
  m.decoder = parse_decoder_config(config);

  auto weights = first_file({m.base_dir / "model.safetensors", m.base_dir / "model.safetensors.index.json"});
  if (!weights)
    fail("{}: no model.safetensors or model.safetensors.index.json{}", m.base_dir.string(),
         is_file(m.base_dir / "pytorch_model.bin") || is_file(m.base_dir / "pytorch_model.bin.index.json")
             ? " (found pytorch_model.bin: only safetensors weights are supported)"
             : "");
  m.weights = *weights;

  if (m.zip2zip && m.zip2zip->compression.initial_vocab_size > m.decoder.vocab_size)
    fail("{}: compression.initial_vocab_size {} exceeds the decoder's vocab_size {} ({})", z2z_config.string(),
         m.zip2zip->compression.initial_vocab_size, m.decoder.vocab_size, config.string());

  m.tokenizer_json = first_file({dir / "tokenizer.json", m.base_dir / "tokenizer.json"});
  return m;
}

}  // namespace z2z::model
