// StreamPanel: header + colour mode + stream view + legend.
#include "ui/panels/stream_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLinearGradient>
#include <QPainter>
#include <QVBoxLayout>

#include "core/session/palette.h"
#include "core/session/summary.h"

namespace z2z::ui {

// A legend for the current colour mode, painted with the same chip code as the stream.
class LegendStrip : public QWidget {
 public:
  explicit LegendStrip(StreamView* view) : view_(view) {
    setMinimumHeight(24);
    setAccessibleName("Colour legend");
  }
  QSize sizeHint() const override { return {400, 26}; }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const StreamStyle& st = view_->style();
    QFont f = st.font;
    f.setPointSizeF(st.font.pointSizeF() * 0.85);
    StreamStyle small = st;
    small.font = f;
    const QFontMetricsF fm(f);
    const qreal h = fm.height() + 2 * st.pad_y;
    qreal x = 6;
    const qreal y = (height() - h) / 2;
    if (view_->color_mode() == ColorMode::Kind || view_->color_mode() == ColorMode::IdHue ||
        view_->color_mode() == ColorMode::Position) {
      for (auto k : session::kAllKinds) {
        session::StreamItem it;
        it.kind = k;
        it.text = session::style_of(k).label;
        const std::size_t len = k == session::ChipKind::Base     ? 1
                                : k == session::ChipKind::Hyper2 ? 2
                                : k == session::ChipKind::Hyper3 ? 3
                                                                 : 4;
        ChipBox b;
        b.text = QString::fromUtf8(session::style_of(k).label);
        const qreal w = fm.horizontalAdvance(b.text) + 2 * st.pad_x;
        b.rect = QRectF(x, y, w, h);
        if (session::is_hyper_kind(k))
          for (std::size_t s = 1; s < len && s < 4; ++s) b.seps.push_back(w * qreal(s) / qreal(len));
        paint_chip(p, b, it, small, false);
        x += w + 8;
      }
      p.setPen(palette().color(QPalette::WindowText));
      p.setFont(f);
      const char* note = view_->color_mode() == ColorMode::Kind ? "  colour = length · border + ticks = hypertoken"
                         : view_->color_mode() == ColorMode::IdHue
                             ? "  (shapes) · hue = token id: repeats share a colour"
                             : "  (shapes) · hue = position";
      p.drawText(QPointF(x, y + st.pad_y + fm.ascent()), note);
    } else {
      QLinearGradient g(x, 0, x + 200, 0);
      g.setColorAt(0, QColor::fromHsvF(0, 0.5, 1));
      g.setColorAt(0.5, QColor::fromHsvF(0.165, 0.5, 1));
      g.setColorAt(1, QColor::fromHsvF(0.33, 0.5, 1));
      p.setPen(Qt::NoPen);
      p.setBrush(g);
      p.drawRoundedRect(QRectF(x + 40, y, 200, h), 3, 3);
      p.setPen(palette().color(QPalette::WindowText));
      p.setFont(f);
      p.drawText(QPointF(x, y + st.pad_y + fm.ascent()), "p = 0");
      p.drawText(QPointF(x + 248, y + st.pad_y + fm.ascent()),
                 "p = 1   (model probability of the emitted token; grey = prompt)");
    }
  }

 private:
  StreamView* view_;
};

StreamPanel::StreamPanel(SessionContext* ctx, QWidget* parent) : QWidget(parent), ctx_(ctx) {
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(4, 4, 4, 4);
  auto* bar = new QHBoxLayout;
  header_ = new QLabel;
  header_->setAccessibleName("Stream counts");
  header_->setWordWrap(true);
  header_->setMinimumWidth(120);
  mode_ = new QComboBox;
  for (int m = 0; m < 4; ++m) mode_->addItem(color_mode_name(ColorMode(m)));
  mode_->setAccessibleName("Colour mode");
  mode_->setToolTip("Colour mode (Ctrl+1..4)");
  whitespace_ = new QCheckBox("whitespace");
  whitespace_->setToolTip("Show spaces, tabs and newlines as · → ↵ (Ctrl+Shift+W)");
  bar->addWidget(header_, 1);
  bar->addWidget(whitespace_);
  bar->addWidget(mode_);
  v->addLayout(bar);
  view_ = new StreamView(ctx, this);
  v->addWidget(view_, 1);
  legend_ = new LegendStrip(view_);
  v->addWidget(legend_);
  connect(mode_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
    view_->set_color_mode(ColorMode(i));
    legend_->update();
  });
  connect(whitespace_, &QCheckBox::toggled, view_, &StreamView::set_visible_whitespace);
  connect(ctx_, &SessionContext::loaded, this, &StreamPanel::update_header);
  connect(ctx_, &SessionContext::grew, this, &StreamPanel::update_header);
  connect(ctx_, &SessionContext::cursorChanged, this, &StreamPanel::update_header);
  update_header();
}

void StreamPanel::set_color_mode(ColorMode m) { mode_->setCurrentIndex(int(m)); }
void StreamPanel::set_visible_whitespace(bool on) { whitespace_->setChecked(on); }

void StreamPanel::update_header() {
  if (!ctx_->has_session()) {
    header_->setText("<i>no session</i>");
    return;
  }
  const auto& s = ctx_->session();
  const auto c = s.counters(ctx_->cursor());
  QString h = QString("prompt <b>%1</b> codes · generated <b>%2</b>/%3 codes → <b>%4</b> base tokens · rate <b>%5</b>")
                  .arg(c.prompt_codes)
                  .arg(c.step)
                  .arg(s.steps())
                  .arg(c.base_tokens)
                  .arg(c.compression_rate(), 0, 'f', 3);
  if (c.elapsed_ms > 0)
    h += QString(" · %1 s · %2 tok/s").arg(c.elapsed_ms / 1000.0, 0, 'f', 2).arg(c.tokens_per_s(), 0, 'f', 1);
  if (s.finish())
    h += QString(" · <i>%1</i>").arg(QString::fromStdString(s.finish()->reason));
  else if (ctx_->generating())
    h += " · <i>generating…</i>";
  header_->setText(h);
}

}  // namespace z2z::ui
