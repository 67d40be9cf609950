// MainWindow: docks, menus, generation wiring, files, exports, themes.
#include "ui/studio/main_window.h"
#include "ui/studio/theme.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QEventLoop>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QStyleFactory>
#include <QSvgGenerator>
#include <QTextStream>
#include <QTimer>
#include <QUrl>
#include <cstdio>
#include <utility>

#include "core/session/export/html.h"
#include "core/session/export/tables.h"
#include "core/session/session_file.h"
#include "core/session/summary.h"
#include "ui/panels/alternatives_panel.h"
#include "ui/panels/codebook_panel.h"
#include "ui/panels/dashboard_panel.h"
#include "ui/panels/inspector_panel.h"
#include "ui/panels/prompt_panel.h"
#include "ui/panels/side_by_side_panel.h"
#include "ui/panels/stream_panel.h"
#include "ui/panels/teaching_panel.h"
#include "ui/panels/timeline_panel.h"
#include "ui/session_image.h"
#include "ui/studio/session_loader.h"

namespace z2z::ui {

namespace {
QString default_teaching_tokenizer(const StudioOptions& o) {
  const QString model_tok = o.default_model_dir + "/tokenizer.json";
  if (QFileInfo::exists(model_tok)) return model_tok;
  const QString shared = o.source_dir + "/../shared/data/tokenizers/llama3.json";
  if (QFileInfo::exists(shared)) return QFileInfo(shared).canonicalFilePath();
  return {};
}

}  // namespace

MainWindow::MainWindow(const StudioOptions& options, QWidget* parent) : QMainWindow(parent), options_(options) {
  setWindowTitle("zip2zip studio");
  setObjectName("z2z-studio");
  setAcceptDrops(true);
  setDockNestingEnabled(true);
  ctx_ = new SessionContext(this);
  controller_ = new GenerationController(this);

  QStringList models;
  for (const QString& m : {options.default_model_dir, options.base_model_dir})
    if (!m.isEmpty()) models << m;
  prompt_ = new PromptPanel(models);
  stream_ = new StreamPanel(ctx_);
  codebook_ = new CodebookPanel(ctx_);
  dashboard_ = new DashboardPanel(ctx_);
  alternatives_ = new AlternativesPanel(ctx_);
  timeline_ = new TimelinePanel(ctx_);
  inspector_ = new InspectorPanel(ctx_);
  teaching_ = new TeachingPanel(ctx_, default_teaching_tokenizer(options));
  side_ = new SideBySidePanel(options.base_model_dir, options.default_model_dir);

  stream_->setObjectName("stream");
  setCentralWidget(stream_);
  add_dock(prompt_, "prompt", "Prompt && run", Qt::LeftDockWidgetArea);
  add_dock(inspector_, "inspector", "Inspector", Qt::LeftDockWidgetArea);
  add_dock(codebook_, "codebook", "Codebook", Qt::RightDockWidgetArea);
  add_dock(dashboard_, "dashboard", "Dashboard", Qt::RightDockWidgetArea);
  add_dock(alternatives_, "alternatives", "Alternatives", Qt::LeftDockWidgetArea);
  add_dock(timeline_, "timeline", "Timeline", Qt::BottomDockWidgetArea);
  auto* teach = add_dock(teaching_, "teaching", "Teaching mode (LZW)", Qt::RightDockWidgetArea);
  auto* side = add_dock(side_, "sidebyside", "Side by side", Qt::RightDockWidgetArea);
  tabifyDockWidget(docks_[2], teach);
  tabifyDockWidget(docks_[2], side);
  docks_[2]->raise();
  resizeDocks({docks_[0], docks_[2]}, {330, 520}, Qt::Horizontal);

  status_ = new QLabel;
  statusBar()->addWidget(status_, 1);
  load_progress_ = new QProgressBar;
  load_progress_->setAccessibleName("Session file reading progress");
  load_progress_->setMaximumWidth(260);
  load_progress_->hide();
  statusBar()->addPermanentWidget(load_progress_);
  loader_ = new SessionLoader(this);
  connect(loader_, &SessionLoader::progress, this, &MainWindow::show_load_progress);
  connect(loader_, &SessionLoader::loaded, this, &MainWindow::install_opened_session);
  connect(loader_, &SessionLoader::failed, this, [this](const QString& path, const QString& message) {
    load_progress_->hide();
    const bool recovery = !recovering_.isEmpty() && path == recovering_;
    if (recovery) recovering_.clear();
    error_dialog(recovery ? "Recover session" : "Open session", message);
    Q_EMIT sessionOpened(path, false, message);
  });

  // generation: worker events -> context (GUI thread)
  connect(controller_, &GenerationController::started, this, [this](const RunStart& st) {
    run_tokenizer_ = st.tokenizer;
    session::Session::TokenBytes tb;
    if (st.tokenizer) {
      auto tok = st.tokenizer;
      tb = [tok](session::TokenId id) { return tok->token_bytes(id); };
    }
    auto s = std::make_shared<session::Session>(st.info, tb);
    skip_prompt_event_ = false;
    if (pending_branch_) {  // a branch: the old run's prompt and steps before the branch point, as they were
      const auto from = pending_branch_->from;
      const std::int64_t upto = pending_branch_->step;
      pending_branch_.reset();
      try {
        if (from->prompt()) s->append_prompt(from->prompt()->event);
        for (std::int64_t i = 0; i < upto; ++i) s->append_step(from->step_event(i));
      } catch (const std::exception& e) {
        controller_->stop();
        error_dialog("Branch", e.what());
        return;
      }
      skip_prompt_event_ = true;  // the generator reports the same prompt again
    }
    ctx_->set_session(s, pending_title_.isEmpty() ? st.model_summary : pending_title_, true);
    ctx_->set_following(true);
    status_->setText(st.model_summary);
    show_model_warnings(st.model_warnings);
  });
  auto guarded = [this](auto fn) {
    try {
      fn();
    } catch (const std::exception& e) {
      controller_->stop();
      error_dialog("Generation", e.what());
    }
  };
  connect(controller_, &GenerationController::prompt, this, [this, guarded](const gen::PromptEvent& e) {
    if (std::exchange(skip_prompt_event_, false)) return;
    guarded([&] { ctx_->append_prompt(e); });
  });
  connect(controller_, &GenerationController::step, this,
          [this, guarded](const gen::StepEvent& e) { guarded([&] { ctx_->append_step(e); }); });
  connect(controller_, &GenerationController::finished, this, [this, guarded](const gen::FinishEvent& e) {
    guarded([&] { ctx_->append_finish(e); });
    ctx_->set_generating(false);
    prompt_->set_running(false);
    if (ctx_->has_session())
      prompt_->set_status(
          QString::fromStdString("[" + e.reason + "] " + session::status_line(ctx_->session(), ctx_->steps())));
    Q_EMIT runFinished(true);
  });
  connect(controller_, &GenerationController::failed, this, [this](const QString& m) {
    pending_branch_.reset();
    ctx_->set_generating(false);
    prompt_->set_running(false);
    prompt_->set_status(error_html(m.toHtmlEscaped()));
    error_dialog("Generation failed", m);
    Q_EMIT runFinished(false);
  });
  connect(prompt_, &PromptPanel::generateRequested, this, &MainWindow::generate);
  connect(prompt_, &PromptPanel::stopRequested, this, &MainWindow::stop);
  connect(stream_->view(), &StreamView::itemActivated, this, [this] {
    for (auto* d : docks_)
      if (d->objectName() == "dock-inspector") d->raise();
  });
  connect(alternatives_, &AlternativesPanel::branchRequested, this, &MainWindow::branch);
  connect(teaching_, &TeachingPanel::failed, this, [this](const QString& m) { error_dialog("Teaching mode", m); });
  connect(ctx_, &SessionContext::loaded, this,
          [this] { setWindowTitle(ctx_->title().isEmpty() ? "zip2zip studio" : ctx_->title() + " — zip2zip studio"); });

  autosaver_ =
      new Autosaver(ctx_, options.autosave_path.isEmpty() ? Autosaver::default_path() : options.autosave_path, this);
  connect(this, &MainWindow::runFinished, autosaver_, &Autosaver::save_now);
  connect(autosaver_, &Autosaver::failed, this,
          [this](const QString& m) { status_->setText("autosave failed: " + m); });

  build_menus();
  qApp->installEventFilter(this);  // navigation keys in tables (eventFilter)
  QSettings st;
  if (options.restore_layout) {  // headless runs are reproducible: no saved layout or run settings
    prompt_->load_settings();
    restoreGeometry(st.value("window/geometry").toByteArray());
    restoreState(st.value("window/state").toByteArray());
  }
  const int th = options.restore_layout ? st.value("view/theme", 0).toInt() : 0;
  set_theme(Theme(std::clamp(th, 0, 3)));
  last_dir_ = st.value("files/last_dir", QDir::homePath()).toString();
  start_recovery(options.recovery);
  autosaver_->set_enabled(options.autosave);
}

void MainWindow::start_recovery(Recovery r) {
  const QString path = autosaver_->path();
  if (r == Recovery::Ignore || !Autosaver::exists(path)) return;
  if (r == Recovery::Recover) {
    recover_autosave();
  } else if (r == Recovery::Discard) {
    QFile::remove(path);
  } else if (!qEnvironmentVariableIsSet("Z2Z_STUDIO_NO_DIALOGS")) {  // Ask, once the window is up
    QTimer::singleShot(0, this, [this, path] {
      QMessageBox box(QMessageBox::Question, "Recover session",
                      QString("Recover the unsaved session from %1?")
                          .arg(QLocale().toString(Autosaver::written_at(path), QLocale::ShortFormat)),
                      QMessageBox::NoButton, this);
      box.setAccessibleName("Recover session");
      box.setInformativeText("zip2zip studio did not shut down cleanly; it autosaved the session to " + path + ".");
      auto* recover = box.addButton("Recover", QMessageBox::AcceptRole);
      box.addButton("Discard", QMessageBox::DestructiveRole);
      box.setDefaultButton(recover);
      box.exec();
      if (box.clickedButton() == static_cast<QAbstractButton*>(recover))
        recover_autosave();
      else
        QFile::remove(path);
    });
  }
}

bool MainWindow::recover_autosave() {
  const QString path = autosaver_->path();
  if (!Autosaver::exists(path)) return false;
  recovering_ = path;  // read on the loader's worker like any file; install_opened_session finishes it
  open_session(path);
  return true;
}

MainWindow::~MainWindow() = default;

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::ShortcutOverride &&
      (qobject_cast<QAbstractItemView*>(watched) || qobject_cast<QAbstractSlider*>(watched))) {
    const auto* k = static_cast<QKeyEvent*>(event);
    const bool nav = k->key() == Qt::Key_Left || k->key() == Qt::Key_Right || k->key() == Qt::Key_Up ||
                     k->key() == Qt::Key_Down || k->key() == Qt::Key_Home || k->key() == Qt::Key_End ||
                     k->key() == Qt::Key_PageUp || k->key() == Qt::Key_PageDown;
    if (nav && (k->modifiers() & ~(Qt::ShiftModifier | Qt::KeypadModifier)) == 0) {
      event->accept();  // the widget gets the key press; the timeline shortcut does not fire
      return true;
    }
  }
  return QMainWindow::eventFilter(watched, event);
}

