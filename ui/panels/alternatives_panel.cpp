// AlternativesPanel: top-k candidates of one step.
#include "ui/panels/alternatives_panel.h"

#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/studio/theme.h"
#include "ui/studio/token_info.h"

namespace z2z::ui {

AlternativesPanel::AlternativesPanel(SessionContext* ctx, QWidget* parent) : QWidget(parent), ctx_(ctx) {
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(4, 4, 4, 4);
  title_ = new QLabel;
  title_->setWordWrap(true);
  v->addWidget(title_);
  table_ = new QTableWidget(0, 4);
  table_->setHorizontalHeaderLabels({"id", "token", "p", ""});
  table_->verticalHeader()->hide();
  table_->verticalHeader()->setDefaultSectionSize(20);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setAccessibleName("Alternatives");
  table_->setColumnWidth(0, 70);
  table_->setColumnWidth(1, 200);
  table_->setColumnWidth(2, 60);
  v->addWidget(table_, 1);
  connect(table_, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
    const auto* it = table_->item(row, 0);
    if (it && it->data(Qt::UserRole).isValid() && shown_step_ >= 0)
      Q_EMIT branchRequested(shown_step_, it->data(Qt::UserRole).toInt());
  });
  connect(ctx_, &SessionContext::selectionChanged, this, &AlternativesPanel::refresh);
  connect(ctx_, &SessionContext::cursorChanged, this, &AlternativesPanel::refresh);
  connect(ctx_, &SessionContext::loaded, this, &AlternativesPanel::refresh);
  refresh();
}

int AlternativesPanel::rows() const { return table_->rowCount(); }

void AlternativesPanel::refresh() {
  table_->setRowCount(0);
  shown_step_ = ctx_->has_session() ? ctx_->focus_step() : -1;
  if (shown_step_ < 0) {
    title_->setText("<i>No step selected: click a generated token or move the cursor.</i>");
    return;
  }
  const auto& s = ctx_->session();
  const auto st = s.step(shown_step_);
  QString head = QString("<b>step %1</b> · sampled <b>#%2</b> (p = %3%)")
                     .arg(shown_step_)
                     .arg(st.code)
                     .arg(100.0 * st.prob, 0, 'f', 1);
  if (st.outside_top) head += " · " + error_html("<b>⚑ sampled token outside the top-k</b>");
  if (st.top.empty())
    head += s.info().source == "text" ? "<br><i>text session: no model probabilities</i>"
                                      : "<br><i>no candidates were recorded for this run (top-logprobs = 0)</i>";
  title_->setText(head);
  double sum = 0;
  auto add_row = [&](const QString& id, const QString& tok, double p, bool chosen, QVariant data) {
    const int r = table_->rowCount();
    table_->insertRow(r);
    auto* a = new QTableWidgetItem(id);
    a->setData(Qt::UserRole, data);
    auto* b = new QTableWidgetItem(tok);
    auto* c = new QTableWidgetItem(QString::number(100.0 * p, 'f', 1) + "%");
    c->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    if (chosen) {
      QFont f = a->font();
      f.setBold(true);
      a->setFont(f);
      b->setFont(f);
      c->setFont(f);
    }
    table_->setItem(r, 0, a);
    table_->setItem(r, 1, b);
    table_->setItem(r, 2, c);
    auto* bar = new QProgressBar;
    bar->setRange(0, 1000);
    bar->setValue(static_cast<int>(1000 * p));
    bar->setTextVisible(false);
    bar->setMaximumHeight(12);
    table_->setCellWidget(r, 3, bar);
  };
  for (const auto& c : st.top) {
    sum += c.prob;
    QString tok;
    const QString text =
        visible_html(QString::fromStdString(c.text)).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    if (c.is_hyper) {
      QStringList parts;
      const auto* e = s.find_entry(c.id);
      // name each base token's text from the entry texts of its single-token prefixes when known
      for (std::size_t k = 0; k < c.base_ids.size(); ++k) parts << QString::number(c.base_ids[k]);
      tok = QString("= '%1' (%2)").arg(text, parts.join(" + "));
      if (e && e->prefix_id >= 0 && e->base_ids.size() >= 2) {
        const QString pre = visible_html(entry_display(s, e->prefix_id))
                                .replace("&amp;", "&")
                                .replace("&lt;", "<")
                                .replace("&gt;", ">");
        if (!pre.isEmpty() && text.startsWith(pre)) tok = QString("= '%1' + '%2'").arg(pre, text.mid(pre.size()));
      }
    } else {
      tok = "'" + text + "'";
    }
    add_row(QString(c.is_hyper ? "#%1" : "%1").arg(c.id), tok, c.prob, c.id == st.code, c.id);
  }
  if (!st.top.empty()) add_row("others", "(the rest of the distribution)", std::max(0.0, 1.0 - sum), false, {});
}

}  // namespace z2z::ui
