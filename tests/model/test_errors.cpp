// Broken checkpoints through the CLI: each case copies a synthetic checkpoint
// (tests/model/reference/make_checkpoints.py), corrupts one thing, and runs `z2z score` and
// `z2z generate` on it. Both must exit 2 (bad input) with exactly one line on stderr naming the
// file and the tensor or field at fault — never crash, never succeed silently.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/files.h"
#include "support/run.h"

using nlohmann::json;
using z2z::test::run;
using z2z::test::shell_quote;
using z2z::test::z2z_bin;
namespace fs = std::filesystem;

namespace {

fs::path g_ckpt, g_cases;

std::string read_file(const fs::path& p) { return z2z::test::read_bytes(p); }
void write_file(const fs::path& p, const std::string& bytes) { z2z::test::write_bytes(p, bytes); }

// A safetensors file split into its JSON header and its data section.
struct Safetensors {
  json header;
  std::string data;
};

Safetensors read_st(const fs::path& p) {
  const std::string b = read_file(p);
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(b[static_cast<std::size_t>(i)]);
  return {json::parse(b.substr(8, n)), b.substr(8 + n)};
}

void write_st(const fs::path& p, const Safetensors& st) {
  std::string h = st.header.dump();
  h.append((8 - h.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((h.size() >> (8 * i)) & 0xff);
  write_file(p, out + h + st.data);
}

void edit_st(const fs::path& p, const std::function<void(Safetensors&)>& f) {
  Safetensors st = read_st(p);
  f(st);
  write_st(p, st);
}

void edit_json(const fs::path& p, const std::function<void(json&)>& f) {
  json j = json::parse(read_file(p));
  f(j);
  write_file(p, j.dump(2));
}

// One broken checkpoint: copies `dirs` of the synthetic set into a fresh directory, runs `corrupt`
// there, and points the CLI at `model`. The stderr line must contain every string of `names`.
struct Case {
  std::string name;
  std::vector<std::string> dirs;
  std::string model;
  std::function<void(const fs::path&)> corrupt;
  std::vector<std::string> names;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"TruncatedData",
       {"v2_llama"},
       "v2_llama",
       [](const fs::path& d) {
         const auto p = d / "v2_llama/model.safetensors";
         fs::resize_file(p, fs::file_size(p) / 2);
       },
       {"v2_llama/model.safetensors", "tensor '", "data_offsets", "out of the data section"}},
      {"TruncatedHeader",
       {"v2_llama"},
       "v2_llama",
       [](const fs::path& d) { fs::resize_file(d / "v2_llama/model.safetensors", 100); },
       {"v2_llama/model.safetensors", "header length", "exceeds the file size"}},
      {"OverlappingOffsets",
       {"v2_llama"},
       "v2_llama",
       [](const fs::path& d) {
         edit_st(d / "v2_llama/model.safetensors", [](Safetensors& st) {
           st.header["model.layers.0.post_attention_layernorm.weight"]["data_offsets"] =
               st.header["model.layers.0.input_layernorm.weight"]["data_offsets"];
         });
       },
       {"v2_llama/model.safetensors", "'model.layers.0.input_layernorm.weight'",
        "'model.layers.0.post_attention_layernorm.weight'", "overlap"}},
      {"WrongShape",
       {"v2_llama"},
       "v2_llama",
       [](const fs::path& d) {  // same byte size, so only the engine's shape check can catch it
         edit_st(d / "v2_llama/model.safetensors", [](Safetensors& st) {
           st.header["model.layers.1.self_attn.q_proj.weight"]["shape"] = {32, 128};
         });
       },
       {"v2_llama/model.safetensors", "model.layers.1.self_attn.q_proj.weight", "[32, 128]", "[64, 64]"}},
      {"MissingEncoderTensor",
       {"v2_llama"},
       "v2_llama",
       [](const fs::path& d) {
         edit_st(d / "v2_llama/zip2zip_encoders.safetensors",
                 [](Safetensors& st) { st.header.erase("output_encoder.layers.1.w2.weight"); });
       },
       {"v2_llama/zip2zip_encoders.safetensors", "'output_encoder.layers.1.w2.weight'", "missing"}},
      {"UnexpectedEncoderTensor",
       {"v2_llama"},
       "v2_llama",
       [](const fs::path& d) {
         edit_st(d / "v2_llama/zip2zip_encoders.safetensors", [](Safetensors& st) {
           const auto end = static_cast<std::int64_t>(st.data.size());
           st.header["input_encoder.layers.2.wq.weight"] = {
               {"dtype", "F32"}, {"shape", {2}}, {"data_offsets", {end, end + 8}}};
           st.data.append(8, '\0');
         });
       },
       {"v2_llama/zip2zip_encoders.safetensors", "'input_encoder.layers.2.wq.weight'", "unexpected"}},
      {"UnknownEncoderType",
       {"v2_llama"},
       "v2_llama",
       [](const fs::path& d) {
         edit_json(d / "v2_llama/zip2zip_config.json", [](json& j) { j["encoder_type"] = "mamba"; });
       },
       {"v2_llama/zip2zip_config.json", "encoder_type", "'mamba'"}},
      {"BaseDirMissing",
       {"v1_qwen2_tied"},
       "v1_qwen2_tied",
       [](const fs::path& d) {
         edit_json(d / "v1_qwen2_tied/zip2zip_config.json",
                   [](json& j) { j["base_model_name_or_path"] = "../no_such_base"; });
       },
       {"v1_qwen2_tied/zip2zip_config.json", "base_model_name_or_path", "no_such_base", "not found"}},
      {"LoraTargetMissing",
       {"v1_qwen2_tied", "qwen2_base"},
       "v1_qwen2_tied",
       [](const fs::path& d) {  // a well-formed pair for a module the base model does not have
         edit_st(d / "v1_qwen2_tied/adapter_model.safetensors", [](Safetensors& st) {
           const std::string m = "base_model.model.model.layers.0.self_attn.";
           for (const char* ab : {"lora_A", "lora_B"}) {
             json e = st.header[m + "q_proj." + ab + ".weight"];
             const auto b = e["data_offsets"][0].get<std::int64_t>(), n = e["data_offsets"][1].get<std::int64_t>() - b;
             const auto end = static_cast<std::int64_t>(st.data.size());
             st.data += st.data.substr(static_cast<std::size_t>(b), static_cast<std::size_t>(n));
             e["data_offsets"] = {end, end + n};
             st.header[m + "gate_x." + ab + ".weight"] = e;
           }
         });
       },
       {"v1_qwen2_tied/adapter_model.safetensors", "model.layers.0.self_attn.gate_x.weight",
        "the base model does not have"}},
      // Found while writing these tests (both were silent or unclear before):
      {"LoraBWithoutA",
       {"v1_qwen2_tied", "qwen2_base"},
       "v1_qwen2_tied",
       [](const fs::path& d) {
         edit_st(d / "v1_qwen2_tied/adapter_model.safetensors", [](Safetensors& st) {
           st.header.erase("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");
         });
       },
       {"v1_qwen2_tied/adapter_model.safetensors", "'base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight'",
        "no matching lora_A"}},
      {"IntegerWeightDtype",
       {"v2_llama"},
       "v2_llama",
       [](const fs::path& d) {
         edit_st(d / "v2_llama/model.safetensors",
                 [](Safetensors& st) { st.header["model.norm.weight"]["dtype"] = "I32"; });
       },
       {"v2_llama/model.safetensors", "'model.norm.weight'", "I32"}},
  };
  return all;
}

class BrokenCheckpoint : public ::testing::TestWithParam<std::tuple<std::size_t, std::string>> {
 public:
  static void SetUpTestSuite() {
    const fs::path root = fs::temp_directory_path() / ("z2z_errors_" + std::to_string(::getpid()));
    g_ckpt = root / "ckpt";
    g_cases = root / "cases";
    fs::create_directories(g_cases);
    auto r = run("/usr/bin/python3 " +
                 shell_quote(std::string(Z2Z_SOURCE_DIR) + "/tests/model/reference/make_checkpoints.py") + " " +
                 shell_quote(g_ckpt.string()) + " --seed 7");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { fs::remove_all(g_ckpt.parent_path()); }
};

TEST_P(BrokenCheckpoint, ExitsTwoWithOneLineNamingFileAndField) {
  const auto& [index, command] = GetParam();
  const Case& c = cases()[index];
  const fs::path dir = g_cases / (c.name + "_" + command);
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& d : c.dirs) fs::copy(g_ckpt / d, dir / d, fs::copy_options::recursive);
  c.corrupt(dir);

  const std::string model = shell_quote((dir / c.model).string());
  const std::string cmd =
      command == "score" ? z2z_bin() + " score --model " + model + " --ids '5 6 7 5 6 7 5 6'"
                         : z2z_bin() + " generate --model " + model + " --prompt-ids '5 6 7 5 6' --max-new-tokens 3";
  auto r = run(cmd);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.back(), '\n') << r.err;
  for (const auto& name : c.names)
    EXPECT_NE(r.err.find(name), std::string::npos) << "'" << name << "' not in: " << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

INSTANTIATE_TEST_SUITE_P(Cases, BrokenCheckpoint,
                         ::testing::Combine(::testing::Range<std::size_t>(0, cases().size()),
                                            ::testing::Values("score", "generate")),
                         [](const auto& info) {
                           return cases()[std::get<0>(info.param)].name + "_" + std::get<1>(info.param);
                         });

}  // namespace
