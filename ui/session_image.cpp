// Header + legend + prompt + stream, measured then painted; PNG and SVG writers.
#include "ui/session_image.h"

#include <QFontMetricsF>
#include <QImage>
#include <QSvgGenerator>
#include <cmath>

#include <fmt/format.h>

#include "core/session/palette.h"
#include "core/session/stream_items.h"
#include "core/session/summary.h"
#include "core/util/error.h"
#include "ui/stream_painter.h"

namespace z2z::ui {

namespace {
constexpr qreal kMargin = 20;

QString qs(const std::string& s) { return QString::fromUtf8(s.data(), static_cast<int>(s.size())); }

std::string key_numbers(const session::Session& s, std::int64_t t) {
  const auto c = s.counters(t);
  std::string out = "rate " + fmt::format("{:.3f}", c.compression_rate()) + " (codes / base tokens) · " +
                    std::to_string(c.codes()) + " codes → " + std::to_string(c.base_tokens) + " base tokens · " +
                    fmt::format("{:.0f}% hypertokens", 100 * c.hyper_ratio()) + " · codebook " +
                    std::to_string(c.codebook_size) + "/" + session::format_capacity(c.codebook_capacity);
  if (c.elapsed_ms > 0) out += fmt::format(" · {:.1f} codes/s", c.tokens_per_s());
  return out;
}
}  // namespace

QSizeF paint_session(QPainter* p, const session::Session& s, std::int64_t t, const ImageOptions& o) {
  t = std::clamp<std::int64_t>(t, 0, s.steps());
  const qreal width = std::max(200, o.width);
  const qreal inner = width - 2 * kMargin;
  const StreamStyle style = StreamStyle::standard();
  QFont title_font(QStringLiteral("DejaVu Sans"));
  title_font.setPointSizeF(13);
  title_font.setBold(true);
  QFont small(QStringLiteral("DejaVu Sans"));
  small.setPointSizeF(9);
  const QFontMetricsF tfm(title_font), sfm(small);
  qreal y = kMargin;
  // One line of text, wrapped at " · " separators when it is wider than the picture.
  auto text_line = [&](const QFont& f, const QFontMetricsF& fm, const QString& text, QColor color) {
    const QStringList parts = text.split(QStringLiteral(" · "));
    QString line;
    auto flush = [&]() {
      if (p) {
        p->setFont(f);
        p->setPen(color);
        p->drawText(QPointF(kMargin, y + fm.ascent()), fm.elidedText(line, Qt::ElideRight, inner));
      }
      y += fm.height() + 3;
      line.clear();
    };
    for (const QString& part : parts) {
      const QString next = line.isEmpty() ? part : line + QStringLiteral(" · ") + part;
      if (!line.isEmpty() && fm.horizontalAdvance(next) > inner) flush();
      line = line.isEmpty() ? part : line + QStringLiteral(" · ") + part;
    }
    if (!line.isEmpty()) flush();
  };
  text_line(title_font, tfm, qs("zip2zip · " + session::run_title(s)), QColor(0x1f, 0x23, 0x28));
  text_line(small, sfm,
            qs(session::run_settings(s) + " · step " + std::to_string(t) + " of " + std::to_string(s.steps())),
            QColor(0x65, 0x6d, 0x76));
  text_line(small, sfm, qs(key_numbers(s, t)), QColor(0x1f, 0x23, 0x28));
  y += 4;

  // Legend: one sample chip per kind, then the marker explanation.
  std::vector<session::StreamItem> legend;
  const char* samples[] = {"base", "hyper-2", "hyper-3", "hyper-4+", "<special>"};
  const std::vector<std::uint32_t> cuts[] = {{}, {5}, {3, 5}, {2, 4, 5}, {}};
  for (std::size_t k = 0; k < std::size(session::kAllKinds); ++k) {
    session::StreamItem it;
    it.kind = session::kAllKinds[k];
    it.text = samples[k];
    it.cuts = cuts[k];
    legend.push_back(std::move(it));
  }
  StreamLayout ll;
  ll.build(legend, style, inner, kMargin, y);
  if (p) paint_stream(*p, ll, legend, style);
  const QString explain = QStringLiteral("underline + thin bars = hypertoken and its base-token boundaries");
  qreal lx = ll.boxes().empty() ? kMargin : ll.boxes().back().rect.right() + 10;
  qreal cy = ll.boxes().empty() ? y : ll.boxes().back().rect.center().y();
  y = ll.bottom() + 12;
  if (lx + sfm.horizontalAdvance(explain) > kMargin + inner) {  // no room beside the chips: next line
    lx = kMargin;
    cy = y - 6 + sfm.height() / 2;
    y += sfm.height() + 4;
  }
  if (p) {
    p->setFont(small);
    p->setPen(QColor(0x65, 0x6d, 0x76));
    p->drawText(QPointF(lx, cy + sfm.ascent() / 2 - 1), explain);
  }

  session::ItemOptions io;
  io.visible_whitespace = o.visible_whitespace;
  io.include_prompt = false;
  if (s.prompt() && !s.prompt()->event.codes.empty()) {
    std::vector<session::StreamItem> prompt;
    for (std::size_t j = 0; j < s.prompt()->event.codes.size(); ++j) prompt.push_back(session::prompt_item(s, j, io));
    text_line(small, sfm, QStringLiteral("prompt"), QColor(0x65, 0x6d, 0x76));
    StreamLayout pl;
    pl.build(prompt, style, inner - 8, kMargin + 8, y);
    if (p) {
      p->fillRect(QRectF(kMargin, y, 3, pl.bottom() - y), QColor(0xd0, 0xd7, 0xde));
      paint_stream(*p, pl, prompt, style);
    }
    y = pl.bottom() + 10;
    text_line(small, sfm, QStringLiteral("output"), QColor(0x65, 0x6d, 0x76));
  }
  const auto items = session::stream_items(s, t, io);
  StreamLayout sl;
  sl.build(items, style, inner, kMargin, y);
  if (p) paint_stream(*p, sl, items, style);
  y = sl.bottom() + kMargin;
  return QSizeF(width, std::ceil(y));
}

void export_png(const session::Session& s, std::int64_t t, const ImageOptions& o, const std::string& path) {
  const QSizeF size = paint_session(nullptr, s, t, o);
  const int w = static_cast<int>(std::ceil(size.width() * o.scale)),
            h = static_cast<int>(std::ceil(size.height() * o.scale));
  if (h > o.max_png_pixels_tall)
    fail("png: the picture would be {} px tall (limit {}); hint: use --step N, a larger --width, or --format svg", h,
         o.max_png_pixels_tall);
  QImage img(w, h, QImage::Format_ARGB32_Premultiplied);
  img.setDevicePixelRatio(o.scale);
  img.fill(Qt::white);
  {
    QPainter p(&img);
    paint_session(&p, s, t, o);
  }
  if (!img.save(QString::fromStdString(path), "PNG")) fail("{}: cannot write the PNG file", path);
}

void export_svg(const session::Session& s, std::int64_t t, const ImageOptions& o, const std::string& path) {
  const QSizeF size = paint_session(nullptr, s, t, o);
  QSvgGenerator gen;
  gen.setFileName(QString::fromStdString(path));
  gen.setSize(size.toSize());
  gen.setViewBox(QRectF(QPointF(0, 0), size));
  gen.setTitle(QStringLiteral("zip2zip session"));
  gen.setDescription(qs(session::run_title(s)));
  gen.setResolution(96);
  QPainter p;
  if (!p.begin(&gen)) fail("{}: cannot write the SVG file", path);
  p.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
  paint_session(&p, s, t, o);
  p.end();
}

}  // namespace z2z::ui
