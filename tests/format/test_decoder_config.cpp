// parse_decoder_config on real-shaped HF config.json files (Llama 3.1 with llama3 rope scaling, Qwen2,
// Phi-3.5 with longrope and legacy "su", Mistral) and on broken ones (missing/wrong fields, unknown arch).
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/model/format/configs.h"
#include "format_test_util.h"

using namespace z2z::model;
using z2z::test::expect_error;
using z2z::test::TempDir;
using z2z::test::write_file;

namespace {

std::string factors(int n, double v) {
  std::vector<double> f;
  for (int i = 0; i < n; ++i) f.push_back(v + i * 0.01);
  return fmt::format("[{}]", fmt::join(f, ","));
}

DecoderConfig parse(const TempDir& tmp, const std::string& json) {
  write_file(tmp / "config.json", json);
  return parse_decoder_config(tmp / "config.json");
}

const char* kLlama31 = R"({
  "architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
  "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009], "hidden_act": "silu",
  "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 14336, "max_position_embeddings": 131072,
  "mlp_bias": false, "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 32,
  "num_key_value_heads": 8, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
  "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                   "original_max_position_embeddings": 8192, "rope_type": "llama3"},
  "rope_theta": 500000.0, "tie_word_embeddings": false, "torch_dtype": "bfloat16",
  "transformers_version": "4.43.0.dev0", "use_cache": true, "vocab_size": 128256})";

}  // namespace

TEST(DecoderConfig, Llama31WithLlama3RopeScaling) {
  TempDir tmp;
  const auto c = parse(tmp, kLlama31);
  EXPECT_EQ(c.arch, Arch::Llama);
  EXPECT_EQ(c.arch_name, "LlamaForCausalLM");
  EXPECT_EQ(c.vocab_size, 128256);
  EXPECT_EQ(c.hidden_size, 4096);
  EXPECT_EQ(c.intermediate_size, 14336);
  EXPECT_EQ(c.num_hidden_layers, 32);
  EXPECT_EQ(c.num_attention_heads, 32);
  EXPECT_EQ(c.num_key_value_heads, 8);
  EXPECT_EQ(c.head_dim, 128);
  EXPECT_DOUBLE_EQ(c.rms_norm_eps, 1e-5);
  EXPECT_DOUBLE_EQ(c.rope_theta, 500000.0);
  EXPECT_EQ(c.rope_scaling.type, "llama3");
  EXPECT_DOUBLE_EQ(c.rope_scaling.factor, 8.0);
  EXPECT_DOUBLE_EQ(c.rope_scaling.low_freq_factor, 1.0);
  EXPECT_DOUBLE_EQ(c.rope_scaling.high_freq_factor, 4.0);
  EXPECT_EQ(c.rope_scaling.original_max_position_embeddings, 8192);
  EXPECT_EQ(c.max_position_embeddings, 131072);
  EXPECT_FALSE(c.tie_word_embeddings);
  EXPECT_FALSE(c.attention_bias);
  EXPECT_EQ(c.torch_dtype, "bfloat16");
  EXPECT_EQ(c.eos_token_ids, (std::vector<std::int64_t>{128001, 128008, 128009}));
  EXPECT_EQ(c.bos_token_id, 128000);
  EXPECT_EQ(c.pad_token_id, std::nullopt);
  EXPECT_EQ(c.sliding_window, std::nullopt);
  EXPECT_EQ(arch_name(c.arch), "llama");
}

TEST(DecoderConfig, Llama32TiedWithHeadDimAndOldTypeKey) {
  TempDir tmp;
  const auto c = parse(tmp, R"({"architectures": ["LlamaForCausalLM"], "vocab_size": 128256, "hidden_size": 2048,
    "intermediate_size": 8192, "num_hidden_layers": 16, "num_attention_heads": 32, "num_key_value_heads": 8,
    "head_dim": 64, "tie_word_embeddings": true, "eos_token_id": 128009,
    "rope_scaling": {"type": "llama3", "factor": 32.0, "original_max_position_embeddings": 8192}})");
  EXPECT_EQ(c.head_dim, 64);
  EXPECT_TRUE(c.tie_word_embeddings);
  EXPECT_EQ(c.eos_token_ids, (std::vector<std::int64_t>{128009}));
  EXPECT_EQ(c.rope_scaling.type, "llama3");
  EXPECT_DOUBLE_EQ(c.rope_scaling.factor, 32.0);
  EXPECT_DOUBLE_EQ(c.rope_scaling.high_freq_factor, 4.0);  // default
  EXPECT_DOUBLE_EQ(c.rms_norm_eps, 1e-6);                  // default
}

