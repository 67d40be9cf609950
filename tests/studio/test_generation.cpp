// Generation through the studio: the worker thread streams a (synthetic, ids-only) model's events into
// the SessionContext; Stop keeps what was generated; branching from an alternative starts a new session
// that resumes the old run's exact codes (same ids and codebook entries before the branch step), and
// undo/redo switch back and forth. Model-load warnings are shown (status bar, under the model picker).
#include <gtest/gtest.h>
#include <unistd.h>

#include <QElapsedTimer>
#include <QLabel>
#include <QStatusBar>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "studio/studio_app.h"
#include "support/run.h"
#include "ui/panels/prompt_panel.h"
#include "ui/studio/main_window.h"

using namespace z2z;
using namespace z2z::ui;
namespace fs = std::filesystem;

namespace {
fs::path checkpoint() {
  static fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("z2z_studio_ck_" + std::to_string(::getpid()));
    auto r = test::run("/usr/bin/python3 " + std::string(Z2Z_SOURCE_DIR) +
                       "/tests/model/reference/make_checkpoints.py " + test::shell_quote(d.string()) + " > /dev/null");
    if (r.exit_code != 0) return fs::path();
    static const fs::path parent = d;
    std::atexit([] { fs::remove_all(parent); });  // whichever tests of this process used it
    return d / "v2_llama";
  }();
  return dir;
}

bool wait_for(const std::function<bool()>& done, int ms = 60000) { return test::wait_for(done, ms, 20); }

// Every codebook entry of the session is explained by its own steps: created at a step that exists,
// prefix entries created no later than the entry.
void expect_consistent(const session::Session& s) {
  for (const auto& e : s.entries()) {
    EXPECT_LT(e.created_step, s.steps());
    EXPECT_GE(e.base_ids.size(), 2u);
    if (const auto* p = s.find_entry(e.prefix_id)) {
      EXPECT_LE(p->created_step, e.created_step);
    }
  }
  EXPECT_EQ(s.codebook_size(s.steps()), static_cast<std::int64_t>(s.entries().size()));
}
}  // namespace

// Model-load warnings (here: an unknown field in zip2zip_config.json) reach the user without a dialog:
// one line each under the model picker and a notice in the status bar; the run goes on.
TEST(Generation, ModelWarningsAreShown) {
  test::studio_app();
  const fs::path ck = checkpoint();
  ASSERT_FALSE(ck.empty()) << "make_checkpoints.py failed";
  const fs::path model = ck.parent_path() / "v2_llama_with_warning";
  fs::remove_all(model);
  fs::copy(ck, model, fs::copy_options::recursive);
  {
    auto j = nlohmann::json::parse(std::ifstream(model / "zip2zip_config.json"));
    j["frobnicate"] = 1;
    std::ofstream(model / "zip2zip_config.json") << j.dump(2);
  }
  StudioOptions o;
  o.restore_layout = false;
  MainWindow w(o);
  bool finished = false;
  QObject::connect(&w, &MainWindow::runFinished, [&](bool) { finished = true; });
  w.prompt_panel()->set_model_dir(QString::fromStdString(model.string()));
  w.prompt_panel()->set_prompt("1 2 3");
  w.prompt_panel()->set_sampling(0.0, 2);
  w.generate();
  ASSERT_TRUE(wait_for([&] { return finished; }));
  EXPECT_EQ(w.context()->steps(), 2);
  const QStringList warnings = w.prompt_panel()->model_warnings();
  ASSERT_EQ(warnings.size(), 1) << warnings.join('\n').toStdString();
  EXPECT_TRUE(warnings[0].contains("unknown field 'frobnicate'")) << warnings[0].toStdString();
  bool in_status_bar = false;
  for (auto* l : w.statusBar()->findChildren<QLabel*>())
    in_status_bar = in_status_bar || l->text().contains("1 model warning: " + warnings[0]);
  EXPECT_TRUE(in_status_bar);
  // another model: the warnings go away with it
  w.prompt_panel()->set_model_dir(QString::fromStdString(ck.string()));
  EXPECT_TRUE(w.prompt_panel()->model_warnings().isEmpty());
  fs::remove_all(model);
}

