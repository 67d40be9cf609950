// InspectorPanel — the pinned token card: everything TokenInfo says about the selected stream item
// (click or Enter in the stream pins it), redrawn at the cursor step. Copy buttons for text / ids /
// JSON. Not the hover card (the stream view shows the same HTML as a tooltip).
#pragma once

#include <QWidget>

#include "ui/studio/session_context.h"

class QTextBrowser;

namespace z2z::ui {

class InspectorPanel : public QWidget {
  Q_OBJECT
 public:
  explicit InspectorPanel(SessionContext* ctx, QWidget* parent = nullptr);
  void refresh();

 private:
  SessionContext* ctx_;
  QTextBrowser* card_;
};

}  // namespace z2z::ui
