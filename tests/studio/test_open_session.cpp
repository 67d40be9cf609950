// Opening a session file in the studio: the file is read on a worker thread (the GUI thread keeps
// running its event loop, the status bar shows the bytes read), then installed on the GUI thread; a
// newer open abandons an older one; a bad file is an error message and the current session stays.
#include <gtest/gtest.h>
#include <unistd.h>

#include <QElapsedTimer>
#include <QProgressBar>
#include <QStatusBar>
#include <QTimer>
#include <filesystem>
#include <fstream>

#include "core/session/session_file.h"
#include "studio/studio_app.h"
#include "ui/studio/main_window.h"

using namespace z2z;
using namespace z2z::ui;
namespace fs = std::filesystem;

namespace {
bool wait_for(const std::function<bool()>& done, int ms = 30000) { return test::wait_for(done, ms); }
struct Files {
  fs::path dir = fs::temp_directory_path() / ("z2z_open_" + std::to_string(::getpid()));
  Files() { fs::create_directories(dir); }
  ~Files() { fs::remove_all(dir); }
  fs::path save(const session::Session& s, const std::string& name) const {
    session::save(s, dir / name);
    return dir / name;
  }
};
StudioOptions options() {
  StudioOptions o;
  o.restore_layout = false;
  return o;
}
QString q(const fs::path& p) { return QString::fromStdString(p.string()); }
}  // namespace

TEST(OpenSession, ReadsOnAWorkerWithProgress) {
  test::studio_app();
  Files files;
  const auto big = test::random_session(400'000);  // ~20 MB of JSON: many progress reports
  const fs::path path = files.save(*big, "big.json");
  MainWindow w(options());
  w.show();
  std::vector<qint64> progress;
  auto* bar = w.statusBar()->findChild<QProgressBar*>();
  ASSERT_TRUE(bar);
  int opened = 0, ticks_while_loading = 0;
  QObject::connect(&w, &MainWindow::sessionOpened, [&](const QString& p, bool ok, const QString& err) {
    EXPECT_EQ(p, q(path));
    EXPECT_TRUE(ok) << err.toStdString();
    ++opened;
  });
  QTimer tick;
  QObject::connect(&tick, &QTimer::timeout, [&] {
    if (w.loading_session()) ++ticks_while_loading;
    if (w.loading_session() && bar->maximum() > 0) progress.push_back(bar->value());
  });
  tick.start(1);
  // No clock: open_session returning before the session is installed, with the event loop then
  // ticking while the worker reads, is what "does not block" means.
  w.open_session(q(path));
  EXPECT_TRUE(w.loading_session());
  EXPECT_TRUE(bar->isVisibleTo(&w));
  EXPECT_FALSE(w.context()->has_session());  // not installed before it is read
  ASSERT_TRUE(wait_for([&] { return opened == 1; }));
  EXPECT_FALSE(w.loading_session());
  EXPECT_FALSE(bar->isVisibleTo(&w));
  EXPECT_GT(ticks_while_loading, 0) << "the event loop did not run during the load";
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
  ASSERT_TRUE(w.context()->has_session());
  EXPECT_EQ(session::to_json(w.context()->session()), session::to_json(*big));
}

TEST(OpenSession, ANewerOpenWins) {
  test::studio_app();
  Files files;
  const fs::path a = files.save(*test::random_session(200'000), "a.json");
  const auto small = test::repetitive_session(300);
  const fs::path b = files.save(*small, "b.json");
  MainWindow w(options());
  std::vector<QString> opened;
  QObject::connect(&w, &MainWindow::sessionOpened,
                   [&](const QString& p, bool, const QString&) { opened.push_back(p); });
  w.open_session(q(a));
  w.open_session(q(b));
  ASSERT_TRUE(wait_for([&] { return !opened.empty() && !w.loading_session(); }));
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < 300) QApplication::processEvents(QEventLoop::AllEvents, 10);  // a stray result?
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0], q(b));
  EXPECT_EQ(w.context()->steps(), small->steps());
}

TEST(OpenSession, ABadFileKeepsTheCurrentSession) {
  test::studio_app();
  Files files;
  const auto good = test::repetitive_session(500);
  MainWindow w(options());
  ASSERT_TRUE(w.open_session_and_wait(q(files.save(*good, "good.json"))));
  const fs::path bad = files.dir / "bad.json";
  std::ofstream(bad) << session::to_json(*good).substr(0, 1000);  // truncated
  QString err;
  EXPECT_FALSE(w.open_session_and_wait(q(bad), &err));
  EXPECT_TRUE(err.startsWith(q(bad) + ": not valid JSON")) << err.toStdString();
  EXPECT_FALSE(err.contains('\n'));
  EXPECT_EQ(w.context()->steps(), good->steps());
  EXPECT_FALSE(w.statusBar()->findChild<QProgressBar*>()->isVisibleTo(&w));
  // and the window goes on working: another open succeeds
  EXPECT_TRUE(w.open_session_and_wait(q(files.save(*test::repetitive_session(80), "next.json"))));
}

TEST(OpenSession, ClosingTheWindowDuringALoadIsSafe) {
  test::studio_app();
  Files files;
  const fs::path path = files.save(*test::random_session(400'000), "big.json");
  {
    MainWindow w(options());
    w.open_session(q(path));
  }  // destroyed while the worker reads: it is cancelled and joined
  SUCCEED();
}