QDockWidget* MainWindow::add_dock(QWidget* w, const QString& name, const QString& title, Qt::DockWidgetArea area) {
  auto* d = new QDockWidget(QString(title).replace("&&", "&"), this);
  d->setObjectName("dock-" + name);
  w->setObjectName(name);
  w->setAccessibleName(QString(title).replace("&&", "&"));
  d->setWidget(w);
  addDockWidget(area, d);
  docks_.push_back(d);
  return d;
}

QStringList MainWindow::panel_names() const {
  return {"prompt",   "stream",    "codebook", "dashboard", "alternatives",
          "timeline", "inspector", "teaching", "sidebyside"};
}

QWidget* MainWindow::panel(const QString& name) {
  if (name == "stream") return stream_;
  for (auto* d : docks_)
    if (d->objectName() == "dock-" + name) {
      d->show();
      d->raise();
      return d->widget();
    }
  return nullptr;
}

void MainWindow::build_menus() {
  auto act = [this](QMenu* m, const QString& text, const QKeySequence& key, auto fn) {
    auto* a = m->addAction(text);
    if (!key.isEmpty()) a->setShortcut(key);
    connect(a, &QAction::triggered, this, fn);
    addAction(a);  // shortcuts work with the menu bar hidden (presentation mode)
    return a;
  };
  QMenu* file = menuBar()->addMenu("&File");
  act(file, "&Open session…", QKeySequence::Open, [this] { open_session_dialog(); });
  act(file, "&Save session…", QKeySequence::Save, [this] { save_session_dialog(); });
  file->addSeparator();
  act(file, "Export panel as &PNG…", QKeySequence("Ctrl+Shift+E"), [this] { export_current(false); });
  act(file, "Export panel as S&VG…", QKeySequence("Ctrl+Alt+E"), [this] { export_current(true); });
  act(file, "Export whole stream as PNG…", {}, [this] { export_file("stream-png"); });
  act(file, "Export whole stream as SVG…", {}, [this] { export_file("stream-svg"); });
  act(file, "Export &HTML…", {}, [this] { export_file("html"); });
  act(file, "Export session &JSON…", {}, [this] { export_file("json"); });
  act(file, "Export codebook &CSV…", {}, [this] { export_file("csv"); });
  file->addSeparator();
  act(file, "&Quit", QKeySequence::Quit, [this] { close(); });

  QMenu* edit = menuBar()->addMenu("&Edit");
  auto* undo = act(edit, "&Undo (previous branch)", QKeySequence("Ctrl+Z"), [this] { ctx_->undo(); });
  auto* redo = act(edit, "&Redo", QKeySequence("Ctrl+Y"), [this] { ctx_->redo(); });
  undo->setEnabled(false);
  redo->setEnabled(false);
  connect(ctx_, &SessionContext::historyChanged, this, [this, undo, redo] {
    undo->setEnabled(ctx_->can_undo());
    redo->setEnabled(ctx_->can_redo());
  });
  edit->addSeparator();
  // Ctrl+C belongs to the focused widget (text fields, tables, the stream view's own handler): the menu
  // shows it, but the action only takes it while the window itself has focus.
  act(edit, "Copy token text", QKeySequence::Copy, [this] {
    stream_->view()->copy_selected(0);
  })->setShortcutContext(Qt::WidgetShortcut);
  act(edit, "Copy token ids", QKeySequence("Ctrl+Shift+C"), [this] { stream_->view()->copy_selected(1); });
  act(edit, "Copy token as JSON", QKeySequence("Ctrl+Alt+C"), [this] { stream_->view()->copy_selected(2); });

  QMenu* run = menuBar()->addMenu("&Run");
  act(run, "&Generate", QKeySequence("Ctrl+Return"), [this] { generate(); });
  act(run, "&Stop", QKeySequence(Qt::Key_Escape), [this] { stop(); });
  act(run, "Side by side: run both models", QKeySequence("Ctrl+Shift+Return"), [this] {
    panel("sidebyside");
    side_->run(prompt_->request());
  });

  QMenu* tl = menuBar()->addMenu("&Timeline");
  act(tl, "Play / pause", QKeySequence(Qt::Key_Space), [this] { timeline_->toggle_play(); });
  act(tl, "Step back", QKeySequence(Qt::Key_Left), [this] { timeline_->step_by(-1); });
  act(tl, "Step forward", QKeySequence(Qt::Key_Right), [this] { timeline_->step_by(1); });
  act(tl, "First step", QKeySequence(Qt::Key_Home), [this] { timeline_->go_home(); });
  act(tl, "Last step", QKeySequence(Qt::Key_End), [this] { timeline_->go_end(); });

  QMenu* view = menuBar()->addMenu("&View");
  for (int m = 0; m < 4; ++m)
    act(view, "Colour: " + color_mode_name(ColorMode(m)), QKeySequence(QString("Ctrl+%1").arg(m + 1)),
        [this, m] { stream_->set_color_mode(ColorMode(m)); });
  act(view, "Toggle whitespace glyphs", QKeySequence("Ctrl+Shift+W"),
      [this] { stream_->set_visible_whitespace(!stream_->view()->visible_whitespace()); });
  view->addSeparator();
  QMenu* themes = view->addMenu("Theme");
  auto* group = new QActionGroup(this);
  const char* names[] = {"Follow the system", "Light", "Dark", "High contrast"};
  for (int t = 0; t < 4; ++t) {
    auto* a = themes->addAction(names[t]);
    a->setCheckable(true);
    group->addAction(a);
    connect(a, &QAction::triggered, this, [this, t] { set_theme(Theme(t)); });
  }
  auto* present = act(view, "Presentation mode", QKeySequence("F11"), [this] { set_presentation(!presentation_); });
  present->setCheckable(true);
  auto* reduced = view->addAction("Reduced motion (no row flash)");
  reduced->setCheckable(true);
  reduced->setChecked(
      QSettings().value("view/reduced_motion", qEnvironmentVariableIsSet("Z2Z_REDUCED_MOTION")).toBool());
  codebook_->set_reduced_motion(reduced->isChecked());
  connect(reduced, &QAction::toggled, this, [this](bool on) {
    codebook_->set_reduced_motion(on);
    QSettings().setValue("view/reduced_motion", on);
  });
  view->addSeparator();
  QMenu* panels = view->addMenu("Panels");
  for (auto* d : docks_) panels->addAction(d->toggleViewAction());
  act(view, "Reset layout", {}, [this] {
    for (auto* d : docks_) d->show();
  });

  QMenu* help = menuBar()->addMenu("&Help");
  act(help, "About zip2zip studio", {}, [this] {
    QMessageBox::about(this, "zip2zip studio",
                       "zip2zip studio " Z2Z_VERSION
                       "<br>See the vocabulary grow: LZW hypertokens, live.<br>"
                       "Generate: Ctrl+Enter · Stop: Esc · Scrub: ←/→, Space, Home/End (arrows move "
                       "the selection while the stream, a table or a text field has focus)");
  });
}

