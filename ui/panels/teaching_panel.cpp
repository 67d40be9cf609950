// TeachingPanel: LZW trace of a pasted text, linked to the scrubber.
#include "ui/panels/teaching_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/session/session_text.h"
#include "core/tokenizer/compression.h"

namespace z2z::ui {

namespace {
const char* kPresets[][2] = {
    {"Repetitive text (high compression)",
     "the cat sat on the mat. the cat sat on the mat. the cat sat on the mat. the cat sat on the mat. the cat sat "
     "on the mat. the cat sat on the mat."},
    {"Code (medium)",
     "def add(a, b):\n    return a + b\n\ndef sub(a, b):\n    return a - b\n\ndef mul(a, b):\n    return a * b\n\n"
     "def div(a, b):\n    return a / b\n"},
    {"Prose (low compression)",
     "It was a bright cold day in April, and the clocks were striking thirteen. Winston Smith, his chin nuzzled "
     "into his breast in an effort to escape the vile wind, slipped quickly through the glass doors."},
};
QString ids_text(const std::vector<lzw::TokenId>& ids) {
  QStringList l;
  for (auto i : ids) l << QString::number(i);
  return l.join(' ');
}
}  // namespace

TeachingPanel::TeachingPanel(SessionContext* ctx, QString default_tokenizer, QWidget* parent)
    : QWidget(parent), ctx_(ctx) {
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(4, 4, 4, 4);
  auto* form = new QFormLayout;
  preset_ = new QComboBox;
  preset_->addItem("Presets…");
  for (const auto& p : kPresets) preset_->addItem(p[0]);
  preset_->setAccessibleName("Teaching presets");
  preset_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  preset_->setMinimumContentsLength(10);
  tokenizer_ = new QLineEdit(default_tokenizer);
  tokenizer_->setPlaceholderText("tokenizer.json (empty: UTF-8 bytes as ids)");
  tokenizer_->setAccessibleName("Teaching tokenizer");
  k_ = new QSpinBox;
  k_->setRange(1, 1 << 24);
  k_->setValue(1024);
  k_->setAccessibleName("K");
  s_ = new QSpinBox;
  s_->setRange(1, 64);
  s_->setValue(4);
  s_->setAccessibleName("S");
  auto* row = new QHBoxLayout;
  row->addWidget(preset_, 1);
  row->addWidget(new QLabel("K"));
  row->addWidget(k_);
  row->addWidget(new QLabel("S"));
  row->addWidget(s_);
  auto* go = new QPushButton("Compress");
  go->setAccessibleName("Compress the text");
  row->addWidget(go);
  form->addRow(row);
  form->addRow("Tokenizer", tokenizer_);
  v->addLayout(form);
  text_ = new QPlainTextEdit(kPresets[0][1]);
  text_->setAccessibleName("Teaching text");
  text_->setMaximumHeight(90);
  v->addWidget(text_);
  explain_ = new QCheckBox("explanations");
  explain_->setChecked(true);
  explanation_ = new QLabel(
      "LZW reads one base id at a time. While <i>buffer + id</i> is <b>known</b> (a base token or a codebook entry), "
      "it keeps reading. When it is not, it <b>emits</b> the code of the buffer and <b>adds</b> buffer + id as a new "
      "hypertoken (ids ≥ V, at most K entries of at most S base tokens). Repeats become single codes, so repetitive "
      "text compresses far better than prose.");
  explanation_->setWordWrap(true);
  stats_ = new QLabel;
  stats_->setWordWrap(true);
  v->addWidget(explain_);
  v->addWidget(explanation_);
  v->addWidget(stats_);
  connect(explain_, &QCheckBox::toggled, explanation_, &QLabel::setVisible);
  table_ = new QTableWidget(0, 6);
  table_->setHorizontalHeaderLabels({"buffer", "id read", "known?", "emitted", "added", "buffer after"});
  table_->verticalHeader()->setDefaultSectionSize(20);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setAccessibleName("LZW trace");
  v->addWidget(table_, 1);
  connect(preset_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
    if (i <= 0) return;
    text_->setPlainText(kPresets[i - 1][1]);
    if (const QString e = run(); !e.isEmpty()) Q_EMIT failed(e);
  });
  connect(go, &QPushButton::clicked, this, [this] {
    if (const QString e = run(); !e.isEmpty()) Q_EMIT failed(e);
  });
  connect(table_, &QTableWidget::currentCellChanged, this, [this](int r) {
    if (syncing_ || r < 0 || ctx_->session_ptr() != owned_) return;
    // the cursor after the codes this row emitted
    std::int64_t t = r + 1 < int(row_first_code_.size()) ? row_first_code_[std::size_t(r) + 1] : ctx_->steps();
    syncing_ = true;
    ctx_->set_cursor(t);
    syncing_ = false;
  });
  connect(ctx_, &SessionContext::cursorChanged, this, &TeachingPanel::follow_cursor);
}