TEST(Generation, WorkerStreamsStopKeepsBranchRollsBack) {
  test::studio_app();
  const fs::path ck = checkpoint();
  ASSERT_FALSE(ck.empty()) << "make_checkpoints.py failed";
  StudioOptions o;
  o.restore_layout = false;
  MainWindow w(o);
  bool finished = false, ok = false;
  QObject::connect(&w, &MainWindow::runFinished, [&](bool b) {
    finished = true;
    ok = b;
  });
  w.prompt_panel()->set_model_dir(QString::fromStdString(ck.string()));
  w.prompt_panel()->set_prompt("1 2 3 4 5 1 2 3 4 5 1 2 3");
  w.prompt_panel()->set_sampling(0.0, 24);
  w.generate();
  ASSERT_TRUE(wait_for([&] { return finished; }));
  ASSERT_TRUE(ok);
  auto* ctx = w.context();
  ASSERT_TRUE(ctx->has_session());
  EXPECT_EQ(ctx->steps(), 24);
  ASSERT_TRUE(ctx->session().finish());
  expect_consistent(ctx->session());
  auto first = ctx->session_ptr();

  // Stop: a long run cancelled after a few steps keeps them
  finished = false;
  w.prompt_panel()->set_sampling(0.0, 100000);
  w.generate();
  ASSERT_TRUE(wait_for([&] { return ctx->session_ptr() != first && ctx->steps() >= 3; }));
  w.stop();
  ASSERT_TRUE(wait_for([&] { return finished; }));
  ASSERT_TRUE(ctx->session().finish());
  EXPECT_EQ(ctx->session().finish()->reason, "cancelled");
  EXPECT_GE(ctx->steps(), 3);
  EXPECT_LT(ctx->steps(), 100000);
  const std::int64_t kept = ctx->steps();
  auto stopped = ctx->session_ptr();

  // Branch at step 12 with the second candidate
  ctx->undo();  // back to the first run
  ASSERT_EQ(ctx->session_ptr(), first);
  const std::int64_t bt = 12;
  const auto st = first->step(bt);
  ASSERT_GE(st.top.size(), 2u);
  const int cand = st.top[1].id;
  finished = false;
  w.prompt_panel()->set_sampling(0.0, 8);
  w.branch(bt, cand);
  ASSERT_TRUE(wait_for([&] { return finished; }));
  auto branched = ctx->session_ptr();
  ASSERT_NE(branched, first);
  ASSERT_GE(branched->steps(), 1);
  // the branch resumes the exact codes: same prompt codes, same ids before step bt, the candidate at bt,
  // and the same codebook entries (ids, expansions, creation steps) for everything created before bt
  ASSERT_GE(branched->steps(), bt + 1);
  EXPECT_EQ(branched->prompt()->event.codes, first->prompt()->event.codes);
  EXPECT_EQ(branched->prompt()->event.base_ids, first->prompt()->event.base_ids);
  for (std::int64_t i = 0; i < bt; ++i) EXPECT_EQ(branched->step(i).code, first->step(i).code) << i;
  EXPECT_EQ(branched->step(bt).code, cand);
  auto before = [](const session::Session& s, std::int64_t t) {
    std::vector<std::tuple<session::TokenId, std::vector<session::TokenId>, std::int64_t>> out;
    for (const auto& e : s.entries())
      if (e.created_step < t) out.emplace_back(e.id, e.base_ids, e.created_step);
    return out;
  };
  EXPECT_EQ(before(*branched, bt), before(*first, bt));
  EXPECT_FALSE(before(*first, bt).empty());  // the prompt alone creates entries (1 2 3 4 5 repeated)
  expect_consistent(*branched);
  // undo -> the first run, unchanged; redo -> the branch; the stopped run is gone from redo (new branch)
  ctx->undo();
  EXPECT_EQ(ctx->session_ptr(), first);
  EXPECT_EQ(ctx->steps(), 24);
  expect_consistent(ctx->session());
  ctx->redo();
  EXPECT_EQ(ctx->session_ptr(), branched);
  EXPECT_NE(stopped, branched);
  EXPECT_GE(kept, 3);
  fs::remove_all(ck.parent_path());
}