void MainWindow::error_dialog(const QString& title, const QString& text) {
  status_->setText(title + ": " + text);
  if (qEnvironmentVariableIsSet("Z2Z_STUDIO_NO_DIALOGS")) return;  // headless runs / tests
  QMessageBox::warning(this, title, text);
}

void MainWindow::generate() {
  if (controller_->busy()) return;
  GenerationRequest rq = prompt_->request();
  if (!QFileInfo(rq.model_dir).isDir()) {
    error_dialog("Generate", QString("model directory %1 does not exist").arg(rq.model_dir));
    Q_EMIT runFinished(false);
    return;
  }
  pending_title_.clear();
  pending_branch_.reset();
  prompt_->save_settings();
  prompt_->set_running(true);
  prompt_->set_status("loading the model…");
  ctx_->set_generating(true);
  controller_->start(rq);
}

void MainWindow::stop() {
  if (controller_->busy()) controller_->stop();
  if (timeline_->playing()) timeline_->toggle_play();
  side_->stop();
}

void MainWindow::branch(qint64 step, int candidate) {
  if (!ctx_->has_session() || controller_->busy()) return;
  const auto& s = ctx_->session();
  if (s.info().source != "generate" || step < 0 || step >= s.steps()) return;
  const auto st = s.step(step);
  const gen::Candidate* cand = nullptr;
  for (const auto& c : st.top)
    if (c.id == candidate) cand = &c;
  if (!cand) return;
  // Regenerate from `step` with the candidate forced, resuming the exact codes of the old run: the
  // generator is fed the old prompt codes and the codes of steps < step as they were emitted (possibly
  // non-canonical), so the codebook is exactly the one the old run had at `step` (later entries are
  // rolled back). The new session starts with a copy of those events; the previous one stays on the
  // undo stack (Ctrl+Z).
  if (!s.prompt()) return;
  GenerationRequest rq = prompt_->request();
  rq.model_dir = QString::fromStdString(s.info().model_dir);
  rq.prompt = QString::fromStdString(s.prompt()->event.text);
  rq.prompt_ids = s.prompt()->event.base_ids;
  if (!s.info().tokenizer.empty()) rq.tokenizer = QString::fromStdString(s.info().tokenizer);
  rq.params.compress_prompt = s.info().compress_prompt;
  rq.params.mask_uninstalled = s.info().mask_uninstalled;
  if (s.info().zip2zip) {  // the same K and S, or the codebook would differ
    rq.max_codebook_size = s.info().compression.max_codebook_size;
    rq.max_subtokens = s.info().compression.max_subtokens;
  }
  gen::CodeSeed seed;
  seed.prompt_codes = s.prompt()->event.codes;
  for (std::int64_t i = 0; i < step; ++i) seed.prefix.push_back(s.step(i).code);
  seed.forced = {candidate};
  rq.params.seed = std::move(seed);
  rq.params.max_new_tokens = std::max<std::int64_t>(rq.params.max_new_tokens, 1);
  pending_branch_ = PendingBranch{ctx_->session_ptr(), step};
  pending_title_ = QString("branch at step %1 → #%2").arg(step).arg(candidate);
  prompt_->set_running(true);
  ctx_->set_generating(true);
  controller_->start(rq);
}