TEST(DecoderConfig, Qwen2DefaultsToQkvBiasAndDropsDisabledSlidingWindow) {
  TempDir tmp;
  const auto c = parse(tmp, R"({"architectures": ["Qwen2ForCausalLM"], "bos_token_id": 151643,
    "eos_token_id": 151645, "hidden_act": "silu", "hidden_size": 896, "intermediate_size": 4864,
    "max_position_embeddings": 32768, "max_window_layers": 21, "model_type": "qwen2", "num_attention_heads": 14,
    "num_hidden_layers": 24, "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
    "sliding_window": 32768, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "use_sliding_window": false,
    "vocab_size": 151936, "rope_scaling": null})");
  EXPECT_EQ(c.arch, Arch::Qwen2);
  EXPECT_TRUE(c.attention_bias);
  EXPECT_EQ(c.head_dim, 64);
  EXPECT_EQ(c.num_key_value_heads, 2);
  EXPECT_EQ(c.sliding_window, std::nullopt);
  EXPECT_EQ(c.rope_scaling.type, "");
  EXPECT_DOUBLE_EQ(c.rope_theta, 1e6);
}

TEST(DecoderConfig, Phi35LongropeAndSu) {
  TempDir tmp;
  const std::string base = R"({"architectures": ["Phi3ForCausalLM"], "bos_token_id": 1, "eos_token_id": 32000,
    "pad_token_id": 32000, "hidden_act": "silu", "hidden_size": 3072, "intermediate_size": 8192,
    "max_position_embeddings": 131072, "original_max_position_embeddings": 4096, "model_type": "phi3",
    "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 32, "rms_norm_eps": 1e-05,
    "rope_theta": 10000.0, "sliding_window": 262144, "tie_word_embeddings": false, "vocab_size": 32064,
    "rope_scaling": {"long_factor": )" +
                           factors(48, 1.0) + R"(, "short_factor": )" + factors(48, 1.5) + R"(, "type": "TYPE"}})";
  for (const char* type : {"longrope", "su"}) {
    std::string json = base;
    json.replace(json.find("TYPE"), 4, type);
    const auto c = parse(tmp, json);
    EXPECT_EQ(c.arch, Arch::Phi3);
    EXPECT_EQ(c.head_dim, 96);
    EXPECT_EQ(c.rope_scaling.type, "longrope") << type;
    ASSERT_EQ(c.rope_scaling.long_factor.size(), 48u);
    ASSERT_EQ(c.rope_scaling.short_factor.size(), 48u);
    EXPECT_DOUBLE_EQ(c.rope_scaling.long_factor[1], 1.01);
    EXPECT_DOUBLE_EQ(c.rope_scaling.short_factor[0], 1.5);
    EXPECT_EQ(c.original_max_position_embeddings, 4096);
    EXPECT_EQ(c.rope_scaling.original_max_position_embeddings, 4096);  // copied from the top level
    EXPECT_EQ(c.pad_token_id, 32000);
    EXPECT_EQ(c.sliding_window, 262144);
    EXPECT_FALSE(c.attention_bias);
  }
  std::string wrong = base;
  wrong.replace(wrong.find("TYPE"), 4, "longrope");
  wrong.replace(wrong.find(factors(48, 1.0)), factors(48, 1.0).size(), factors(47, 1.0));
  expect_error([&] { parse(tmp, wrong); },
               "field 'rope_scaling.long_factor' must have 48 entries (rotary dim / 2), got 47");
}

TEST(DecoderConfig, MistralWithExplicitHeadDimAndSlidingWindow) {
  TempDir tmp;
  const auto c = parse(tmp, R"({"architectures": ["MistralForCausalLM"], "hidden_size": 5120,
    "intermediate_size": 14336, "num_hidden_layers": 40, "num_attention_heads": 32, "num_key_value_heads": 8,
    "head_dim": 128, "vocab_size": 131072, "rope_theta": 1000000.0, "sliding_window": 4096,
    "rope_scaling": {"rope_type": "default"}})");
  EXPECT_EQ(c.arch, Arch::Mistral);
  EXPECT_EQ(c.head_dim, 128);  // not 5120 / 32
  EXPECT_EQ(c.sliding_window, 4096);
  EXPECT_EQ(c.rope_scaling.type, "");
}

TEST(DecoderConfig, ModelTypeFallbackAndDefaults) {
  TempDir tmp;
  const auto c = parse(tmp, R"({"model_type": "mistral", "vocab_size": 32000, "hidden_size": 64,
    "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4, "dtype": "float16"})");
  EXPECT_EQ(c.arch, Arch::Mistral);
  EXPECT_EQ(c.arch_name, "mistral");
  EXPECT_EQ(c.num_key_value_heads, 4);
  EXPECT_EQ(c.head_dim, 16);
  EXPECT_EQ(c.torch_dtype, "float16");
  EXPECT_EQ(c.hidden_act, "silu");
  EXPECT_TRUE(c.eos_token_ids.empty());
}

