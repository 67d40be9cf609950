// GenerationWorker — runs a zip2zip model off the GUI thread. A GenerationController owns one worker
// QThread; start() queues a request (model dir, tokenizer, sampling, K/S overrides, prompt). The
// worker loads the model (cached between runs with the same dir and overrides) and its tokenizer,
// reports `started` (run info + tokenizer, so the GUI thread can create the Session), then every
// generator event through queued signals, in order. stop() sets the cancel flag: the generator ends
// with reason "cancelled" and everything generated so far stays.
// Not a view: it never touches a Session or a widget. No libtorch types here (the engine is pimpl'd).
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>
#include <atomic>
#include <memory>
#include <optional>

#include "core/generate/events.h"
#include "core/generate/generator.h"
#include "core/session/session.h"
#include "core/tokenizer/tokenizer.h"

namespace z2z::ui {

struct GenerationRequest {
  QString model_dir;
  QString tokenizer;  // "" = the model's tokenizer.json (if any)
  QString prompt;
  std::vector<std::int32_t> prompt_ids;  // non-empty: the prompt's base ids as given (not tokenized again)
  gen::GenerationParams params;          // params.seed: resume exact codes (a branch)
  std::optional<std::int64_t> max_codebook_size, max_subtokens;
  QString tag;  // echoed back (side by side runs two requests)
};

// What the GUI thread needs to build the Session of a run.
struct RunStart {
  QString tag;
  session::RunInfo info;
  std::shared_ptr<const tok::Tokenizer> tokenizer;  // null: ids only
  QString model_summary;                            // one line for the status bar
  QStringList model_warnings;                       // ModelSummary::warnings (unknown config fields, ...)
};

class GenerationWorker : public QObject {
  Q_OBJECT
 public:
  explicit GenerationWorker(std::atomic<bool>* cancel) : cancel_(cancel) {}
 public Q_SLOTS:
  void run(const z2z::ui::GenerationRequest& request);
 Q_SIGNALS:
  void started(const z2z::ui::RunStart& start);
  void prompt(const z2z::gen::PromptEvent& e);
  void step(const z2z::gen::StepEvent& e);
  void finished(const z2z::gen::FinishEvent& e);
  void failed(const QString& message);

 private:
  std::atomic<bool>* cancel_;
  struct Cached;
  std::shared_ptr<Cached> cached_;
};

class GenerationController : public QObject {
  Q_OBJECT
 public:
  explicit GenerationController(QObject* parent = nullptr);
  ~GenerationController() override;
  void start(const GenerationRequest& request);
  void stop() { cancel_ = true; }
  bool busy() const { return busy_; }
 Q_SIGNALS:
  void started(const z2z::ui::RunStart& start);
  void prompt(const z2z::gen::PromptEvent& e);
  void step(const z2z::gen::StepEvent& e);
  void finished(const z2z::gen::FinishEvent& e);
  void failed(const QString& message);
  void runRequested(const z2z::ui::GenerationRequest& request);  // internal: to the worker thread

 private:
  QThread thread_;
  std::atomic<bool> cancel_{false};
  GenerationWorker* worker_ = nullptr;
  bool busy_ = false;
};

void register_meta_types();

}  // namespace z2z::ui

Q_DECLARE_METATYPE(z2z::ui::GenerationRequest)
Q_DECLARE_METATYPE(z2z::ui::RunStart)
Q_DECLARE_METATYPE(z2z::gen::PromptEvent)
Q_DECLARE_METATYPE(z2z::gen::StepEvent)
Q_DECLARE_METATYPE(z2z::gen::FinishEvent)
