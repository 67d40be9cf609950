// resolve_model_dir on the three layouts (plain HF base model, zip2zip v1 adapter + separate base dir,
// self-contained v2 export) and its errors (missing dir, base dir missing names the resolved path, ...).
#include <gtest/gtest.h>

#include "core/model/format/configs.h"
#include "core/model/format/safetensors.h"
#include "format_test_util.h"

using namespace z2z::model;
using z2z::test::expect_error;
using z2z::test::TempDir;
using z2z::test::write_file;
namespace fs = std::filesystem;

namespace {

const char* kTinyLlama = R"({"architectures": ["LlamaForCausalLM"], "vocab_size": 300, "hidden_size": 16,
  "intermediate_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2, "eos_token_id": 2})";

void write_base(const fs::path& dir, bool weights = true) {
  write_file(dir / "config.json", kTinyLlama);
  std::vector<float> v(16, 1.0f);
  if (weights) write_safetensors(dir / "model.safetensors", {make_tensor("model.norm.weight", DType::F32, {16}, v)});
}

std::string z2z_config(const std::string& base, int version = 1, int vocab = 259) {
  return fmt::format(R"({{"format_version": {}, "base_model_name_or_path": "{}", "encoder_type": "transformer",
    "encoder": {{"hidden_size": 16, "num_heads": 2}},
    "compression": {{"initial_vocab_size": {}, "max_codebook_size": 64, "max_subtokens": 4}}}})",
                     version, base, vocab);
}

void write_encoders(const fs::path& file) {
  std::vector<float> v(64, 0.5f);
  write_safetensors(file, {make_tensor("input_encoder.pos_embed.weight", DType::F32, {4, 16}, v)});
}

}  // namespace

TEST(ModelFiles, PlainBaseModel) {
  TempDir tmp;
  write_base(tmp.path());
  write_file(tmp / "tokenizer.json", "{}");
  const ModelFiles m = resolve_model_dir(tmp.path());
  EXPECT_FALSE(m.zip2zip);
  EXPECT_EQ(m.base_dir, tmp.path());
  EXPECT_EQ(m.decoder.hidden_size, 16);
  EXPECT_EQ(m.weights, tmp / "model.safetensors");
  EXPECT_EQ(m.tokenizer_json, tmp / "tokenizer.json");
  EXPECT_FALSE(m.encoders_file);
  EXPECT_FALSE(m.adapter);
}

TEST(ModelFiles, V1AdapterWithRelativeBaseAndPeft) {
  TempDir tmp;
  write_base(tmp / "base");
  write_file(tmp / "base" / "tokenizer.json", "{}");
  const fs::path a = tmp / "adapter";
  write_file(a / "zip2zip_config.json", z2z_config("../base"));
  write_encoders(a / "encoders.safetensors");  // the accepted alias
  write_file(a / "adapter_config.json", R"({"r": 4, "lora_alpha": 8, "peft_type": "LORA"})");
  write_safetensors(a / "adapter_model.safetensors", {});
  const ModelFiles m = resolve_model_dir(a);
  ASSERT_TRUE(m.zip2zip);
  EXPECT_EQ(m.base_dir, tmp / "base");
  EXPECT_EQ(m.encoders_file, a / "encoders.safetensors");
  ASSERT_TRUE(m.adapter);
  EXPECT_DOUBLE_EQ(m.adapter->scaling(), 2.0);
  EXPECT_EQ(m.adapter_weights, a / "adapter_model.safetensors");
  EXPECT_EQ(m.tokenizer_json, tmp / "base" / "tokenizer.json");  // falls back to the base dir
  EXPECT_EQ(m.weights, tmp / "base" / "model.safetensors");

  write_encoders(a / "zip2zip_encoders.safetensors");  // the canonical name wins over the alias
  EXPECT_EQ(resolve_model_dir(a).encoders_file, a / "zip2zip_encoders.safetensors");
}

TEST(ModelFiles, V2SelfContainedSharded) {
  TempDir tmp;
  write_base(tmp.path(), /*weights=*/false);
  write_file(tmp / "model.safetensors.index.json", R"({"weight_map": {}})");
  write_file(tmp / "zip2zip_config.json", z2z_config(".", 2, 300));
  write_encoders(tmp / "zip2zip_encoders.safetensors");
  write_file(tmp / "tokenizer.json", "{}");
  const ModelFiles m = resolve_model_dir(tmp.path());
  ASSERT_TRUE(m.zip2zip);
  EXPECT_EQ(m.zip2zip->format_version, 2);
  EXPECT_EQ(m.base_dir, fs::absolute(tmp.path()));
  EXPECT_EQ(m.weights, m.base_dir / "model.safetensors.index.json");
  EXPECT_EQ(m.tokenizer_json, tmp / "tokenizer.json");
}

TEST(ModelFiles, Errors) {
  TempDir tmp;
  expect_error([&] { resolve_model_dir(tmp / "nope"); },
               "model directory '" + (tmp / "nope").string() + "' does not exist");
  write_file(tmp / "file", "x");
  expect_error([&] { resolve_model_dir(tmp / "file"); }, "is not a directory");

  const fs::path empty = tmp / "empty";
  fs::create_directories(empty);
  expect_error([&] { resolve_model_dir(empty); },
               "neither a zip2zip model (no zip2zip_config.json) nor a base model (no config.json)");

  const fs::path a = tmp / "adapter";
  write_file(a / "zip2zip_config.json", z2z_config("../missing-base"));
  expect_error([&] { resolve_model_dir(a); }, "base model directory '" + (tmp / "missing-base").string() +
                                                  "' not found (base_model_name_or_path "
                                                  "'../missing-base'");

  write_file(a / "zip2zip_config.json", z2z_config("microsoft/Phi-3.5-mini-instruct"));
  expect_error([&] { resolve_model_dir(a); },
               "base model directory '" + (a / "microsoft/Phi-3.5-mini-instruct").string() + "' not found");

  write_base(tmp / "base");
  write_file(a / "zip2zip_config.json", z2z_config("../base"));
  expect_error([&] { resolve_model_dir(a); },
               "has zip2zip_config.json but no zip2zip_encoders.safetensors (or encoders.safetensors)");

  write_encoders(a / "zip2zip_encoders.safetensors");
  write_file(a / "adapter_config.json", R"({"r": 4, "lora_alpha": 8})");
  expect_error([&] { resolve_model_dir(a); }, "has adapter_config.json but no adapter_model.safetensors");
  fs::remove(a / "adapter_config.json");
  write_safetensors(a / "adapter_model.safetensors", {});
  expect_error([&] { resolve_model_dir(a); }, "has adapter_model.safetensors but no adapter_config.json");
  fs::remove(a / "adapter_model.safetensors");

  write_file(a / "zip2zip_config.json", z2z_config("../base", 1, 301));
  expect_error([&] { resolve_model_dir(a); },
               "compression.initial_vocab_size 301 exceeds the decoder's vocab_size 300");

  const fs::path nw = tmp / "noweights";
  write_base(nw, /*weights=*/false);
  write_file(nw / "pytorch_model.bin", "x");
  expect_error([&] { resolve_model_dir(nw); },
               "no model.safetensors or model.safetensors.index.json (found pytorch_model.bin: only safetensors");

  const fs::path nc = tmp / "noconfig";
  write_file(nc / "zip2zip_config.json", z2z_config("."));
  write_encoders(nc / "zip2zip_encoders.safetensors");
  expect_error([&] { resolve_model_dir(nc); }, "base model directory has no config.json (looked for '");
}
