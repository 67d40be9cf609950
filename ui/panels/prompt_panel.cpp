// PromptPanel: the run settings form.
#include "ui/panels/prompt_panel.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/studio/theme.h"

namespace z2z::ui {

PromptPanel::PromptPanel(const QStringList& demo_models, QWidget* parent) : QWidget(parent) {
  auto* v = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  model_ = new QComboBox;
  model_->setEditable(true);
  model_->addItems(demo_models);
  model_->setAccessibleName("Model directory");
  model_->setToolTip("A zip2zip or base model directory (config.json + safetensors)");
  auto* open = new QToolButton;
  open->setText("…");
  open->setToolTip("Open model directory…");
  open->setAccessibleName("Open model directory");
  connect(open, &QToolButton::clicked, this, [this] {
    const QString d = QFileDialog::getExistingDirectory(this, "Open model directory", model_dir());
    if (!d.isEmpty()) set_model_dir(d);
  });
  auto* mrow = new QHBoxLayout;
  mrow->addWidget(model_, 1);
  mrow->addWidget(open);
  form->addRow("Model", mrow);
  model_status_ = new QLabel;
  model_status_->setWordWrap(true);
  form->addRow("", model_status_);
  tokenizer_ = new QLineEdit;
  tokenizer_->setPlaceholderText("the model's tokenizer.json");
  tokenizer_->setAccessibleName("Tokenizer file");
  form->addRow("Tokenizer", tokenizer_);

  temperature_ = new QDoubleSpinBox;
  temperature_->setRange(0, 5);
  temperature_->setSingleStep(0.1);
  temperature_->setValue(0.8);
  temperature_->setToolTip("0 = greedy");
  temperature_->setAccessibleName("Temperature");
  top_k_ = new QSpinBox;
  top_k_->setRange(0, 1 << 20);
  top_k_->setValue(40);
  top_k_->setSpecialValueText("off");
  top_k_->setAccessibleName("Top-k");
  top_p_ = new QDoubleSpinBox;
  top_p_->setRange(0.01, 1.0);
  top_p_->setSingleStep(0.05);
  top_p_->setValue(0.95);
  top_p_->setAccessibleName("Top-p");
  seed_ = new QSpinBox;
  seed_->setRange(0, 1 << 30);
  seed_->setAccessibleName("Seed");
  max_tokens_ = new QSpinBox;
  max_tokens_->setRange(1, 1 << 20);
  max_tokens_->setValue(256);
  max_tokens_->setAccessibleName("Max new tokens");
  k_override_ = new QSpinBox;
  k_override_->setRange(0, 1 << 24);
  k_override_->setSpecialValueText("model");
  k_override_->setAccessibleName("Max codebook size override (K)");
  s_override_ = new QSpinBox;
  s_override_->setRange(0, 64);
  s_override_->setSpecialValueText("model");
  s_override_->setAccessibleName("Max subtokens override (S)");
  auto* row1 = new QHBoxLayout;
  row1->addWidget(new QLabel("temp"));
  row1->addWidget(temperature_);
  row1->addWidget(new QLabel("top-k"));
  row1->addWidget(top_k_);
  row1->addWidget(new QLabel("top-p"));
  row1->addWidget(top_p_);
  form->addRow("Sampling", row1);
  auto* row2 = new QHBoxLayout;
  row2->addWidget(new QLabel("seed"));
  row2->addWidget(seed_);
  row2->addWidget(new QLabel("max"));
  row2->addWidget(max_tokens_);
  form->addRow("", row2);
  auto* row3 = new QHBoxLayout;
  row3->addWidget(new QLabel("K"));
  row3->addWidget(k_override_);
  row3->addWidget(new QLabel("S"));
  row3->addWidget(s_override_);
  form->addRow("Overrides", row3);
  v->addLayout(form);

  prompt_ = new QPlainTextEdit;
  prompt_->setPlaceholderText("Prompt (for a model without tokenizer: token ids)");
  prompt_->setPlainText("def fibonacci(n):\n    ");
  prompt_->setAccessibleName("Prompt");
  prompt_->setMinimumHeight(60);
  v->addWidget(prompt_, 1);
  auto* buttons = new QHBoxLayout;
  generate_ = new QPushButton("Generate  (Ctrl+Enter)");
  generate_->setAccessibleName("Generate");
  stop_ = new QPushButton("Stop  (Esc)");
  stop_->setAccessibleName("Stop");
  stop_->setEnabled(false);
  connect(generate_, &QPushButton::clicked, this, &PromptPanel::generateRequested);
  connect(stop_, &QPushButton::clicked, this, &PromptPanel::stopRequested);
  buttons->addWidget(generate_, 1);
  buttons->addWidget(stop_);
  v->addLayout(buttons);
  status_ = new QLabel;
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  v->addWidget(status_);
  connect(model_, &QComboBox::currentTextChanged, this, &PromptPanel::check_model_dir);
  check_model_dir();
}

void PromptPanel::set_model_warnings(const QStringList& warnings) {
  if (warnings == model_warnings_) return;
  check_model_dir();
  model_warnings_ = warnings;
  QString html = model_status_->text();
  for (const QString& w : warnings) html += "<br>" + error_html("⚠ " + w.toHtmlEscaped());
  model_status_->setText(html);
}

void PromptPanel::check_model_dir() {
  model_warnings_.clear();
  const QString d = model_dir();
  if (d.isEmpty()) {
    model_status_->setText("<i>choose a model directory</i>");
  } else if (!QFileInfo(d).isDir()) {
    model_status_->setText(error_html(QString("%1 does not exist (yet): the demo models are "
                                              "committed with the training job — pick another model or open a "
                                              "session.")
                                          .arg(d.toHtmlEscaped())));
  } else if (!QFileInfo(d + "/config.json").exists() && !QFileInfo(d + "/zip2zip_config.json").exists()) {
    model_status_->setText(error_html("no config.json in this directory"));
  } else {
    model_status_->setText(QFileInfo(d + "/tokenizer.json").exists() ? "ready (with tokenizer)"
                                                                     : "ready (no tokenizer.json: prompt with ids)");
  }
}

QString PromptPanel::model_dir() const { return model_->currentText().trimmed(); }
void PromptPanel::set_model_dir(const QString& dir) {
  if (model_->findText(dir) < 0) model_->insertItem(0, dir);
  model_->setCurrentText(dir);
  check_model_dir();
}
void PromptPanel::set_prompt(const QString& text) { prompt_->setPlainText(text); }
void PromptPanel::set_sampling(double temperature, int max_tokens) {
  if (temperature >= 0) temperature_->setValue(temperature);
  if (max_tokens > 0) max_tokens_->setValue(max_tokens);
}

void PromptPanel::set_status(const QString& text) { status_->setText(text); }

void PromptPanel::set_running(bool running) {
  generate_->setEnabled(!running);
  stop_->setEnabled(running);
}

GenerationRequest PromptPanel::request() const {
  GenerationRequest r;
  r.model_dir = model_dir();
  r.tokenizer = tokenizer_->text().trimmed();
  r.prompt = prompt_->toPlainText();
  r.params.max_new_tokens = max_tokens_->value();
  r.params.sampling.temperature = temperature_->value();
  r.params.sampling.top_k = top_k_->value();
  r.params.sampling.top_p = top_p_->value();
  r.params.sampling.seed = static_cast<std::uint64_t>(seed_->value());
  r.params.top_logprobs = 8;
  if (k_override_->value() > 0) r.max_codebook_size = k_override_->value();
  if (s_override_->value() > 0) r.max_subtokens = s_override_->value();
  return r;
}

void PromptPanel::save_settings() const {
  QSettings st;
  st.beginGroup("run");
  st.setValue("model", model_dir());
  st.setValue("tokenizer", tokenizer_->text());
  st.setValue("temperature", temperature_->value());
  st.setValue("top_k", top_k_->value());
  st.setValue("top_p", top_p_->value());
  st.setValue("seed", seed_->value());
  st.setValue("max_tokens", max_tokens_->value());
  st.setValue("prompt", prompt_->toPlainText());
  st.endGroup();
}

void PromptPanel::load_settings() {
  QSettings st;
  st.beginGroup("run");
  if (st.contains("model") && !st.value("model").toString().isEmpty()) set_model_dir(st.value("model").toString());
  tokenizer_->setText(st.value("tokenizer", tokenizer_->text()).toString());
  temperature_->setValue(st.value("temperature", temperature_->value()).toDouble());
  top_k_->setValue(st.value("top_k", top_k_->value()).toInt());
  top_p_->setValue(st.value("top_p", top_p_->value()).toDouble());
  seed_->setValue(st.value("seed", seed_->value()).toInt());
  max_tokens_->setValue(st.value("max_tokens", max_tokens_->value()).toInt());
  prompt_->setPlainText(st.value("prompt", prompt_->toPlainText()).toString());
  st.endGroup();
}

}  // namespace z2z::ui
