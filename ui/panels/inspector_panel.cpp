// InspectorPanel: the pinned token card.
#include "ui/panels/inspector_panel.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "ui/studio/token_info.h"

namespace z2z::ui {

InspectorPanel::InspectorPanel(SessionContext* ctx, QWidget* parent) : QWidget(parent), ctx_(ctx) {
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(4, 4, 4, 4);
  card_ = new QTextBrowser;
  card_->setAccessibleName("Token inspector");
  v->addWidget(card_, 1);
  auto* row = new QHBoxLayout;
  const char* names[] = {"Copy text", "Copy ids", "Copy JSON"};
  for (int w = 0; w < 3; ++w) {
    auto* b = new QPushButton(names[w]);
    connect(b, &QPushButton::clicked, this, [this, w] {
      const TokenInfo i = describe_item(*ctx_, ctx_->selected_item(), ctx_->cursor());
      if (i.ref.valid()) QApplication::clipboard()->setText(w == 0 ? i.text : w == 1 ? info_ids(i) : info_json(i));
    });
    row->addWidget(b);
  }
  v->addLayout(row);
  connect(ctx_, &SessionContext::selectionChanged, this, &InspectorPanel::refresh);
  connect(ctx_, &SessionContext::cursorChanged, this, &InspectorPanel::refresh);
  connect(ctx_, &SessionContext::loaded, this, &InspectorPanel::refresh);
  refresh();
}

void InspectorPanel::refresh() {
  if (!ctx_->has_session() || ctx_->selected_item() < 0) {
    card_->setHtml("<i>Click a token in the stream to pin it here.</i>");
    return;
  }
  card_->setHtml(info_html(describe_item(*ctx_, ctx_->selected_item(), ctx_->cursor())));
}

}  // namespace z2z::ui
