// CodebookPanel: gauge + filter + table + nesting tree.
#include "ui/panels/codebook_panel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "core/session/summary.h"
#include "ui/studio/token_info.h"

namespace z2z::ui {

CodebookPanel::CodebookPanel(SessionContext* ctx, QWidget* parent) : QWidget(parent), ctx_(ctx) {
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(4, 4, 4, 4);
  auto* top = new QHBoxLayout;
  gauge_ = new QProgressBar;
  gauge_->setAccessibleName("Codebook capacity");
  gauge_->setTextVisible(true);
  gauge_->setMinimumWidth(80);
  filter_ = new QLineEdit;
  filter_->setPlaceholderText("filter (id, ids or text)");
  filter_->setAccessibleName("Codebook filter");
  filter_->setClearButtonEnabled(true);
  top->addWidget(gauge_, 1);
  top->addWidget(filter_, 1);
  v->addLayout(top);

  model_ = new CodebookModel(ctx, this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(Qt::UserRole);
  proxy_->setFilterKeyColumn(-1);
  proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
  table_ = new QTableView;
  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(-1, Qt::AscendingOrder);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->hide();
  table_->verticalHeader()->setDefaultSectionSize(20);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setAccessibleName("Codebook table");
  table_->setAlternatingRowColors(true);
  table_->setWordWrap(false);
  table_->setColumnWidth(CodebookModel::Id, 60);
  table_->setColumnWidth(CodebookModel::Entry, 90);
  table_->setColumnWidth(CodebookModel::Expansion, 110);
  table_->setColumnWidth(CodebookModel::Text, 110);
  table_->setColumnWidth(CodebookModel::Length, 50);
  table_->setColumnWidth(CodebookModel::Created, 60);
  table_->setColumnWidth(CodebookModel::Uses, 45);

  tree_ = new QTreeWidget;
  tree_->setHeaderLabels({"nesting", "text", "role"});
  tree_->setAccessibleName("Hypertoken nesting tree");
  tree_->setColumnWidth(0, 160);
  tree_->setColumnWidth(1, 120);
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(table_);
  split->addWidget(tree_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  v->addWidget(split, 1);

  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& cur) {
    if (!cur.isValid()) return;
    const auto id = model_->id_at(proxy_->mapToSource(cur).row());
    show_nesting(id);
    ctx_->set_highlight_id(id);
  });
  connect(tree_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* it) {
    if (it) ctx_->set_highlight_id(it->data(0, Qt::UserRole).toInt());
  });
  connect(ctx_, &SessionContext::selectionChanged, this, [this] {
    const auto code = ctx_->item_code(ctx_->selected_item());
    if (code >= 0 && ctx_->session().find_entry(code)) show_nesting(code);
  });
  connect(ctx_, &SessionContext::loaded, this, [this] {
    base_texts_.reset();
    tree_->clear();
    tree_id_ = -1;
    update_gauge();
  });
  connect(ctx_, &SessionContext::grew, this, &CodebookPanel::update_gauge);
  connect(ctx_, &SessionContext::cursorChanged, this, &CodebookPanel::update_gauge);
  update_gauge();
}

void CodebookPanel::update_gauge() {
  if (!ctx_->has_session()) {
    gauge_->setRange(0, 1);
    gauge_->setValue(0);
    gauge_->setFormat("no codebook");
    return;
  }
  const auto& cfg = ctx_->session().config();
  const std::int64_t n = model_->size_at_cursor();
  const std::int64_t k = cfg.K();
  const bool unlimited = k >= lzw::LzwConfig::kUnlimited || k <= 0;
  const std::int64_t cap = unlimited ? std::max<std::int64_t>(n, 1) : k;
  gauge_->setRange(0, static_cast<int>(std::min<std::int64_t>(cap, 1 << 30)));
  gauge_->setValue(static_cast<int>(std::min<std::int64_t>(n, cap)));
  gauge_->setFormat(QString("%1 / %2 entries · S=%3 · %4 disabled ids")
                        .arg(n)
                        .arg(QString::fromStdString(session::format_capacity(k)))
                        .arg(cfg.S())
                        .arg(cfg.disabled_ids().size()));
}

void CodebookPanel::add_node(QTreeWidgetItem* parent, session::TokenId id, const QString& role, int depth) {
  const auto& s = ctx_->session();
  const auto* e = s.find_entry(id);
  auto* item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(tree_);
  item->setData(0, Qt::UserRole, id);
  // Entries show their text, base tokens (the leaves) the text the session recorded for them; whitespace
  // glyphs as in the stream view.
  const QString text = e ? QString::fromStdString(e->text) : base_texts_.text(s, id);
  item->setText(0, text.isEmpty() ? QString("#%1").arg(id) : QString("#%1 '%2'").arg(id).arg(visible_text(text)));
  item->setText(1, visible_text(text));
  item->setToolTip(0, item->text(0));
  item->setText(2, role + (e ? QString(" · %1 base").arg(e->base_ids.size()) : QString(" · base token")));
  if (!e || depth > 64 || e->base_ids.size() < 2) return;
  if (e->prefix_id >= 0) {
    add_node(item, e->prefix_id, "prefix", depth + 1);
    add_node(item, e->base_ids.back(), "appended", depth + 1);
  } else {  // non-canonical entry: its prefix was never an entry; list its base tokens
    for (std::size_t k = 0; k < e->base_ids.size(); ++k)
      add_node(item, e->base_ids[k], QString("base %1 of %2").arg(k + 1).arg(e->base_ids.size()), depth + 1);
  }
}

void CodebookPanel::show_nesting(session::TokenId id) {
  if (id == tree_id_ || !ctx_->has_session()) return;
  tree_id_ = id;
  tree_->clear();
  add_node(nullptr, id, "hypertoken", 0);
  tree_->expandAll();
}

}  // namespace z2z::ui
