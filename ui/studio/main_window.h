// MainWindow — the z2z-studio shell: the stream panel in the centre and every other panel in a dock
// (layout, theme and run settings saved with QSettings), the menus with every action and its
// shortcut, the GenerationController wiring (worker events -> SessionContext appends on the GUI
// thread), session open (menu, drag and drop; read on a worker: session_loader.h) and save, exports (PNG/SVG of a panel
// or the whole stream, HTML, JSON, CSV), themes, presentation mode and the headless screenshot helpers. Not a panel and
// not the engine: panels live in ui/panels/, generation in generation_worker.h.
#pragma once

#include <QMainWindow>
#include <QString>
#include <memory>
#include <optional>

#include "ui/studio/autosave.h"
#include "ui/studio/generation_worker.h"
#include "ui/studio/session_context.h"
#include "ui/studio/theme.h"

class QDockWidget;
class QLabel;
class QProgressBar;

namespace z2z::ui {

class PromptPanel;
class StreamPanel;
class CodebookPanel;
class DashboardPanel;
class AlternativesPanel;
class TimelinePanel;
class InspectorPanel;
class TeachingPanel;
class SideBySidePanel;
class SessionLoader;

// What to do at start with an autosave left by a crash (docs/studio.md, Autosave and recovery).
enum class Recovery { Ignore, Ask, Recover, Discard };

struct StudioOptions {
  QString source_dir;         // for default paths (demo models, shared tokenizers)
  QString default_model_dir;  // resources/models/demo-zip2zip
  QString base_model_dir;     // resources/models/demo-base
  bool restore_layout = true;
  bool autosave = false;                 // write autosaves (the app turns it on; headless runs and tests don't)
  QString autosave_path;                 // "" = Autosaver::default_path()
  Recovery recovery = Recovery::Ignore;  // Ask: a dialog (skipped when Z2Z_STUDIO_NO_DIALOGS is set)
};

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(const StudioOptions& options, QWidget* parent = nullptr);
  ~MainWindow() override;

  SessionContext* context() const { return ctx_; }
  PromptPanel* prompt_panel() const { return prompt_; }
  StreamPanel* stream_panel() const { return stream_; }
  CodebookPanel* codebook_panel() const { return codebook_; }
  DashboardPanel* dashboard_panel() const { return dashboard_; }
  AlternativesPanel* alternatives_panel() const { return alternatives_; }
  TimelinePanel* timeline_panel() const { return timeline_; }
  TeachingPanel* teaching_panel() const { return teaching_; }
  GenerationController* controller() const { return controller_; }
  SideBySidePanel* side_by_side_panel() const { return side_; }
  Autosaver* autosaver() const { return autosaver_; }
  // Open the autosave as the current session (kept on disk until a clean shutdown): read on a worker
  // like open_session(), installed later (sessionOpened() tells when). False if there is none.
  bool recover_autosave();

  // Open a session file: it is read on a worker thread (status bar: bytes read) and installed on the
  // GUI thread; sessionOpened() tells when. Errors -> dialog (none with Z2Z_STUDIO_NO_DIALOGS) and the
  // status line; the current session stays. Opening another file abandons a load in progress.
  void open_session(const QString& path);
  bool loading_session() const;
  // open_session() and wait for it (a local event loop runs meanwhile: for tests and scripts).
  bool open_session_and_wait(const QString& path, QString* error = nullptr);
  void generate();
  void stop();
  // Regenerate from `step` with `candidate` (one of that step's top-k) forced; the current session goes
  // on the undo stack (docs/studio.md, Branching).
  void branch(qint64 step, int candidate);
  void set_theme(Theme t);
  Theme theme() const { return theme_; }
  void set_presentation(bool on);
  // The widget of a panel by name (prompt, stream, codebook, dashboard, alternatives, timeline,
  // inspector, teaching, sidebyside); nullptr if unknown. Raises its dock.
  QWidget* panel(const QString& name);
  QStringList panel_names() const;
  bool save_png(QWidget* w, const QString& path, qreal scale = 1.0);
  bool save_svg(QWidget* w, const QString& path);
  bool save_stream_png(const QString& path, int width = 1200);  // the whole stream, one tall image
  bool save_stream_svg(const QString& path, int width = 1200);

 Q_SIGNALS:
  void runFinished(bool ok);
  void sessionOpened(const QString& path, bool ok, const QString& error);

 protected:
  void closeEvent(QCloseEvent*) override;
  // Arrow/Home/End/Page keys belong to a focused table, tree or slider, not to the window-wide
  // timeline shortcuts (ShortcutOverride accepted for them; the stream view does the same itself).
  bool eventFilter(QObject* watched, QEvent* event) override;
  void dragEnterEvent(QDragEnterEvent*) override;
  void dropEvent(QDropEvent*) override;

 private:
  void build_menus();
  QDockWidget* add_dock(QWidget* w, const QString& name, const QString& title, Qt::DockWidgetArea area);
  void error_dialog(const QString& title, const QString& text);
  QWidget* current_panel();
  void export_current(bool svg);
  void export_file(const QString& kind);
  void save_session_dialog();
  void open_session_dialog();
  void start_recovery(Recovery r);
  void install_opened_session(const QString& path, std::shared_ptr<session::Session> s);
  void show_load_progress(qint64 done, qint64 total);
  void show_model_warnings(const QStringList& warnings);

  StudioOptions options_;
  SessionContext* ctx_;
  GenerationController* controller_;
  PromptPanel* prompt_;
  StreamPanel* stream_;
  CodebookPanel* codebook_;
  DashboardPanel* dashboard_;
  AlternativesPanel* alternatives_;
  TimelinePanel* timeline_;
  InspectorPanel* inspector_;
  TeachingPanel* teaching_;
  SideBySidePanel* side_ = nullptr;
  std::vector<QDockWidget*> docks_;
  std::shared_ptr<const tok::Tokenizer> run_tokenizer_;
  QLabel* status_;
  SessionLoader* loader_;
  QProgressBar* load_progress_;  // in the status bar while a session file is read
  Autosaver* autosaver_ = nullptr;
  Theme theme_ = Theme::System;
  bool presentation_ = false;
  QByteArray pre_presentation_state_;
  QString last_dir_;
  QString recovering_;  // the autosave being read for recovery (empty: none)
  QString pending_title_;
  struct PendingBranch {
    std::shared_ptr<const session::Session> from;
    std::int64_t step = 0;
  };
  std::optional<PendingBranch> pending_branch_;  // set by branch(), consumed when the run starts
  bool skip_prompt_event_ = false;
};

}  // namespace z2z::ui
