// Autosave and crash recovery: a modified session is written by the autosave timer (the same JSON as
// File ▸ Save, growing live), survives a "crash" (the window destroyed without a clean close), and a new
// window with recovery enabled opens exactly that session; a clean close removes the file; --no-recover
// (Recovery::Discard) deletes it; headless runs (Recovery::Ignore, no autosave) leave it alone.
#include <gtest/gtest.h>
#include <unistd.h>

#include <QElapsedTimer>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/session/session_file.h"
#include "studio/studio_app.h"
#include "support/files.h"
#include "ui/studio/autosave.h"
#include "ui/studio/main_window.h"

using namespace z2z;
using namespace z2z::ui;
namespace fs = std::filesystem;

namespace {
bool wait_for(const std::function<bool()>& done, int ms = 10000) { return test::wait_for(done, ms); }
std::string read(const fs::path& p) { return test::read_bytes(p); }
struct TempDir {
  fs::path dir = fs::temp_directory_path() / ("z2z_autosave_" + std::to_string(::getpid()));
  fs::path file = dir / "autosave" / "current.z2zsession.json";
  TempDir() { fs::remove_all(dir); }
  ~TempDir() { fs::remove_all(dir); }
};
StudioOptions options(const fs::path& file, bool autosave, Recovery r) {
  StudioOptions o;
  o.restore_layout = false;
  o.autosave = autosave;
  o.autosave_path = QString::fromStdString(file.string());
  o.recovery = r;
  return o;
}
}  // namespace

TEST(Autosave, CrashThenRecoverGivesTheSameSession) {
  test::studio_app();
  TempDir tmp;
  auto full = test::random_session(6000);
  ASSERT_GT(full->steps(), 1000);
  std::string want;
  {
    auto* w = new MainWindow(options(tmp.file, true, Recovery::Recover));  // nothing to recover yet
    EXPECT_FALSE(w->context()->has_session());
    EXPECT_EQ(w->autosaver()->interval(), Autosaver::kIntervalMs);
    w->autosaver()->set_interval(20);
    // a live session: the prompt and the first 700 steps, then 300 more
    auto grow = std::make_shared<session::Session>(full->info());
    w->context()->set_session(grow, "live");
    EXPECT_FALSE(w->autosaver()->modified());  // empty: nothing to save
    if (full->prompt()) w->context()->append_prompt(full->prompt()->event);
    for (std::int64_t i = 0; i < 700; ++i) w->context()->append_step(full->step_event(i));
    w->context()->flush();
    EXPECT_TRUE(w->autosaver()->modified());
    ASSERT_TRUE(wait_for([&] { return w->autosaver()->saves() >= 1; }));
    EXPECT_EQ(read(tmp.file), session::to_json(*grow));
    for (std::int64_t i = 700; i < 1000; ++i) w->context()->append_step(full->step_event(i));
    w->context()->flush();
    ASSERT_TRUE(wait_for([&] { return w->autosaver()->saves() >= 2 && !w->autosaver()->modified(); }));
    w->autosaver()->wait();
    want = session::to_json(*grow);
    EXPECT_EQ(read(tmp.file), want);
    delete w;  // the "crash": no clean shutdown (closeEvent) ran
  }
  ASSERT_TRUE(fs::exists(tmp.file));
  {
    MainWindow w(options(tmp.file, true, Recovery::Recover));
    // read on a worker: the result arrives through the event loop, never inside the constructor
    EXPECT_FALSE(w.context()->has_session());
    EXPECT_TRUE(w.loading_session());
    ASSERT_TRUE(wait_for([&] { return w.context()->has_session(); }));
    EXPECT_EQ(w.context()->steps(), 1000);
    EXPECT_EQ(session::to_json(w.context()->session()), want);
    EXPECT_TRUE(w.context()->title().startsWith("recovered session"));
    EXPECT_FALSE(w.autosaver()->modified());  // the file already holds it
    w.show();
    w.close();  // clean shutdown
    EXPECT_FALSE(fs::exists(tmp.file));
  }
  // --no-recover deletes it; headless (no autosave, Ignore) leaves it alone
  session::save(*full, tmp.file);
  {
    MainWindow w(options(tmp.file, false, Recovery::Ignore));
    EXPECT_FALSE(w.context()->has_session());
    w.context()->set_session(test::random_session(500), "headless");
    w.autosaver()->save_now();
    w.autosaver()->wait();
    EXPECT_EQ(session::to_json(session::load(tmp.file)), session::to_json(*full));  // not overwritten
  }
  EXPECT_TRUE(fs::exists(tmp.file));
  {
    MainWindow w(options(tmp.file, true, Recovery::Discard));
    EXPECT_FALSE(w.context()->has_session());
    EXPECT_FALSE(fs::exists(tmp.file));
  }
}

// Opening or saving a session file means it is on disk: the autosave is removed and not rewritten.
TEST(Autosave, OpenedFilesAreNotAutosaved) {
  test::studio_app();
  TempDir tmp;
  MainWindow w(options(tmp.file, true, Recovery::Ignore));
  w.autosaver()->set_interval(20);
  w.context()->set_session(test::random_session(800), "teach");
  ASSERT_TRUE(wait_for([&] { return w.autosaver()->saves() >= 1; }));
  w.autosaver()->wait();
  ASSERT_TRUE(fs::exists(tmp.file));
  const fs::path file = tmp.dir / "opened.json";
  session::save(*test::random_session(300), file);
  ASSERT_TRUE(w.open_session_and_wait(QString::fromStdString(file.string())));
  EXPECT_FALSE(fs::exists(tmp.file));
  EXPECT_FALSE(w.autosaver()->modified());
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < 200) QApplication::processEvents(QEventLoop::AllEvents, 10);
  EXPECT_FALSE(fs::exists(tmp.file));
}
