// parse_zip2zip_config (v1 relative base path, v2 "."), parse_adapter_config, and their error messages.
#include <gtest/gtest.h>

#include "core/model/format/configs.h"
#include "format_test_util.h"

using namespace z2z::model;
using z2z::test::expect_error;
using z2z::test::TempDir;
using z2z::test::write_file;

namespace {

// The v0.1 Phi-3.5 adapter's config as the reference describes it (§4.2), base path made local.
const char* kV1 = R"({
  "base_model_name_or_path": "../Phi-3.5-mini-instruct",
  "compression": {"disabled_ids": [0, 1, 2, 32000, 32001, 32002, 32003, 32004, 32005, 32006, 32007, 32008,
                                   32009, 32010],
                  "initial_vocab_size": 32011, "max_codebook_size": 2048, "max_subtokens": 4},
  "encoder": {"hidden_size": 3072, "intermediate_size": null, "num_heads": 32, "num_hidden_layers": 2,
              "position_encoding": "learnable", "tie_encoders": false},
  "encoder_type": "transformer"
})";

const char* kV2 = R"({
  "format_version": 2, "base_model_name_or_path": ".", "position_mode": "base_token_end",
  "encoder_type": "res_latent_attn",
  "encoder": {"hidden_size": 512, "model_hidden_size": 2048, "num_hidden_layers": 2, "num_heads": 8,
              "intermediate_size": 2048, "causal": true, "residual": true, "tie_encoders": false,
              "position_encoding": null},
  "compression": {"initial_vocab_size": 128256, "max_codebook_size": 4096, "max_subtokens": 4,
                  "disabled_ids": [128000, 128001]}
})";

Zip2ZipConfig parse_at(const std::filesystem::path& file, const std::string& json) {
  write_file(file, json);
  return parse_zip2zip_config(file);
}

}  // namespace

TEST(Zip2ZipConfig, V1WithRelativeBasePath) {
  TempDir tmp;
  const auto c = parse_at(tmp / "adapter" / "zip2zip_config.json", kV1);
  EXPECT_EQ(c.format_version, 1);
  EXPECT_EQ(c.base_model_name_or_path, "../Phi-3.5-mini-instruct");
  EXPECT_EQ(c.base_model_dir, tmp / "Phi-3.5-mini-instruct");
  EXPECT_EQ(c.encoder_type, "transformer");
  EXPECT_EQ(c.encoder.hidden_size, 3072);
  EXPECT_EQ(c.encoder.intermediate_size, std::nullopt);
  EXPECT_EQ(c.encoder.intermediate(), 4 * 3072);
  EXPECT_EQ(c.encoder.model_hidden(), 3072);
  EXPECT_EQ(c.encoder.num_heads, 32);
  EXPECT_EQ(c.encoder.num_hidden_layers, 2);
  EXPECT_EQ(c.encoder.position_encoding, "learnable");
  EXPECT_FALSE(c.encoder.tie_encoders);
  EXPECT_EQ(c.compression.initial_vocab_size, 32011);
  EXPECT_EQ(c.compression.max_codebook_size, 2048);
  EXPECT_EQ(c.compression.max_subtokens, 4);
  EXPECT_EQ(c.compression.disabled_ids.size(), 14u);
  EXPECT_EQ(c.position_mode, "consecutive");
  EXPECT_TRUE(c.warnings.empty());
}

TEST(Zip2ZipConfig, V2SelfContained) {
  TempDir tmp;
  const auto c = parse_at(tmp / "export" / "zip2zip_config.json", kV2);
  EXPECT_EQ(c.format_version, 2);
  EXPECT_EQ(c.base_model_dir, tmp / "export");
  EXPECT_EQ(c.encoder_type, "res_latent_attn");
  EXPECT_EQ(c.encoder.model_hidden_size, 2048);
  EXPECT_EQ(c.encoder.intermediate_size, 2048);
  EXPECT_TRUE(c.encoder.causal);
  EXPECT_TRUE(c.encoder.residual);
  EXPECT_EQ(c.encoder.position_encoding, "");
  EXPECT_EQ(c.position_mode, "base_token_end");
}

TEST(Zip2ZipConfig, AbsoluteBaseAndUnknownFieldsWarn) {
  TempDir tmp;
  std::string json = kV1;
  json.replace(json.find("../Phi-3.5-mini-instruct"), 24, "/models/phi/");
  json.insert(1, R"("future_field": 1, )");
  json.insert(json.find("\"hidden_size\""), R"("dropout": 0.1, )");
  const auto c = parse_at(tmp / "zip2zip_config.json", json);
  EXPECT_EQ(c.base_model_dir, std::filesystem::path("/models/phi"));
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_NE(c.warnings[0].find("unknown field 'encoder.dropout' ignored"), std::string::npos) << c.warnings[0];
  EXPECT_NE(c.warnings[1].find("zip2zip_config.json: unknown field 'future_field' ignored"), std::string::npos);
}

