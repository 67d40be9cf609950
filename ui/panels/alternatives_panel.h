// AlternativesPanel — the top-k candidates of the focused step (selected token, else the step before
// the cursor): rank, id, expansion (hypertokens shown as "#4107 = ' self' + '.'"), probability with
// a bar, an "others" row for the remaining mass, and a flag when the sampled token was outside the
// top-k. Activating a candidate asks for a branch (MainWindow regenerates; not implemented here).
// Not a sampler; reads the session only.
#pragma once

#include <QWidget>

#include "ui/studio/session_context.h"

class QLabel;
class QTableWidget;

namespace z2z::ui {

class AlternativesPanel : public QWidget {
  Q_OBJECT
 public:
  explicit AlternativesPanel(SessionContext* ctx, QWidget* parent = nullptr);
  void refresh();
  int rows() const;

 Q_SIGNALS:
  void branchRequested(qint64 step, int candidate_id);

 private:
  SessionContext* ctx_;
  QLabel* title_;
  QTableWidget* table_;
  std::int64_t shown_step_ = -1;
};

}  // namespace z2z::ui
