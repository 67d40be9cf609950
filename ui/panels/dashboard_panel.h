// DashboardPanel — live numbers at the cursor step (base tokens, emitted codes, compression rate,
// bytes/token, hypertoken ratio, steps saved, tokens/s, effective base tokens/s, codebook reuse) and
// a QtCharts chart of compression rate and codebook size vs step, with markers where hypertokens
// were emitted and a vertical cursor line. Numbers stay after generation ends (they are functions of
// the session). Long sessions are decimated to ~1500 chart points. Not a session writer.
#pragma once

#include <QWidget>
#include <vector>

#include "ui/studio/session_context.h"

class QLabel;
namespace QtCharts {
class QChartView;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
}  // namespace QtCharts

namespace z2z::ui {

class DashboardPanel : public QWidget {
  Q_OBJECT
 public:
  explicit DashboardPanel(SessionContext* ctx, QWidget* parent = nullptr);
  // "compression_rate" -> "0.412" (what the number labels show; for tests)
  QString value(const QString& key) const;
  void set_dark(bool dark);

 private:
  void refresh_numbers();
  void refresh_chart();
  void move_cursor();
  SessionContext* ctx_;
  std::vector<std::pair<QString, QLabel*>> values_;
  QtCharts::QChartView* chart_view_;
  QtCharts::QLineSeries *rate_, *size_, *cursor_;
  QtCharts::QScatterSeries* hyper_;
  QtCharts::QValueAxis *ax_, *ay_rate_, *ay_size_;
};

}  // namespace z2z::ui
