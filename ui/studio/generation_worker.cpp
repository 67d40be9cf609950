// GenerationWorker / GenerationController: model loading and generation on a worker thread.
#include "ui/studio/generation_worker.h"

#include <chrono>
#include <exception>

#include "core/generate/run_info.h"
#include "core/model/zip2zip_model.h"
#include "core/util/error.h"

namespace z2z::ui {

void register_meta_types() {
  qRegisterMetaType<GenerationRequest>("z2z::ui::GenerationRequest");
  qRegisterMetaType<RunStart>("z2z::ui::RunStart");
  qRegisterMetaType<gen::PromptEvent>("z2z::gen::PromptEvent");
  qRegisterMetaType<gen::StepEvent>("z2z::gen::StepEvent");
  qRegisterMetaType<gen::FinishEvent>("z2z::gen::FinishEvent");
}

struct GenerationWorker::Cached {
  QString key;
  std::shared_ptr<const model::Zip2ZipModel> model;
  QString tokenizer_path;
  std::shared_ptr<const tok::Tokenizer> tokenizer;
};

void GenerationWorker::run(const GenerationRequest& rq) {
  try {
    const QString key = rq.model_dir + "|" + QString::number(rq.max_codebook_size.value_or(-1)) + "|" +
                        QString::number(rq.max_subtokens.value_or(-1));
    if (!cached_ || cached_->key != key) {
      cached_.reset();
      model::LoadOptions lo;
      lo.max_codebook_size = rq.max_codebook_size;
      lo.max_subtokens = rq.max_subtokens;
      auto c = std::make_shared<Cached>();
      c->key = key;
      c->model = model::Zip2ZipModel::load(rq.model_dir.toStdString(), lo);
      cached_ = c;
    }
    const auto& ms = cached_->model->summary();
    QString tok_path = rq.tokenizer;
    if (tok_path.isEmpty() && ms.tokenizer_json) tok_path = QString::fromStdString(ms.tokenizer_json->string());
    if (tok_path != cached_->tokenizer_path || (!tok_path.isEmpty() && !cached_->tokenizer)) {
      cached_->tokenizer.reset();
      cached_->tokenizer_path = tok_path;
      if (!tok_path.isEmpty())
        cached_->tokenizer = std::make_shared<tok::Tokenizer>(tok::Tokenizer::from_file(tok_path.toStdString()));
    }
    auto tokenizer = cached_->tokenizer;

    std::vector<std::int32_t> ids;
    const std::string text = rq.prompt.toStdString();
    if (!rq.prompt_ids.empty()) {
      ids = rq.prompt_ids;
    } else if (tokenizer) {
      ids = tokenizer->encode_ids(text);
    } else {  // ids-only model: the prompt is whitespace-separated ids
      for (const QString& part : rq.prompt.split(QRegExp("[\\s,]+"), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int v = part.toInt(&ok);
        if (!ok)
          z2z::fail("prompt: '{}' is not a token id (this model has no tokenizer: give ids)", part.toStdString());
        ids.push_back(v);
      }
    }
    if (ids.empty() && ms.bos_id) ids.push_back(static_cast<std::int32_t>(*ms.bos_id));
    if (ids.empty()) z2z::fail("prompt: empty (type some text)");

    RunStart st;
    st.tag = rq.tag;
    st.info = gen::generation_run_info(*cached_->model, rq.model_dir.toStdString(), rq.params,
                                       tokenizer ? tok_path.toStdString() : "", tokenizer != nullptr);
    st.tokenizer = tokenizer;
    st.model_summary = QString("%1 · %2 · V=%3 K=%4 S=%5 · %6 layers")
                           .arg(QString::fromStdString(ms.dir.filename().string()))
                           .arg(ms.zip2zip ? "zip2zip" : "base")
                           .arg(ms.V0)
                           .arg(ms.K)
                           .arg(ms.S)
                           .arg(ms.layers);
    for (const std::string& w : ms.warnings) st.model_warnings << QString::fromStdString(w);
    Q_EMIT started(st);

    gen::Detokenizer detok;
    if (tokenizer) detok = [tokenizer](std::span<const std::int32_t> s) { return tokenizer->decode(s); };
    gen::Generator g(cached_->model, detok);
    gen::GenerationCallbacks cb;
    cb.on_prompt = [this](const gen::PromptEvent& e) { Q_EMIT prompt(e); };
    cb.on_step = [this](const gen::StepEvent& e) { Q_EMIT step(e); };
    cb.on_finish = [this](const gen::FinishEvent& e) { Q_EMIT finished(e); };
    g.run(ids, text, rq.params, cb, cancel_);
  } catch (const std::exception& e) {
    Q_EMIT failed(QString::fromStdString(e.what()));
  }
}

GenerationController::GenerationController(QObject* parent) : QObject(parent) {
  register_meta_types();
  worker_ = new GenerationWorker(&cancel_);
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  connect(this, &GenerationController::runRequested, worker_, &GenerationWorker::run, Qt::QueuedConnection);
  connect(worker_, &GenerationWorker::started, this, &GenerationController::started, Qt::QueuedConnection);
  connect(worker_, &GenerationWorker::prompt, this, &GenerationController::prompt, Qt::QueuedConnection);
  connect(worker_, &GenerationWorker::step, this, &GenerationController::step, Qt::QueuedConnection);
  connect(
      worker_, &GenerationWorker::finished, this,
      [this](const gen::FinishEvent& e) {
        busy_ = false;
        Q_EMIT finished(e);
      },
      Qt::QueuedConnection);
  connect(
      worker_, &GenerationWorker::failed, this,
      [this](const QString& m) {
        busy_ = false;
        Q_EMIT failed(m);
      },
      Qt::QueuedConnection);
  thread_.setObjectName("z2z-generation");
  thread_.start();
}

GenerationController::~GenerationController() {
  cancel_ = true;
  thread_.quit();
  thread_.wait();
}

void GenerationController::start(const GenerationRequest& request) {
  cancel_ = false;
  busy_ = true;
  Q_EMIT runRequested(request);
}

}  // namespace z2z::ui
