// CodebookPanel — the codebook at the cursor step: a capacity gauge against K, a filter box, the
// sortable table (CodebookModel behind a QSortFilterProxyModel; later rows greyed) and the nesting
// tree, which expands the selected hypertoken into its prefix, that prefix's prefix, ... down to base
// tokens (leaves show the base token's text, `#17 '·self'`). Selecting a row or a tree node highlights
// every occurrence of that id in the stream.
// Not the model (ui/models/codebook_model.h).
#pragma once

#include <QWidget>

#include "ui/models/codebook_model.h"
#include "ui/studio/token_info.h"

class QTableView;
class QTreeWidget;
class QTreeWidgetItem;
class QLineEdit;
class QProgressBar;
class QSortFilterProxyModel;

namespace z2z::ui {

class CodebookPanel : public QWidget {
  Q_OBJECT
 public:
  explicit CodebookPanel(SessionContext* ctx, QWidget* parent = nullptr);
  CodebookModel* model() const { return model_; }
  QTreeWidget* tree() const { return tree_; }
  QTableView* table() const { return table_; }
  void show_nesting(session::TokenId id);
  void set_reduced_motion(bool on) { model_->set_reduced_motion(on); }

 private:
  void add_node(QTreeWidgetItem* parent, session::TokenId id, const QString& role, int depth);
  void update_gauge();
  SessionContext* ctx_;
  CodebookModel* model_;
  QSortFilterProxyModel* proxy_;
  QTableView* table_;
  QTreeWidget* tree_;
  QLineEdit* filter_;
  QProgressBar* gauge_;
  session::TokenId tree_id_ = -1;
  BaseTokenTexts base_texts_;
};

}  // namespace z2z::ui
