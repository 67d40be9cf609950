// DashboardPanel: numbers + compression chart.
#include "ui/panels/dashboard_panel.h"

#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>
#include <cmath>

#include "core/session/summary.h"

using namespace QtCharts;

namespace z2z::ui {

namespace {
struct Metric {
  const char* key;
  const char* label;
  const char* tip;
};
constexpr Metric kMetrics[] = {
    {"base_tokens", "base tokens", "base tokens the emitted codes expand to"},
    {"codes", "emitted codes", "codes generated (decode steps)"},
    {"compression_rate", "compression rate", "emitted codes / base tokens (lower is better)"},
    {"bytes_per_token", "bytes / token", "UTF-8 bytes per emitted code"},
    {"hyper_ratio", "hypertoken ratio", "share of emitted codes that are hypertokens"},
    {"steps_saved", "steps saved", "decode steps a base model would have needed more"},
    {"tokens_per_s", "tokens / s", "emitted codes per second of model time"},
    {"base_tokens_per_s", "eff. base tokens / s", "base tokens per second of model time"},
    {"codebook", "codebook", "entries existing / K"},
    {"reuse", "codebook reuse", "entries used at least once / entries created"},
};
}  // namespace

DashboardPanel::DashboardPanel(SessionContext* ctx, QWidget* parent) : QWidget(parent), ctx_(ctx) {
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(4, 4, 4, 4);
  auto* grid = new QGridLayout;
  int i = 0;
  for (const auto& m : kMetrics) {
    auto* name = new QLabel(m.label);
    name->setToolTip(m.tip);
    auto* val = new QLabel("—");
    val->setAccessibleName(m.label);
    QFont f = val->font();
    f.setPointSizeF(f.pointSizeF() * 1.35);
    f.setBold(true);
    val->setFont(f);
    val->setToolTip(m.tip);
    const int col = (i % 5) * 1, row = (i / 5) * 2;
    grid->addWidget(name, row, col);
    grid->addWidget(val, row + 1, col);
    values_.emplace_back(m.key, val);
    ++i;
  }
  v->addLayout(grid);

  auto* chart = new QChart;
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setMargins(QMargins(2, 2, 2, 2));
  rate_ = new QLineSeries;
  rate_->setName("compression rate");
  size_ = new QLineSeries;
  size_->setName("codebook size");
  hyper_ = new QScatterSeries;
  hyper_->setName("hypertoken emitted");
  hyper_->setMarkerSize(5);
  hyper_->setColor(QColor(230, 159, 0));
  hyper_->setBorderColor(Qt::transparent);
  cursor_ = new QLineSeries;
  cursor_->setName("cursor");
  cursor_->setPen(QPen(QColor(120, 120, 120), 1, Qt::DashLine));
  rate_->setPen(QPen(QColor(0, 114, 178), 2));
  size_->setPen(QPen(QColor(204, 121, 167), 2));
  chart->addSeries(rate_);
  chart->addSeries(hyper_);
  chart->addSeries(size_);
  chart->addSeries(cursor_);
  ax_ = new QValueAxis;
  ax_->setTitleText("step");
  ax_->setLabelFormat("%d");
  ay_rate_ = new QValueAxis;
  ay_rate_->setRange(0, 1.05);
  ay_rate_->setTitleText("rate");
  ay_rate_->setLabelFormat("%.2f");
  ay_size_ = new QValueAxis;
  ay_size_->setTitleText("entries");
  ay_size_->setLabelFormat("%d");
  chart->addAxis(ax_, Qt::AlignBottom);
  chart->addAxis(ay_rate_, Qt::AlignLeft);
  chart->addAxis(ay_size_, Qt::AlignRight);
  for (auto* s : std::initializer_list<QXYSeries*>{rate_, hyper_, cursor_}) {
    s->attachAxis(ax_);
    s->attachAxis(ay_rate_);
  }
  size_->attachAxis(ax_);
  size_->attachAxis(ay_size_);
  chart_view_ = new QChartView(chart);
  chart_view_->setRenderHint(QPainter::Antialiasing);
  chart_view_->setAccessibleName("Compression chart");
  chart_view_->setMinimumHeight(200);
  QFont small = font();
  small.setPointSizeF(small.pointSizeF() * 0.8);
  for (auto* a : {ax_, ay_rate_, ay_size_}) {
    a->setLabelsFont(small);
    a->setTitleFont(small);
  }
  chart->legend()->setFont(small);
  v->addWidget(chart_view_, 1);

  connect(ctx_, &SessionContext::loaded, this, [this] {
    refresh_chart();
    refresh_numbers();
  });
  connect(ctx_, &SessionContext::grew, this, [this] {
    refresh_chart();
    refresh_numbers();
  });
  connect(ctx_, &SessionContext::cursorChanged, this, [this] {
    refresh_numbers();
    move_cursor();
  });
  refresh_chart();
  refresh_numbers();
}

QString DashboardPanel::value(const QString& key) const {
  for (const auto& [k, l] : values_)
    if (k == key) return l->text();
  return {};
}

void DashboardPanel::set_dark(bool dark) {
  chart_view_->chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
  QFont small = font();
  small.setPointSizeF(small.pointSizeF() * 0.8);
  for (auto* a : {ax_, ay_rate_, ay_size_}) {
    a->setLabelsFont(small);
    a->setTitleFont(small);
  }
  chart_view_->chart()->legend()->setFont(small);
  rate_->setPen(QPen(dark ? QColor(86, 180, 233) : QColor(0, 114, 178), 2));
  size_->setPen(QPen(QColor(204, 121, 167), 2));
  hyper_->setColor(QColor(230, 159, 0));
  hyper_->setBorderColor(Qt::transparent);
  cursor_->setPen(QPen(QColor(140, 140, 140), 1, Qt::DashLine));
}

void DashboardPanel::refresh_numbers() {
  auto set = [this](const char* key, const QString& text) {
    for (auto& [k, l] : values_)
      if (k == key) l->setText(text);
  };
  if (!ctx_->has_session()) {
    for (auto& [k, l] : values_) l->setText("—");
    return;
  }
  const auto& s = ctx_->session();
  const std::int64_t t = ctx_->cursor();
  const auto c = s.counters(t);
  set("base_tokens", QString::number(c.base_tokens));
  set("codes", QString::number(c.step));
  set("compression_rate", QString::number(c.compression_rate(), 'f', 3));
  set("bytes_per_token", s.info().has_text ? QString::number(c.bytes_per_token(), 'f', 2) : "—");
  set("hyper_ratio", QString::number(100.0 * c.hyper_ratio(), 'f', 1) + "%");
  set("steps_saved", QString::number(c.steps_saved()));
  set("tokens_per_s", c.elapsed_ms > 0 ? QString::number(c.tokens_per_s(), 'f', 1) : "—");
  set("base_tokens_per_s", c.elapsed_ms > 0 ? QString::number(c.base_tokens_per_s(), 'f', 1) : "—");
  set("codebook", QString("%1 / %2")
                      .arg(c.codebook_size)
                      .arg(QString::fromStdString(session::format_capacity(c.codebook_capacity))));
  std::int64_t used = 0, created = 0;
  for (const auto& e : s.codebook(t)) {
    ++created;
    used += e.uses > 0;
  }
  set("reuse",
      created ? QString("%1% (%2/%3)").arg(100.0 * double(used) / double(created), 0, 'f', 0).arg(used).arg(created)
              : "—");
}

void DashboardPanel::refresh_chart() {
  QList<QPointF> rate, size, hyper;
  std::int64_t n = ctx_->has_session() ? ctx_->session().steps() : 0;
  if (n > 0) {
    const auto& s = ctx_->session();
    const std::int64_t stride = std::max<std::int64_t>(1, n / 1500);
    std::int64_t max_size = 1;
    for (std::int64_t t = 1; t <= n; t += stride) {
      const auto c = s.counters(t);
      rate << QPointF(double(t), c.compression_rate());
      size << QPointF(double(t), double(c.codebook_size));
      max_size = std::max(max_size, c.codebook_size);
    }
    if ((n - 1) % stride) {
      const auto c = s.counters(n);
      rate << QPointF(double(n), c.compression_rate());
      size << QPointF(double(n), double(c.codebook_size));
      max_size = std::max(max_size, c.codebook_size);
    }
    // hypertoken markers (at most ~600, evenly thinned), at the rate curve's height
    const std::int64_t hstride = std::max<std::int64_t>(1, n / 600);
    for (std::int64_t i = 0; i < n; ++i) {
      if (!s.step(i).is_hyper) continue;
      if (hstride > 1 && i % hstride) continue;
      hyper << QPointF(double(i + 1), s.counters(i + 1).compression_rate());
    }
    ax_->setRange(0, double(std::max<std::int64_t>(n, 4)));
    ay_size_->setRange(0, double(max_size) * 1.1 + 1);
  } else {
    ax_->setRange(0, 10);
    ay_size_->setRange(0, 10);
  }
  rate_->replace(rate);
  size_->replace(size);
  hyper_->replace(hyper);
  move_cursor();
}

void DashboardPanel::move_cursor() {
  const double t = double(ctx_->cursor());
  cursor_->replace(QList<QPointF>{{t, 0.0}, {t, 1.05}});
}

}  // namespace z2z::ui