TEST(DecoderConfig, Errors) {
  TempDir tmp;
  const std::string ok_tail = R"("vocab_size": 100, "hidden_size": 64, "intermediate_size": 128,
      "num_hidden_layers": 2, "num_attention_heads": 4)";
  struct Case {
    const char* label;
    std::string json;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {"missing hidden_size", R"({"model_type": "llama", "vocab_size": 100, "intermediate_size": 1,
        "num_hidden_layers": 1, "num_attention_heads": 1})",
       "config.json: missing field 'hidden_size' (must be a positive integer)"},
      {"string hidden_size", R"({"model_type": "llama", "vocab_size": 100, "hidden_size": "64"})",
       "config.json: field 'hidden_size' must be a positive integer, got \"64\""},
      {"float layers", R"({"model_type": "llama", "vocab_size": 100, "hidden_size": 64, "intermediate_size": 1,
        "num_hidden_layers": 2.5, "num_attention_heads": 4})",
       "config.json: field 'num_hidden_layers' must be a positive integer, got 2.5"},
      {"duplicate key", "{\"model_type\": \"llama\", " + ok_tail + ", \"num_hidden_layers\": 3}",
       "config.json: duplicate key 'num_hidden_layers' at top level"},
      {"zero heads", R"({"model_type": "llama", "vocab_size": 100, "hidden_size": 64, "intermediate_size": 1,
        "num_hidden_layers": 1, "num_attention_heads": 0})",
       "config.json: field 'num_attention_heads' must be a positive integer, got 0"},
      {"unknown architecture", R"({"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2"})",
       "config.json: unsupported architecture 'GPT2LMHeadModel' (supported: LlamaForCausalLM, MistralForCausalLM, "
       "Qwen2ForCausalLM, Phi3ForCausalLM"},
      {"unknown model_type", R"({"model_type": "gemma"})", "unsupported model_type 'gemma'"},
      {"no architecture", "{" + ok_tail + "}", "needs 'architectures' or 'model_type'"},
      {"architectures wrong type", R"({"architectures": "LlamaForCausalLM"})",
       "field 'architectures' must be a non-empty array of strings"},
      {"kv heads not dividing", "{\"model_type\": \"llama\", " + ok_tail + ", \"num_key_value_heads\": 3}",
       "num_attention_heads (4) must be a multiple of num_key_value_heads (3)"},
      {"hidden not divisible", R"({"model_type": "llama", "vocab_size": 100, "hidden_size": 66,
        "intermediate_size": 1, "num_hidden_layers": 1, "num_attention_heads": 4})",
       "hidden_size (66) is not a multiple of num_attention_heads (4) and no head_dim is given"},
      {"bool wrong type", "{\"model_type\": \"llama\", " + ok_tail + ", \"tie_word_embeddings\": \"yes\"}",
       "field 'tie_word_embeddings' must be true or false, got \"yes\""},
      {"eps wrong", "{\"model_type\": \"llama\", " + ok_tail + ", \"rms_norm_eps\": -1}",
       "field 'rms_norm_eps' must be a positive number, got -1"},
      {"eos wrong", "{\"model_type\": \"llama\", " + ok_tail + ", \"eos_token_id\": [1, \"x\"]}",
       "field 'eos_token_id' must be an array of non-negative integers"},
      {"yarn", "{\"model_type\": \"llama\", " + ok_tail + ", \"rope_scaling\": {\"rope_type\": \"yarn\"}}",
       "unsupported rope_scaling type 'yarn'"},
      {"llama3 without factor",
       "{\"model_type\": \"llama\", " + ok_tail +
           ", \"rope_scaling\": {\"rope_type\": \"llama3\", \"original_max_position_embeddings\": 8}}",
       "missing field 'rope_scaling.factor' (must be a positive number)"},
      {"rope_scaling wrong type", "{\"model_type\": \"llama\", " + ok_tail + ", \"rope_scaling\": 2}",
       "field 'rope_scaling' must be an object or null, got 2"},
      {"not an object", "[]", "config.json: must be a JSON object"},
      {"not json", "{\"a\": }", "config.json: not valid JSON"},
      {"too deep", std::string(1000, '[') + std::string(1000, ']'), "config.json: JSON nested deeper than 64 levels"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    expect_error([&] { parse(tmp, c.json); }, c.expected);
  }
  expect_error([&] { parse_decoder_config(tmp / "absent.json"); }, "absent.json: file not found");
}

TEST(DecoderConfig, HugeFileRejectedBeforeParsing) {
  TempDir tmp;
  write_file(tmp / "config.json", "{\"pad\": \"" + std::string(11 << 20, 'x') + "\"}");
  expect_error([&] { parse_decoder_config(tmp / "config.json"); }, "over the 10 MB limit for JSON files");
}