// Model-load warnings (what the CLI prints as "warning: ..."): one line each on stderr and under the
// model picker, and a notice in the status bar (all of them in its tooltip). Nothing modal.
void MainWindow::show_model_warnings(const QStringList& warnings) {
  prompt_->set_model_warnings(warnings);
  status_->setToolTip(warnings.join('\n'));
  if (warnings.isEmpty()) return;
  for (const QString& w : warnings) std::fprintf(stderr, "z2z-studio: warning: %s\n", qPrintable(w));
  status_->setText(status_->text() + QString(" · ⚠ %1 model warning%2: %3")
                                         .arg(warnings.size())
                                         .arg(warnings.size() == 1 ? "" : "s")
                                         .arg(warnings.first()));
}

void MainWindow::open_session(const QString& path) {
  status_->setText("opening " + path + "…");
  load_progress_->setRange(0, 0);  // busy until the first byte count arrives
  load_progress_->setFormat("");
  load_progress_->show();
  loader_->start(path);
}

bool MainWindow::loading_session() const { return loader_->busy(); }

void MainWindow::show_load_progress(qint64 done, qint64 total) {
  constexpr double kMB = 1e6;
  load_progress_->setRange(0, 1000);
  load_progress_->setValue(total > 0 ? static_cast<int>(1000 * done / total) : 0);
  load_progress_->setFormat(
      QString("%1 / %2 MB").arg(double(done) / kMB, 0, 'f', 1).arg(double(total) / kMB, 0, 'f', 1));
}

