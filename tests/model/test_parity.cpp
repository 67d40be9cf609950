// Numerical parity of the C++ engine (`z2z score`, `z2z generate`) with the independent PyTorch
// reference (tests/model/reference/z2z_reference.py, written from the spec) on synthetic
// checkpoints in the exact on-disk layouts (tests/model/reference/make_checkpoints.py):
//   v2_llama         v2 self-contained Llama, res_latent_attn, base-token-end positions
//   v1_phi3_adapter  v1 adapter + separate Phi3 base (fused qkv/gate_up, longrope, bf16, PEFT LoRA)
//   v1_qwen2_tied    Qwen2 (q/k/v bias), tied embeddings, tied encoders
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "support/run.h"

using nlohmann::json;
using z2z::test::run;
using z2z::test::shell_quote;
using z2z::test::z2z_bin;

namespace {

std::filesystem::path g_dir;
const std::string kPython = "/usr/bin/python3";
std::string ref_script() { return std::string(Z2Z_SOURCE_DIR) + "/tests/model/reference/z2z_reference.py"; }

class ModelParity : public ::testing::TestWithParam<std::string> {
 public:
  static void SetUpTestSuite() {
    g_dir = std::filesystem::temp_directory_path() / ("z2z_parity_" + std::to_string(::getpid()));
    std::filesystem::create_directories(g_dir);
    auto r = run(kPython + " " + shell_quote(std::string(Z2Z_SOURCE_DIR) + "/tests/model/reference/make_checkpoints.py") +
                 " " + shell_quote(g_dir.string()) + " --seed 7");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(g_dir); }

  std::string model_dir() const { return (g_dir / GetParam()).string(); }

  json zip_config() const {
    std::ifstream in(g_dir / GetParam() / "zip2zip_config.json");
    return json::parse(in);
  }

  // Repetitive base ids (so LZW creates and reuses hypertokens), avoiding disabled ids.
  std::vector<int> make_ids(unsigned seed, int n) const {
    json c = zip_config();
    const int V = c["compression"]["initial_vocab_size"].get<int>();
    std::set<int> disabled;
    for (int d : c["compression"]["disabled_ids"]) disabled.insert(d);
    std::mt19937 rng(seed);
    std::vector<int> alphabet;
    while (alphabet.size() < 6) {
      int x = std::uniform_int_distribution<int>(0, V - 1)(rng);
      if (!disabled.count(x)) alphabet.push_back(x);
    }
    std::vector<int> ids;
    while (static_cast<int>(ids.size()) < n) {
      int len = std::uniform_int_distribution<int>(1, 4)(rng);
      int start = std::uniform_int_distribution<int>(0, 5)(rng);
      for (int i = 0; i < len; ++i) ids.push_back(alphabet[static_cast<std::size_t>((start + i) % 6)]);
    }
    ids.resize(static_cast<std::size_t>(n));
    return ids;
  }
};

std::string join(const std::vector<int>& ids) {
  std::string s;
  for (int x : ids) s += (s.empty() ? "" : " ") + std::to_string(x);
  return s;
}

void compare_scores(const json& ours, const json& ref, const std::string& what) {
  ASSERT_EQ(ours["codes"], ref["codes"]) << what;
  ASSERT_EQ(ours["logprobs"].size(), ref["logprobs"].size()) << what;
  double max_diff = 0;
  for (std::size_t i = 0; i < ours["logprobs"].size(); ++i) {
    const json& a = ours["logprobs"][i];
    const json& b = ref["logprobs"][i];
    ASSERT_EQ(a.is_null(), b.is_null()) << what << " position " << i;
    if (!a.is_null()) max_diff = std::max(max_diff, std::abs(a.get<double>() - b.get<double>()));
  }
  EXPECT_LT(max_diff, 1e-4) << what;
  EXPECT_EQ(ours["uninstallable_targets"], ref["uninstallable_targets"]) << what;
  std::cout << "[ parity ] " << what << ": " << ours["codes"].size() << " codes, max |dlogp| = " << max_diff << "\n";
}

}  // namespace

TEST_P(ModelParity, ScoreMatchesReference) {
  for (unsigned seed : {1u, 2u}) {
    for (bool mask : {true, false}) {
      const std::string ids = join(make_ids(seed, 48));
      const std::string flag = mask ? "" : " --no-mask";
      auto ours = run(z2z_bin() + " score --json --model " + shell_quote(model_dir()) + " --ids " + shell_quote(ids) + flag);
      ASSERT_EQ(ours.exit_code, 0) << ours.err;
      auto ref = run(kPython + " " + shell_quote(ref_script()) + " score --model " + shell_quote(model_dir()) + " --ids " +
                     shell_quote(ids) + flag);
      ASSERT_EQ(ref.exit_code, 0) << ref.err;
      compare_scores(json::parse(ours.out), json::parse(ref.out),
                     GetParam() + (mask ? " masked" : " unmasked") + " seed " + std::to_string(seed));
    }
  }
}

TEST_P(ModelParity, GreedyGenerationMatchesReference) {
  const std::string ids = join(make_ids(3, 24));
  auto ours = run(z2z_bin() + " generate --jsonl --max-new-tokens 24 --model " + shell_quote(model_dir()) + " --prompt-ids " +
                  shell_quote(ids));
  ASSERT_EQ(ours.exit_code, 0) << ours.err;
  std::vector<int> generated, prompt_codes;
  std::istringstream lines(ours.out);
  std::string line;
  while (std::getline(lines, line)) {
    json e = json::parse(line);
    if (e["type"] == "prompt") prompt_codes = e["codes"].get<std::vector<int>>();
    if (e["type"] == "step") generated.push_back(e["code"].get<int>());
  }
  auto ref = run(kPython + " " + shell_quote(ref_script()) + " generate --max-new-tokens 24 --model " +
                 shell_quote(model_dir()) + " --prompt-ids " + shell_quote(ids));
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  json r = json::parse(ref.out);
  EXPECT_EQ(prompt_codes, r["prompt_codes"].get<std::vector<int>>());
  EXPECT_EQ(generated, r["generated"].get<std::vector<int>>());
  std::cout << "[ parity ] " << GetParam() << ": greedy " << generated.size() << " codes identical\n";
}

INSTANTIATE_TEST_SUITE_P(Checkpoints, ModelParity, ::testing::Values("v2_llama", "v1_phi3_adapter", "v1_qwen2_tied"));
