// CodebookModel — the session's codebook as a Qt table model, at the cursor step t: one row per entry
// ever created (creation order; rows created after t are greyed out), columns id, entry (prefix id +
// appended id), expansion (ids), text, length, created at step, uses and last use before t. Rows are
// inserted live as the session grows and flash briefly (unless reduced motion is on). Sort by
// Qt::UserRole (numbers). Not a view; reads the SessionContext only.
#pragma once

#include <QAbstractTableModel>
#include <QColor>
#include <QElapsedTimer>
#include <QTimer>
#include <vector>

#include "ui/studio/session_context.h"

namespace z2z::ui {

class CodebookModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Id, Entry, Expansion, Text, Length, Created, Uses, LastUse, ColumnCount };
  explicit CodebookModel(SessionContext* ctx, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

  session::TokenId id_at(int row) const;
  int row_of(session::TokenId id) const;
  void set_reduced_motion(bool on) { reduced_motion_ = on; }
  // Entries existing at the cursor (for the capacity gauge).
  std::int64_t size_at_cursor() const;

 private:
  void reload();
  void grow();
  SessionContext* ctx_;
  int rows_ = 0;
  bool reduced_motion_ = false;
  QElapsedTimer clock_;
  std::vector<qint64> born_ms_;  // per row: when it was inserted live (-1: loaded)
  QTimer flash_timer_;
};

}  // namespace z2z::ui