void MainWindow::install_opened_session(const QString& path, std::shared_ptr<session::Session> s) {
  load_progress_->hide();
  if (!recovering_.isEmpty() && path == recovering_) {  // the autosave: it stays until saved or a clean exit
    recovering_.clear();
    const QString when = QLocale().toString(Autosaver::written_at(path), QLocale::ShortFormat);
    ctx_->set_session(s, "recovered session (" + when + ")", true);
    autosaver_->mark_unmodified();
    status_->setText(
        QString("recovered the autosaved session from %1 (%2 steps) — save it with Ctrl+S").arg(when).arg(s->steps()));
    Q_EMIT sessionOpened(path, true, {});
    return;
  }
  ctx_->set_session(s, QFileInfo(path).fileName(), true);
  autosaver_->mark_saved();  // it is on disk already
  last_dir_ = QFileInfo(path).absolutePath();
  status_->setText(QString("opened %1 · %2").arg(path, QString::fromStdString(session::run_title(*s))));
  Q_EMIT sessionOpened(path, true, {});
}

bool MainWindow::open_session_and_wait(const QString& path, QString* error) {
  QEventLoop loop;
  bool ok = false;
  const auto c =
      connect(this, &MainWindow::sessionOpened, &loop, [&](const QString& p, bool success, const QString& m) {
        if (p != path) return;
        ok = success;
        if (error) *error = m;
        loop.quit();
      });
  open_session(path);
  loop.exec();
  disconnect(c);
  return ok;
}

