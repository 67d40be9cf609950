// Autosaver — crash safety for the studio's current session (docs/studio.md, Autosave and recovery).
// While the session is non-empty and modified (a new run, a branch, a teaching text, live steps), a
// timer (3 s) and the end of each run write it to one file (default:
// AppDataLocation/autosave/current.z2zsession.json, the File ▸ Save format). The GUI thread only
// takes an incremental snapshot (core JsonSnapshots: the steps appended since the last one; a long
// session is caught up in slices of a few thousand steps per event-loop turn); the JSON text is built
// and written with write-then-rename on a worker thread, one write at a time. A clean shutdown removes
// the file; a crash leaves the last complete one, which MainWindow offers to recover on the next start.
// Not the session file format (core/session/session_file.h); GUI thread only.
#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QTimer>
#include <future>

#include "core/session/session_file.h"
#include "ui/studio/session_context.h"

namespace z2z::ui {

class Autosaver : public QObject {
  Q_OBJECT
 public:
  static constexpr int kIntervalMs = 3000;
  static constexpr std::int64_t kSliceSteps = 4000;  // steps serialized per event-loop turn

  Autosaver(SessionContext* ctx, const QString& path, QObject* parent = nullptr);
  ~Autosaver() override;  // waits for a write in flight; never removes the file (that is discard())

  // AppDataLocation/autosave/current.z2zsession.json
  static QString default_path();
  QString path() const { return path_; }

  void set_enabled(bool on);
  bool enabled() const { return enabled_; }
  void set_interval(int ms) { timer_.setInterval(ms); }
  int interval() const { return timer_.interval(); }

  bool modified() const { return modified_; }
  // The current session equals the autosave file (just recovered from it): nothing to write.
  void mark_unmodified() { modified_ = false; }
  // The current session is saved elsewhere (opened from / saved to a file): not modified, and the
  // autosave file is removed.
  void mark_saved();
  // Snapshot now (if modified and non-empty) and write it on the worker thread.
  void save_now();
  // Block until the write in flight (if any) is done (tests, shutdown).
  void wait();
  // Clean shutdown: stop, wait, remove the file.
  void discard();

  // Milliseconds of the last snapshot on the GUI thread and of the last write on the worker.
  double last_snapshot_ms() const { return snapshot_ms_; }
  double last_write_ms() const { return write_ms_; }
  std::int64_t saves() const { return saves_; }

  // Recovery helpers: is there an autosave at `path`, and when was it written.
  static bool exists(const QString& path);
  static QDateTime written_at(const QString& path);

 Q_SIGNALS:
  void saved(const QString& path);
  void failed(const QString& message);

 private:
  void tick();
  void catch_up();
  bool non_empty() const;

  SessionContext* ctx_;
  QString path_;
  QTimer timer_;
  bool enabled_ = false;
  bool modified_ = false;
  bool catching_up_ = false;
  session::JsonSnapshots snaps_;
  std::future<void> write_;
  double snapshot_ms_ = 0, write_ms_ = 0;
  std::int64_t saves_ = 0;
};

}  // namespace z2z::ui
