// Autosaver: incremental snapshots on the GUI thread, JSON text and atomic write on a worker thread.
#include "ui/studio/autosave.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <chrono>
#include <exception>

namespace z2z::ui {

Autosaver::Autosaver(SessionContext* ctx, const QString& path, QObject* parent)
    : QObject(parent), ctx_(ctx), path_(path) {
  timer_.setInterval(kIntervalMs);
  connect(&timer_, &QTimer::timeout, this, &Autosaver::tick);
  connect(ctx_, &SessionContext::loaded, this, [this] {
    snaps_.reset();  // a new session object: serialize it from the start
    modified_ = non_empty();
  });
  connect(ctx_, &SessionContext::grew, this, [this] { modified_ = true; });
}

Autosaver::~Autosaver() { wait(); }

QString Autosaver::default_path() {
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/autosave/current.z2zsession.json";
}

void Autosaver::set_enabled(bool on) {
  enabled_ = on;
  if (on)
    timer_.start();
  else
    timer_.stop();
}

bool Autosaver::non_empty() const {
  return ctx_->has_session() && (ctx_->steps() > 0 || ctx_->session().prompt().has_value());
}

void Autosaver::mark_saved() {
  modified_ = false;
  wait();
  QFile::remove(path_);
}

void Autosaver::save_now() { tick(); }

void Autosaver::wait() {
  if (write_.valid()) write_.wait();
}

void Autosaver::discard() {
  set_enabled(false);
  modified_ = false;
  wait();
  QFile::remove(path_);
}

void Autosaver::catch_up() {
  catching_up_ = false;
  tick();
}

void Autosaver::tick() {
  if (!enabled_ || !modified_ || !non_empty() || catching_up_) return;
  if (write_.valid() && write_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    return;  // one write at a time: the next tick saves what is new
  const session::Session& s = ctx_->session();
  QElapsedTimer t;
  t.start();
  // A long session not serialized yet (opened, recovered, teaching text) is caught up in slices, one
  // per event-loop turn, so the GUI never stalls on it.
  if (!snaps_.serialize(s, kSliceSteps)) {
    catching_up_ = true;
    QTimer::singleShot(0, this, &Autosaver::catch_up);
    return;
  }
  auto snap = std::make_shared<session::JsonSnapshots::Snapshot>(snaps_.snapshot(s));
  snapshot_ms_ = double(t.nsecsElapsed()) / 1e6;
  modified_ = false;  // steps appended from now on set it again
  const QString path = path_;
  write_ = std::async(std::launch::async, [this, snap, path] {
    QElapsedTimer w;
    w.start();
    QString error;
    try {
      QDir().mkpath(QFileInfo(path).absolutePath());
      session::save(*snap, path.toStdString());
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    const double ms = double(w.nsecsElapsed()) / 1e6;
    QMetaObject::invokeMethod(
        this,
        [this, path, error, ms] {
          write_ms_ = ms;
          if (error.isEmpty()) {
            ++saves_;
            Q_EMIT saved(path);
          } else {
            modified_ = true;  // try again at the next tick
            Q_EMIT failed(error);
          }
        },
        Qt::QueuedConnection);
  });
}

bool Autosaver::exists(const QString& path) { return QFileInfo(path).isFile(); }

QDateTime Autosaver::written_at(const QString& path) { return QFileInfo(path).lastModified(); }

}  // namespace z2z::ui