void MainWindow::open_session_dialog() {
  const QString path =
      QFileDialog::getOpenFileName(this, "Open session", last_dir_, "Sessions (*.json);;All files (*)");
  if (!path.isEmpty()) open_session(path);
}

void MainWindow::save_session_dialog() { export_file("json"); }

QWidget* MainWindow::current_panel() {
  for (QWidget* w = QApplication::focusWidget(); w; w = w->parentWidget()) {
    if (w == stream_) return stream_;
    if (auto* d = qobject_cast<QDockWidget*>(w)) return d->widget();
  }
  return stream_;
}

bool MainWindow::save_png(QWidget* w, const QString& path, qreal scale) {
  QImage img(w->size() * scale, QImage::Format_ARGB32);
  img.setDevicePixelRatio(scale);
  img.fill(w->palette().color(QPalette::Window));
  {
    QPainter p(&img);
    w->render(&p);
  }
  return img.save(path, "PNG");
}

bool MainWindow::save_svg(QWidget* w, const QString& path) {
  QSvgGenerator gen;
  gen.setFileName(path);
  gen.setSize(w->size());
  gen.setViewBox(QRect(QPoint(0, 0), w->size()));
  gen.setTitle(w->accessibleName());
  QPainter p(&gen);
  w->render(&p);
  return p.end();
}

