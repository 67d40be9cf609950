// Studio benchmarks (offscreen Qt): a synthetic 100 000-step "generate" session (text, probabilities,
// 8 candidates per step, hypertokens and codebook insertions from canonical LZW of a phrase-heavy id
// stream, built with the core Session API) is saved once; then
//   BM_OpenSession     — session::load of the file + set_session on a MainWindow + first paint of the
//                        stream and every visible panel (target < 1 s);
//   BM_ScrollFrames    — the stream view scrolled through the whole session page by page, each position
//                        rendered to a QImage; counters: frames, mean / p95 / max ms per frame, frames
//                        over 16 ms (target: none), viewport size; in the default window layout, and
//                        (BM_ScrollFramesFullWindow) a 1600x1000 stream view alone;
//   BM_LoadFile, BM_SetSessionAndPaint — the two halves of BM_OpenSession;
//   BM_AutosaveSnapshot300, BM_AutosaveSlice — the autosave's GUI-thread work (ui/studio/autosave.h);
//   BM_SaveSession     — session::save (JSON + write-then-rename): what a save on the GUI thread would cost;
//   BM_CopySession     — copying the whole Session (the naive snapshot the autosave avoids).
// Run: QT_QPA_PLATFORM=offscreen build/bin/bench_studio (docs/benchmarks.md, Studio).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QScrollBar>
#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "bench/synthetic_session.h"
#include "core/session/session.h"
#include "core/session/session_file.h"
#include "core/session/session_text.h"
#include "ui/panels/stream_panel.h"
#include "ui/studio/autosave.h"
#include "ui/studio/main_window.h"
#include "ui/widgets/stream_view.h"

namespace {

using namespace z2z;
namespace fs = std::filesystem;

struct Fixture {
  std::shared_ptr<session::Session> session = bench::synthetic_session(100'000);
  fs::path path = fs::temp_directory_path() / ("z2z_bench_studio_" + std::to_string(::getpid()) + ".json");
  Fixture() { session::save(*session, path); }
  ~Fixture() { fs::remove(path); }
};
Fixture& fixture() {
  static Fixture f;
  return f;
}

ui::StudioOptions options() {
  ui::StudioOptions o;
  o.restore_layout = false;
  return o;
}

void BM_OpenSession(benchmark::State& st) {
  auto& fx = fixture();
  ui::MainWindow w(options());
  w.resize(1600, 1000);
  w.show();
  QApplication::processEvents();
  for (auto _ : st) {
    auto s = std::make_shared<session::Session>(session::load(fx.path));
    w.context()->set_session(s, "bench", false);
    w.stream_panel()->view()->repaint();
    w.repaint();
    QApplication::processEvents();
    benchmark::DoNotOptimize(s->steps());
  }
  st.counters["steps"] = static_cast<double>(fx.session->steps());
  st.counters["base_tokens"] = static_cast<double>(fx.session->base_ids().size());
  st.counters["file_MB"] = static_cast<double>(fs::file_size(fx.path)) / 1e6;
  st.counters["codebook"] = static_cast<double>(fx.session->entries().size());
  st.counters["hyper_ratio"] = fx.session->counters(fx.session->steps()).hyper_ratio();
}
BENCHMARK(BM_OpenSession)->Unit(benchmark::kMillisecond)->Iterations(3);

// Scrolls `view` from top to bottom a page at a time, rendering each position to a QImage.
void scroll_frames(benchmark::State& st, ui::StreamView* view) {
  QWidget* vp = view->viewport();
  QImage img(vp->size(), QImage::Format_ARGB32_Premultiplied);
  std::vector<double> ms;
  for (auto _ : st) {
    ms.clear();
    auto* bar = view->verticalScrollBar();
    bar->setValue(0);
    const int page = std::max(1, vp->height() - 20);
    for (int y = 0;; y += page) {
      bar->setValue(std::min(y, bar->maximum()));
      QElapsedTimer t;
      t.start();
      {
        QPainter p(&img);
        vp->render(&p);
      }
      ms.push_back(double(t.nsecsElapsed()) / 1e6);
      if (y >= bar->maximum()) break;
    }
  }
  std::vector<double> sorted = ms;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0;
  for (double x : ms) sum += x;
  st.counters["frames"] = static_cast<double>(ms.size());
  st.counters["mean_ms"] = sum / double(ms.size());
  st.counters["p95_ms"] = sorted[sorted.size() * 95 / 100];
  st.counters["max_ms"] = sorted.back();
  st.counters["over_16ms"] =
      static_cast<double>(std::count_if(ms.begin(), ms.end(), [](double x) { return x > 16.0; }));
  st.counters["vp_w"] = vp->width();
  st.counters["vp_h"] = vp->height();
}

// The stream in the default window layout (1600x1000 with the docks).
void BM_ScrollFrames(benchmark::State& st) {
  auto& fx = fixture();
  ui::MainWindow w(options());
  w.resize(1600, 1000);
  w.show();
  w.context()->set_session(fx.session, "bench", false);
  QApplication::processEvents();
  scroll_frames(st, w.stream_panel()->view());
}
BENCHMARK(BM_ScrollFrames)->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3);

// The worst case: a stream view alone at 1600x1000 (about 4x the chips per frame).
void BM_ScrollFramesFullWindow(benchmark::State& st) {
  auto& fx = fixture();
  ui::SessionContext ctx;
  ui::StreamView view(&ctx);
  view.resize(1600, 1000);
  view.show();
  ctx.set_session(fx.session, "bench", false);
  QApplication::processEvents();
  scroll_frames(st, &view);
}
BENCHMARK(BM_ScrollFramesFullWindow)->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3);

