// SessionLoader — reads a session file on a worker thread so the GUI stays responsive: start(path)
// runs session::load on a QThread; progress (bytes read so far) and the result come back as queued
// signals on the loader's (GUI) thread, where the caller installs the Session. One load at a time: a
// new start() abandons the previous load (its result is never delivered). The destructor cancels a
// running load and waits for its thread.
// Not a view and not the session model: MainWindow shows the progress and installs the result.
#pragma once

#include <QObject>
#include <QString>
#include <atomic>
#include <memory>

#include "core/session/session.h"

class QThread;

namespace z2z::ui {

class SessionLoader : public QObject {
  Q_OBJECT
 public:
  explicit SessionLoader(QObject* parent = nullptr);
  ~SessionLoader() override;

  void start(const QString& path);
  bool busy() const { return thread_ != nullptr; }
  QString path() const { return path_; }

 Q_SIGNALS:
  void progress(qint64 done, qint64 total);  // bytes of the file read so far
  void loaded(const QString& path, std::shared_ptr<z2z::session::Session> session);
  void failed(const QString& path, const QString& message);  // the one-line z2z::Error message

 private:
  void abandon();  // cancels the running load (if any) without waiting
  void finish(int id, std::shared_ptr<session::Session> s, const QString& error);

  struct Job;  // shared with the worker: cancel flag
  std::shared_ptr<Job> job_;
  QThread* thread_ = nullptr;
  QString path_;
  int id_ = 0;
};

}  // namespace z2z::ui