// The whole stream (not just the visible window) through the shared session renderer (the same
// picture `z2z export` makes).
bool MainWindow::save_stream_png(const QString& path, int width) {
  if (!ctx_->has_session()) return false;
  ImageOptions o;
  o.width = width;
  o.scale = 2.0;
  o.visible_whitespace = stream_->view()->visible_whitespace();
  export_png(ctx_->session(), ctx_->cursor(), o, path.toStdString());
  return true;
}

bool MainWindow::save_stream_svg(const QString& path, int width) {
  if (!ctx_->has_session()) return false;
  ImageOptions o;
  o.width = width;
  o.visible_whitespace = stream_->view()->visible_whitespace();
  export_svg(ctx_->session(), ctx_->cursor(), o, path.toStdString());
  return true;
}

void MainWindow::export_current(bool svg) {
  QWidget* w = current_panel();
  const QString suffix = svg ? "svg" : "png";
  const QString path = QFileDialog::getSaveFileName(this, "Export " + w->accessibleName(),
                                                    last_dir_ + "/" + w->objectName() + "." + suffix,
                                                    svg ? "SVG (*.svg)" : "PNG (*.png)");
  if (path.isEmpty()) return;
  const bool ok = svg ? save_svg(w, path) : save_png(w, path, 2.0);
  if (!ok)
    error_dialog("Export", "could not write " + path);
  else
    status_->setText("exported " + path);
}