void BM_LoadFile(benchmark::State& st) {
  auto& fx = fixture();
  for (auto _ : st) benchmark::DoNotOptimize(session::load(fx.path).steps());
}
BENCHMARK(BM_LoadFile)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_SetSessionAndPaint(benchmark::State& st) {  // the view models only (session already in memory)
  auto& fx = fixture();
  ui::MainWindow w(options());
  w.resize(1600, 1000);
  w.show();
  QApplication::processEvents();
  for (auto _ : st) {
    w.context()->set_session(fx.session, "bench", false);
    w.stream_panel()->view()->repaint();
    w.repaint();
    QApplication::processEvents();
  }
}
BENCHMARK(BM_SetSessionAndPaint)->Unit(benchmark::kMillisecond)->Iterations(3);

// The autosave's GUI-thread part: a snapshot after 300 new steps (~3 s of fast generation), and one
// catch-up slice of Autosaver::kSliceSteps steps.
void BM_AutosaveSnapshot300(benchmark::State& st) {
  auto& fx = fixture();
  session::JsonSnapshots js;
  for (auto _ : st) {
    st.PauseTiming();
    js.reset();  // frees the previous chunks outside the timing
    js.serialize(*fx.session, fx.session->steps() - 300);
    st.ResumeTiming();
    benchmark::DoNotOptimize(js.snapshot(*fx.session).steps);
  }
}
BENCHMARK(BM_AutosaveSnapshot300)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_AutosaveSlice(benchmark::State& st) {
  auto& fx = fixture();
  session::JsonSnapshots js;
  for (auto _ : st) {
    st.PauseTiming();
    js.reset();
    st.ResumeTiming();
    benchmark::DoNotOptimize(js.serialize(*fx.session, ui::Autosaver::kSliceSteps));
  }
}
BENCHMARK(BM_AutosaveSlice)->Unit(benchmark::kMillisecond);

void BM_SaveSession(benchmark::State& st) {
  auto& fx = fixture();
  const fs::path out = fx.path.string() + ".save";
  for (auto _ : st) session::save(*fx.session, out);
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(fs::file_size(out)));
  fs::remove(out);
}
BENCHMARK(BM_SaveSession)->Unit(benchmark::kMillisecond);

void BM_CopySession(benchmark::State& st) {
  auto& fx = fixture();
  for (auto _ : st) {
    session::Session copy = *fx.session;
    benchmark::DoNotOptimize(copy.steps());
  }
}
BENCHMARK(BM_CopySession)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  qputenv("Z2Z_STUDIO_NO_DIALOGS", "1");
  QApplication::setOrganizationName("zip2zip-bench");
  QApplication app(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
