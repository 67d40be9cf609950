// CodebookModel: codebook rows at step t.
#include "ui/models/codebook_model.h"

#include <QApplication>
#include <QPalette>
#include <QStringList>

#include "ui/studio/token_info.h"

namespace z2z::ui {

namespace {
constexpr qint64 kFlashMs = 1200;
}

CodebookModel::CodebookModel(SessionContext* ctx, QObject* parent) : QAbstractTableModel(parent), ctx_(ctx) {
  clock_.start();
  flash_timer_.setInterval(80);
  connect(&flash_timer_, &QTimer::timeout, this, [this] {
    bool any = false;
    const qint64 now = clock_.elapsed();
    int lo = rows_, hi = -1;
    for (int r = 0; r < rows_; ++r)
      if (born_ms_[r] >= 0 && now - born_ms_[r] < kFlashMs + 100) {
        any = true;
        lo = std::min(lo, r);
        hi = std::max(hi, r);
      }
    if (hi >= 0) Q_EMIT dataChanged(index(lo, 0), index(hi, ColumnCount - 1), {Qt::BackgroundRole});
    if (!any) flash_timer_.stop();
  });
  connect(ctx_, &SessionContext::loaded, this, &CodebookModel::reload);
  connect(ctx_, &SessionContext::grew, this, &CodebookModel::grow);
  connect(ctx_, &SessionContext::cursorChanged, this, [this] {
    if (rows_) Q_EMIT dataChanged(index(0, 0), index(rows_ - 1, ColumnCount - 1));
  });
  reload();
}

void CodebookModel::reload() {
  beginResetModel();
  rows_ = ctx_->has_session() ? static_cast<int>(ctx_->session().entries().size()) : 0;
  born_ms_.assign(static_cast<std::size_t>(rows_), -1);
  endResetModel();
}

void CodebookModel::grow() {
  if (!ctx_->has_session()) return;
  const int n = static_cast<int>(ctx_->session().entries().size());
  if (n > rows_) {
    beginInsertRows({}, rows_, n - 1);
    const qint64 now = reduced_motion_ ? -1 : clock_.elapsed();
    born_ms_.resize(static_cast<std::size_t>(n), now);
    rows_ = n;
    endInsertRows();
    if (!reduced_motion_ && !flash_timer_.isActive()) flash_timer_.start();
  }
  if (rows_) Q_EMIT dataChanged(index(0, Uses), index(rows_ - 1, LastUse));
}

int CodebookModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : rows_; }
int CodebookModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

session::TokenId CodebookModel::id_at(int row) const {
  if (row < 0 || row >= rows_) return -1;
  return ctx_->session().entries()[static_cast<std::size_t>(row)].id;
}

int CodebookModel::row_of(session::TokenId id) const {
  if (!ctx_->has_session()) return -1;
  const auto es = ctx_->session().entries();
  for (int r = 0; r < rows_; ++r)
    if (es[static_cast<std::size_t>(r)].id == id) return r;
  return -1;
}

std::int64_t CodebookModel::size_at_cursor() const {
  return ctx_->has_session() ? ctx_->session().codebook_size(ctx_->cursor()) : 0;
}

QVariant CodebookModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* names[] = {"id", "entry", "expansion", "text", "length", "created", "uses", "last use"};
  return section >= 0 && section < ColumnCount ? QString(names[section]) : QVariant();
}

QVariant CodebookModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rows_ || !ctx_->has_session()) return {};
  const auto& s = ctx_->session();
  const auto& e = s.entries()[static_cast<std::size_t>(index.row())];
  const std::int64_t t = ctx_->cursor();
  const bool exists = e.created_step < t;  // created_step -1 (prompt) exists at every t
  if (role == Qt::ForegroundRole && !exists) return QApplication::palette().color(QPalette::Disabled, QPalette::Text);
  if (role == Qt::BackgroundRole) {
    const qint64 born = born_ms_[static_cast<std::size_t>(index.row())];
    if (born < 0) return {};
    const qint64 age = clock_.elapsed() - born;
    if (age >= kFlashMs) return {};
    QColor c(255, 214, 92);
    c.setAlphaF(0.8 * (1.0 - double(age) / kFlashMs));
    return c;
  }
  if (role == Qt::TextAlignmentRole && index.column() != Text && index.column() != Expansion && index.column() != Entry)
    return int(Qt::AlignRight | Qt::AlignVCenter);
  if (role == Qt::ToolTipRole && !exists)
    return QStringLiteral("created at step %1, after the cursor").arg(e.created_step);
  std::optional<session::EntryState> st;
  const int c = index.column();
  if ((c == Uses || c == LastUse) && exists) st = s.entry(e.id, t);
  if (role == Qt::UserRole) {  // sort keys
    switch (c) {
      case Id:
        return e.id;
      case Length:
        return static_cast<int>(e.base_ids.size());
      case Created:
        return static_cast<qlonglong>(e.created_step);
      case Uses:
        return static_cast<qlonglong>(st ? st->uses : -1);
      case LastUse:
        return static_cast<qlonglong>(st ? st->last_use : -3);
      default:
        break;
    }
    role = Qt::DisplayRole;
  }
  if (role != Qt::DisplayRole) return {};
  switch (c) {
    case Id:
      return QString("#%1").arg(e.id);
    case Entry: {
      if (e.prefix_id < 0 || e.base_ids.empty()) return QStringLiteral("—");
      return QString("%1 + %2").arg(e.prefix_id).arg(e.base_ids.back());
    }
    case Expansion: {
      QStringList l;
      for (auto b : e.base_ids) l << QString::number(b);
      return l.join(' ');
    }
    case Text: {
      return visible_text(QString::fromStdString(e.text));
    }
    case Length:
      return static_cast<int>(e.base_ids.size());
    case Created:
      return e.created_step < 0 ? QStringLiteral("prompt") : QString::number(e.created_step);
    case Uses:
      return st ? QVariant(static_cast<qlonglong>(st->uses)) : QVariant(QString());
    case LastUse:
      if (!st || st->last_use == session::EntryState::kNever) return QString("—");
      return st->last_use < 0 ? QStringLiteral("prompt") : QString::number(st->last_use);
    default:
      return {};
  }
}

}  // namespace z2z::ui