void TeachingPanel::set_text(const QString& text) { text_->setPlainText(text); }
void TeachingPanel::set_tokenizer(const QString& path) { tokenizer_->setText(path); }
int TeachingPanel::trace_rows() const { return table_->rowCount(); }
int TeachingPanel::current_row() const { return table_->currentRow(); }

QString TeachingPanel::run() {
  try {
    const std::string text = text_->toPlainText().toStdString();
    std::shared_ptr<session::Session> s;
    std::vector<lzw::TokenId> ids;
    std::unique_ptr<lzw::CompressionConfig> cfg;
    const QString tp = tokenizer_->text().trimmed();
    std::function<QString(lzw::TokenId)> name;
    if (!tp.isEmpty()) {
      auto tok = std::make_shared<tok::Tokenizer>(tok::Tokenizer::from_file(tp.toStdString()));
      cfg = std::make_unique<lzw::CompressionConfig>(tok::lzw_config_for(*tok, k_->value(), s_->value()));
      ids = tok->encode_ids(text);
      s = std::make_shared<session::Session>(
          session::from_text(*tok, text, *cfg, QFileInfo(tp).fileName().toStdString()));
    } else {
      lzw::LzwConfig lc;
      lc.initial_vocab_size = 257;
      lc.max_codebook_size = k_->value();
      lc.max_subtokens = s_->value();
      lc.pad_token_id = 256;
      cfg = std::make_unique<lzw::CompressionConfig>(lc);
      for (unsigned char c : text) ids.push_back(c);
      s = std::make_shared<session::Session>(session::from_ids(ids, *cfg));
    }
    const auto trace = lzw::encode_trace(*cfg, ids);
    table_->setRowCount(0);
    table_->setRowCount(static_cast<int>(trace.rows.size()));
    row_first_code_.clear();
    std::int64_t code = 0;
    for (std::size_t r = 0; r < trace.rows.size(); ++r) {
      const auto& row = trace.rows[r];
      row_first_code_.push_back(code);
      code += static_cast<std::int64_t>(row.emitted.size());
      const int ri = static_cast<int>(r);
      table_->setItem(ri, 0, new QTableWidgetItem(ids_text(row.buffer_before)));
      table_->setItem(ri, 1, new QTableWidgetItem(QString::number(row.id) + (row.disabled ? " (special)" : "")));
      auto* known = new QTableWidgetItem(row.known ? "yes" : "no");
      // green "yes" / orange "no", >= 4.5:1 on the theme's table background (>= 7:1 in high contrast)
      const bool dark = table_->palette().color(QPalette::Base).lightness() < 128;
      known->setForeground(row.known ? (dark ? QColor(80, 220, 160) : QColor(0, 110, 75))
                                     : (dark ? QColor(255, 150, 80) : QColor(170, 70, 0)));
      table_->setItem(ri, 2, known);
      table_->setItem(ri, 3, new QTableWidgetItem(ids_text(row.emitted)));
      table_->setItem(ri, 4,
                      new QTableWidgetItem(
                          row.added_id ? QString("#%1 = %2").arg(*row.added_id).arg(ids_text(row.added_seq)) : ""));
      table_->setItem(ri, 5, new QTableWidgetItem(ids_text(row.buffer_after)));
    }
    const std::size_t codes = trace.result.codes.size();
    stats_->setText(QString("%1 base ids → %2 codes · compression rate %3 · %4 entries")
                        .arg(ids.size())
                        .arg(codes)
                        .arg(ids.empty() ? 1.0 : double(codes) / double(ids.size()), 0, 'f', 3)
                        .arg(s->entries().size()));
    owned_ = s;
    ctx_->set_session(s, "teaching: " + preset_->currentText(), true);
    return {};
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
}

void TeachingPanel::follow_cursor() {
  if (syncing_ || ctx_->session_ptr() != owned_ || row_first_code_.empty()) return;
  const std::int64_t t = ctx_->cursor();
  // the row that emitted code t - 1
  auto it = std::upper_bound(row_first_code_.begin(), row_first_code_.end(), std::max<std::int64_t>(0, t - 1));
  int r = static_cast<int>(it - row_first_code_.begin()) - 1;
  if (t == 0) r = 0;
  syncing_ = true;
  table_->setCurrentCell(std::max(0, r), 0);
  table_->scrollToItem(table_->item(std::max(0, r), 0));
  syncing_ = false;
}

}  // namespace z2z::ui
