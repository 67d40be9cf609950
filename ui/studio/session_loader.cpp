// SessionLoader: session::load on a QThread, results queued back to the loader's thread.
#include "ui/studio/session_loader.h"

#include <QThread>

#include "core/session/session_file.h"

namespace z2z::ui {

struct SessionLoader::Job {
  std::atomic<bool> cancel{false};
};

namespace {
struct Cancelled {};  // thrown from the progress callback: unwinds session::load
}  // namespace

SessionLoader::SessionLoader(QObject* parent) : QObject(parent) {
  qRegisterMetaType<std::shared_ptr<session::Session>>("std::shared_ptr<z2z::session::Session>");
}

SessionLoader::~SessionLoader() {
  if (job_) job_->cancel = true;
  // Wait for every worker still running (abandoned ones included): they post to `this`.
  for (QThread* t : findChildren<QThread*>()) {
    t->wait();
    delete t;
  }
}

void SessionLoader::abandon() {
  if (job_) job_->cancel = true;
  job_.reset();
  thread_ = nullptr;  // it deletes itself (deleteLater on finished) once it notices
}

void SessionLoader::start(const QString& path) {
  abandon();
  path_ = path;
  const int id = ++id_;
  auto job = std::make_shared<Job>();
  job_ = job;
  // The worker posts to `this` (the destructor waits for it); posted calls die with `this`.
  thread_ = QThread::create([this, job, id, path] {
    std::shared_ptr<session::Session> s;
    QString error;
    const auto report = [&](std::size_t done, std::size_t total) {
      if (job->cancel) throw Cancelled{};
      QMetaObject::invokeMethod(this, [this, id, done, total] {
        if (id_ == id) Q_EMIT progress(qint64(done), qint64(total));
      });
    };
    try {
      s = std::make_shared<session::Session>(session::load(path.toStdString(), report));
    } catch (const Cancelled&) {
      return;
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    if (job->cancel) return;
    QMetaObject::invokeMethod(this, [this, id, s, error] { finish(id, s, error); });
  });
  thread_->setParent(this);
  connect(thread_, &QThread::finished, thread_, &QObject::deleteLater);
  thread_->start();
}

void SessionLoader::finish(int id, std::shared_ptr<session::Session> s, const QString& error) {
  if (id != id_ || !job_) return;  // an abandoned load
  job_.reset();
  thread_ = nullptr;
  if (s)
    Q_EMIT loaded(path_, std::move(s));
  else
    Q_EMIT failed(path_, error);
}

}  // namespace z2z::ui
