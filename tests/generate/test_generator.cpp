// Generator seeded with exact codes (CodeSeed, used by the studio's branching): resuming a run from its
// prompt codes and the codes of steps < t reproduces the run's state at t — the same codebook (the
// step's insertions), the same distribution (probability and top-k) — and forced codes are reported
// as steps numbered from t. Uses a synthetic ids-only checkpoint (tests/model/reference).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/generate/generator.h"
#include "core/util/error.h"
#include "support/run.h"

using namespace z2z;
namespace fs = std::filesystem;

namespace {
fs::path g_ck;

class GeneratorSeed : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    g_ck = fs::temp_directory_path() / ("z2z_gen_seed_" + std::to_string(::getpid()));
    auto r =
        test::run("/usr/bin/python3 " + std::string(Z2Z_SOURCE_DIR) + "/tests/model/reference/make_checkpoints.py " +
                  test::shell_quote(g_ck.string()) + " > /dev/null");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { fs::remove_all(g_ck); }
};

struct GenRun {
  gen::PromptEvent prompt;
  std::vector<gen::StepEvent> steps;
  gen::FinishEvent fin;
};

GenRun run(gen::Generator& g, const std::vector<std::int32_t>& ids, const gen::GenerationParams& p) {
  GenRun r;
  gen::GenerationCallbacks cb;
  cb.on_prompt = [&](const gen::PromptEvent& e) { r.prompt = e; };
  cb.on_step = [&](const gen::StepEvent& e) { r.steps.push_back(e); };
  r.fin = g.run(ids, "", p, cb);
  return r;
}

std::vector<std::pair<std::int32_t, std::vector<std::int32_t>>> entries(const std::vector<gen::Entry>& es) {
  std::vector<std::pair<std::int32_t, std::vector<std::int32_t>>> out;
  for (const auto& e : es) out.emplace_back(e.id, e.base_ids);
  return out;
}
}  // namespace

TEST_F(GeneratorSeed, ResumingExactCodesRestoresTheStateAtT) {
  auto model = model::Zip2ZipModel::load(g_ck / "v2_llama");
  gen::Generator g(model);
  const std::vector<std::int32_t> ids = {1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3};
  gen::GenerationParams p;
  p.max_new_tokens = 24;
  p.top_logprobs = 5;
  const GenRun a = run(g, ids, p);
  ASSERT_EQ(a.steps.size(), 24u);
  ASSERT_FALSE(a.prompt.inserted.empty());

  for (std::size_t t : {std::size_t{0}, std::size_t{5}, std::size_t{12}}) {
    ASSERT_GE(a.steps[t].top.size(), 2u);
    for (std::size_t c : {std::size_t{0}, std::size_t{1}}) {
      const gen::Candidate& cand = a.steps[t].top[c];
      gen::GenerationParams q = p;
      q.max_new_tokens = 3;
      gen::CodeSeed seed;
      seed.prompt_codes = a.prompt.codes;
      for (std::size_t i = 0; i < t; ++i) seed.prefix.push_back(a.steps[i].code);
      seed.forced = {cand.id};
      q.seed = seed;
      const GenRun b = run(g, ids, q);
      EXPECT_EQ(b.prompt.codes, a.prompt.codes);
      EXPECT_EQ(entries(b.prompt.inserted), entries(a.prompt.inserted));
      ASSERT_EQ(b.steps.size(), 3u) << t;
      EXPECT_EQ(b.steps[0].step, static_cast<std::int64_t>(t));
      EXPECT_EQ(b.steps[1].step, static_cast<std::int64_t>(t + 1));
      EXPECT_EQ(b.steps[0].code, cand.id);
      EXPECT_EQ(b.steps[0].base_ids, cand.base_ids);
      EXPECT_NEAR(b.steps[0].prob, cand.prob, 1e-4) << t;  // the same distribution at t
      ASSERT_EQ(b.steps[0].top.size(), a.steps[t].top.size());
      for (std::size_t k = 0; k < b.steps[0].top.size(); ++k) {
        EXPECT_EQ(b.steps[0].top[k].id, a.steps[t].top[k].id) << t << " " << k;
        EXPECT_NEAR(b.steps[0].top[k].prob, a.steps[t].top[k].prob, 1e-4);
      }
      if (c == 0) {  // the same code on the same codebook creates the same entries
        EXPECT_EQ(entries(b.steps[0].inserted), entries(a.steps[t].inserted)) << t;
        EXPECT_FALSE(b.steps[0].outside_top);
      }
      EXPECT_EQ(b.fin.steps, static_cast<std::int64_t>(t + 3));  // totals include the prefix
    }
  }
}

TEST_F(GeneratorSeed, NonCanonicalPromptCodesAreKeptAndBadSeedsRejected) {
  auto model = model::Zip2ZipModel::load(g_ck / "v2_llama");
  gen::Generator g(model);
  const std::vector<std::int32_t> ids = {1, 2, 3, 1, 2, 3, 1, 2, 3};
  gen::GenerationParams p;
  p.max_new_tokens = 2;
  gen::CodeSeed seed;
  seed.prompt_codes = ids;  // uncompressed: a valid, non-canonical code stream
  p.seed = seed;
  const GenRun r = run(g, ids, p);
  EXPECT_EQ(r.prompt.codes, ids);
  EXPECT_EQ(r.steps.front().step, 0);

  p.seed->prompt_codes = {1, 2, 3};  // expands to other base ids than the prompt's
  EXPECT_THROW(run(g, ids, p), z2z::Error);
  p.seed->prompt_codes = ids;
  p.seed->forced = {static_cast<std::int32_t>(model->joint_size() + 5)};  // not a token id
  EXPECT_THROW(run(g, ids, p), z2z::Error);
}