void MainWindow::export_file(const QString& kind) {
  if (!ctx_->has_session()) {
    error_dialog("Export", "no session to export yet");
    return;
  }
  struct K {
    const char* kind;
    const char* ext;
    const char* filter;
  };
  static const K kinds[] = {{"json", "json", "Session (*.json)"},
                            {"csv", "csv", "CSV (*.csv)"},
                            {"html", "html", "HTML (*.html)"},
                            {"stream-png", "png", "PNG (*.png)"},
                            {"stream-svg", "svg", "SVG (*.svg)"}};
  const K* k = nullptr;
  for (const auto& x : kinds)
    if (kind == x.kind) k = &x;
  if (!k) return;
  const QString path = QFileDialog::getSaveFileName(this, "Export", last_dir_ + "/session." + k->ext, k->filter);
  if (path.isEmpty()) return;
  try {
    const auto& s = ctx_->session();
    auto write = [&](const std::string& data) {
      QFile f(path);
      if (!f.open(QIODevice::WriteOnly)) z2z::fail("{}: cannot write", path.toStdString());
      f.write(data.data(), static_cast<qint64>(data.size()));
    };
    if (kind == "json") {
      session::save(s, path.toStdString());
      autosaver_->mark_saved();
    } else if (kind == "csv")
      write(session::codebook_csv(s, ctx_->cursor()));
    else if (kind == "html")
      write(session::session_html(s, ctx_->cursor()));
    else if (kind == "stream-png") {
      if (!save_stream_png(path)) z2z::fail("{}: cannot write", path.toStdString());
    } else if (kind == "stream-svg") {
      if (!save_stream_svg(path)) z2z::fail("{}: cannot write", path.toStdString());
    }
    last_dir_ = QFileInfo(path).absolutePath();
    status_->setText("exported " + path);
  } catch (const std::exception& e) {
    error_dialog("Export", e.what());
  }
}

void MainWindow::set_theme(Theme t) {
  theme_ = t;
  if (options_.restore_layout) QSettings().setValue("view/theme", int(t));
  static const QPalette system_palette = QApplication::palette();
  Theme effective = t;
  if (t == Theme::System) {
    const bool dark = system_palette.color(QPalette::Window).lightness() < 128;
    effective = dark ? Theme::Dark : Theme::Light;
  }
  QApplication::setStyle(QStyleFactory::create("Fusion"));
  QApplication::setPalette(theme_palette(effective));
  dashboard_->set_dark(effective != Theme::Light);
  stream_->view()->set_background(effective == Theme::Light          ? QColor(Qt::white)
                                  : effective == Theme::HighContrast ? QColor(Qt::black)
                                                                     : QColor(30, 30, 34));
  stream_->view()->set_ghost_opacity(effective == Theme::HighContrast ? 0.5 : 0.22);
  update();
}

void MainWindow::set_presentation(bool on) {
  if (on == presentation_) return;
  presentation_ = on;
  QFont f = QApplication::font();
  if (on) {
    pre_presentation_state_ = saveState();
    menuBar()->hide();
    statusBar()->hide();
    for (auto* d : docks_)
      if (d->objectName() != "dock-dashboard" && d->objectName() != "dock-timeline") d->hide();
    f.setPointSizeF(f.pointSizeF() * 1.5);
    QApplication::setFont(f);
    stream_->view()->set_font_point_size(18);
    showNormal();
    resize(1600, 900);  // the 16:9 capture frame
  } else {
    menuBar()->show();
    statusBar()->show();
    f.setPointSizeF(f.pointSizeF() / 1.5);
    QApplication::setFont(f);
    stream_->view()->set_font_point_size(10.5);
    restoreState(pre_presentation_state_);
  }
}

void MainWindow::closeEvent(QCloseEvent* e) {
  autosaver_->discard();  // a clean shutdown leaves no autosave behind
  controller_->stop();
  side_->stop();
  QSettings st;
  if (!presentation_) {
    st.setValue("window/geometry", saveGeometry());
    st.setValue("window/state", saveState());
  }
  st.setValue("files/last_dir", last_dir_);
  prompt_->save_settings();
  e->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
  if (e->mimeData()->hasUrls()) e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
  for (const QUrl& u : e->mimeData()->urls())
    if (u.isLocalFile()) {
      open_session(u.toLocalFile());
      break;
    }
}

}  // namespace z2z::ui