TEST(Zip2ZipConfig, Errors) {
  TempDir tmp;
  auto replaced = [](std::string json, std::string_view from, std::string_view to) {
    json.replace(json.find(from), from.size(), to);
    return json;
  };
  struct Case {
    const char* label;
    std::string json;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {"unknown encoder_type", replaced(kV1, "\"transformer\"", "\"lstm\""),
       "zip2zip_config.json: unknown encoder_type 'lstm' (supported: transformer, res_latent_attn, attention, "
       "average)"},
      {"format_version 3", replaced(kV2, "\"format_version\": 2", "\"format_version\": 3"),
       "unsupported format_version 3 (supported: 1, 2)"},
      {"position_mode", replaced(kV2, "base_token_end", "absolute"),
       "unsupported position_mode 'absolute' (supported: consecutive, base_token_end)"},
      {"V zero", replaced(kV1, "\"initial_vocab_size\": 32011", "\"initial_vocab_size\": 0"),
       "field 'compression.initial_vocab_size' must be a positive integer, got 0"},
      {"K negative", replaced(kV1, "\"max_codebook_size\": 2048", "\"max_codebook_size\": -1"),
       "field 'compression.max_codebook_size' must be a non-negative integer, got -1"},
      {"S zero", replaced(kV1, "\"max_subtokens\": 4", "\"max_subtokens\": 0"),
       "field 'compression.max_subtokens' must be a positive integer, got 0"},
      {"disabled ids wrong", replaced(kV1, "[0, 1, 2,", "[-1, 1, 2,"),
       "field 'compression.disabled_ids' must be an array of non-negative integers"},
      {"no compression", replaced(kV1, "\"compression\"", "\"compressio\""),
       "zip2zip_config.json: missing field 'compression' (must be an object)"},
      {"encoder hidden missing", replaced(kV1, "\"hidden_size\": 3072", "\"hidden\": 3072"),
       "missing field 'encoder.hidden_size' (must be a positive integer)"},
      {"heads do not divide", replaced(kV1, "\"num_heads\": 32", "\"num_heads\": 7"),
       "encoder.hidden_size (3072) must be a multiple of encoder.num_heads (7)"},
      {"position_encoding", replaced(kV1, "\"learnable\"", "\"rotary\""),
       "field 'encoder.position_encoding' must be \"learnable\" or null, got \"rotary\""},
      {"tie wrong type", replaced(kV1, "\"tie_encoders\": false", "\"tie_encoders\": 0"),
       "field 'encoder.tie_encoders' must be true or false, got 0"},
      {"base empty", replaced(kV1, "\"../Phi-3.5-mini-instruct\"", "\"\""),
       "field 'base_model_name_or_path' must be a non-empty path"},
      {"base missing", replaced(kV1, "\"base_model_name_or_path\"", "\"base\""),
       "missing field 'base_model_name_or_path' (must be a string)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    expect_error([&] { parse_at(tmp / "zip2zip_config.json", c.json); }, c.expected);
  }
}

TEST(AdapterConfig, PeftLora) {
  TempDir tmp;
  write_file(tmp / "adapter_config.json", R"({"alpha_pattern": {}, "base_model_name_or_path":
    "microsoft/Phi-3.5-mini-instruct", "bias": "none", "fan_in_fan_out": false, "lora_alpha": 32,
    "lora_dropout": 0.0, "peft_type": "LORA", "r": 32, "target_modules": ["qkv_proj", "o_proj", "gate_up_proj",
    "down_proj"], "task_type": "CAUSAL_LM", "use_dora": false, "use_rslora": false})");
  const auto a = parse_adapter_config(tmp / "adapter_config.json");
  EXPECT_EQ(a.r, 32);
  EXPECT_DOUBLE_EQ(a.lora_alpha, 32);
  EXPECT_DOUBLE_EQ(a.scaling(), 1.0);
  EXPECT_EQ(a.target_modules.size(), 4u);
  EXPECT_EQ(a.base_model_name_or_path, "microsoft/Phi-3.5-mini-instruct");

  write_file(tmp / "adapter_config.json", R"({"r": 16, "lora_alpha": 8, "use_rslora": true,
    "target_modules": ".*proj"})");
  const auto b = parse_adapter_config(tmp / "adapter_config.json");
  EXPECT_DOUBLE_EQ(b.scaling(), 2.0);  // 8 / sqrt(16)
  EXPECT_EQ(b.target_modules, std::vector<std::string>{".*proj"});

  const std::vector<std::pair<const char*, const char*>> bad = {
      {R"({"lora_alpha": 8})", "adapter_config.json: missing field 'r' (must be a positive integer)"},
      {R"({"r": 8})", "missing field 'lora_alpha' (must be a positive number)"},
      {R"({"r": 8, "lora_alpha": 8, "peft_type": "IA3"})", "unsupported peft_type 'IA3' (only LORA"},
      {R"({"r": 8, "lora_alpha": 8, "use_dora": true})", "DoRA adapters (use_dora: true) are not supported"},
      {R"({"r": 8, "lora_alpha": 8, "target_modules": [1]})",
       "field 'target_modules' must be a string or an array of strings"},
  };
  for (const auto& [json, expected] : bad) {
    SCOPED_TRACE(json);
    write_file(tmp / "adapter_config.json", json);
    expect_error([&] { parse_adapter_config(tmp / "adapter_config.json"); }, expected);
  }
}
