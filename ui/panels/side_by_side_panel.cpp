// SideBySidePanel: two models, one prompt, equal-pace replay.
#include "ui/panels/side_by_side_panel.h"

#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QVBoxLayout>

#include "ui/studio/theme.h"
#include "ui/widgets/stream_view.h"

namespace z2z::ui {

SideBySidePanel::SideBySidePanel(const QString& left_model, const QString& right_model, QWidget* parent)
    : QWidget(parent) {
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(4, 4, 4, 4);
  auto* bar = new QHBoxLayout;
  auto* replay = new QPushButton("Equal-pace replay");
  replay->setAccessibleName("Equal-pace replay");
  pace_ = new QSpinBox;
  pace_->setRange(1, 500);
  pace_->setValue(20);
  pace_->setSuffix(" steps/s");
  pace_->setAccessibleName("Replay pace");
  auto* hint = new QLabel("Same prompt, two models (Run ▸ Side by side, Ctrl+Shift+Enter)");
  hint->setWordWrap(true);
  bar->addWidget(hint, 1);
  bar->addWidget(pace_);
  bar->addWidget(replay);
  v->addLayout(bar);
  auto* grid = new QGridLayout;
  const QString models[2] = {left_model, right_model};
  for (int i = 0; i < 2; ++i) {
    Column& c = col_[i];
    c.ctx = new SessionContext(this);
    c.gen = new GenerationController(this);
    c.view = new StreamView(c.ctx, this);
    c.view->setAccessibleName(i == 0 ? "Left stream" : "Right stream");
    c.model = new QLineEdit(models[i]);
    c.model->setAccessibleName(i == 0 ? "Left model" : "Right model");
    c.label = new QLabel;
    c.label->setWordWrap(true);
    grid->addWidget(c.model, 0, i);
    grid->addWidget(c.label, 1, i);
    grid->addWidget(c.view, 2, i);
    connect(c.gen, &GenerationController::started, this, [this, i](const RunStart& st) {
      session::Session::TokenBytes tb;
      if (st.tokenizer) {
        auto tok = st.tokenizer;
        tb = [tok](session::TokenId id) { return tok->token_bytes(id); };
      }
      col_[i].ctx->set_session(std::make_shared<session::Session>(st.info, tb), st.model_summary);
      col_[i].ctx->set_generating(true);
    });
    connect(c.gen, &GenerationController::prompt, this, [this, i](const gen::PromptEvent& e) {
      try {
        col_[i].ctx->append_prompt(e);
      } catch (...) {
      }
    });
    connect(c.gen, &GenerationController::step, this, [this, i](const gen::StepEvent& e) {
      try {
        col_[i].ctx->append_step(e);
      } catch (...) {
      }
      update_labels();
    });
    auto done = [this, i] {
      col_[i].running = false;
      col_[i].ctx->set_generating(false);
      update_labels();
      if (!busy()) Q_EMIT bothFinished();
    };
    connect(c.gen, &GenerationController::finished, this, [this, i, done](const gen::FinishEvent& e) {
      try {
        col_[i].ctx->append_finish(e);
      } catch (...) {
      }
      done();
    });
    connect(c.gen, &GenerationController::failed, this, [this, i, done](const QString& m) {
      col_[i].label->setText(error_html(m.toHtmlEscaped()));
      done();
    });
    connect(c.ctx, &SessionContext::cursorChanged, this, &SideBySidePanel::update_labels);
    // synced scrolling by fraction of the content
    connect(c.view->verticalScrollBar(), &QScrollBar::valueChanged, this, [this, i](int value) {
      if (syncing_) return;
      syncing_ = true;
      auto* me = col_[i].view->verticalScrollBar();
      auto* other = col_[1 - i].view->verticalScrollBar();
      const double f = me->maximum() > 0 ? double(value) / me->maximum() : 0.0;
      other->setValue(static_cast<int>(f * other->maximum()));
      syncing_ = false;
    });
  }
  v->addLayout(grid, 1);
  connect(replay, &QPushButton::clicked, this, &SideBySidePanel::replay);
  connect(&replay_timer_, &QTimer::timeout, this, [this] {
    ++replay_step_;
    bool any = false;
    for (auto& c : col_) {
      c.ctx->set_cursor(std::min(replay_step_, c.ctx->steps()));
      any = any || replay_step_ < c.ctx->steps();
    }
    if (!any) replay_timer_.stop();
  });
  update_labels();
}

void SideBySidePanel::run(const GenerationRequest& request) {
  if (busy()) return;
  for (auto& c : col_) {
    GenerationRequest rq = request;
    rq.model_dir = c.model->text().trimmed();
    if (!QFileInfo(rq.model_dir).isDir()) {
      c.label->setText(error_html(QString("%1 does not exist").arg(rq.model_dir.toHtmlEscaped())));
      continue;
    }
    rq.tokenizer.clear();
    c.running = true;
    c.gen->start(rq);
  }
  if (!busy()) Q_EMIT bothFinished();
}

void SideBySidePanel::stop() {
  for (auto& c : col_) c.gen->stop();
  replay_timer_.stop();
}

void SideBySidePanel::replay() {
  replay_step_ = 0;
  for (auto& c : col_) {
    c.ctx->set_following(false);
    c.ctx->set_cursor(0);
  }
  replay_timer_.start(1000 / pace_->value());
}

void SideBySidePanel::update_labels() {
  for (auto& c : col_) {
    if (!c.ctx->has_session()) {
      c.label->setText(c.running ? "loading…" : "<i>not run yet</i>");
      continue;
    }
    const auto& s = c.ctx->session();
    const auto cnt = s.counters(c.ctx->cursor());
    const bool replaying = replay_timer_.isActive();
    const double secs = replaying ? double(c.ctx->cursor()) / pace_->value() : cnt.elapsed_ms / 1000.0;
    const bool done = c.ctx->cursor() >= s.steps() && !c.running;
    c.label->setText(QString("<b>%1</b> · %2/%3 steps · %4 base tokens · %5 s%6")
                         .arg(QString::fromStdString(s.info().zip2zip ? "zip2zip" : "base"))
                         .arg(c.ctx->cursor())
                         .arg(s.steps())
                         .arg(cnt.base_tokens)
                         .arg(secs, 0, 'f', 2)
                         .arg(done ? " · <b>done</b>" : ""));
  }
}

}  // namespace z2z::ui
