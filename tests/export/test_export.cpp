// `z2z export`: every format from one saved session. HTML is opened in headless Chromium (the DOM
// dump must hold one chip per code, the screenshot must show the palette's chip colours); PNG is
// decoded (size follows --width/--scale, real pixel variance, hypertoken fills present); SVG is
// parsed and rendered; CSV/Markdown/JSON agree with the session. Bad input exits 2 naming the field.
#include <gtest/gtest.h>

#include <QColor>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QXmlStreamReader>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/session/export/html.h"
#include "core/session/export/tables.h"
#include "core/session/palette.h"
#include "core/session/session_file.h"
#include "core/session/session_text.h"
#include "core/tokenizer/compression.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "support/run.h"
#include "ui/offscreen.h"
#include "ui/session_image.h"

using z2z::test::run;
using z2z::test::shell_quote;
using z2z::test::z2z_bin;
namespace fs = std::filesystem;

namespace {

fs::path g_dir;
std::string g_session;
std::int64_t g_chips = 0;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct PixelStats {
  double mean = 0, stddev = 0;
  int matches = 0;  // pixels within 6 of `probe` per channel
};
PixelStats stats(const QImage& img, z2z::session::Rgb probe) {
  PixelStats s;
  double sum = 0, sq = 0;
  const double n = static_cast<double>(img.width()) * img.height();
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) {
      const QColor c = img.pixelColor(x, y);
      const double g = 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue();
      sum += g, sq += g * g;
      if (std::abs(c.red() - probe.r) < 6 && std::abs(c.green() - probe.g) < 6 && std::abs(c.blue() - probe.b) < 6)
        ++s.matches;
    }
  s.mean = sum / n;
  s.stddev = std::sqrt(std::max(0.0, sq / n - s.mean * s.mean));
  return s;
}

std::string chromium() {
  for (const char* c : {"chromium", "chromium-browser", "google-chrome"}) {
    auto r = run(std::string("command -v ") + c);
    if (r.exit_code == 0 && !r.out.empty()) return r.out.substr(0, r.out.find('\n'));
  }
  return "";
}

std::string chromium_cmd(const std::string& bin) {
  return "timeout 90 " + bin +
         " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
         " --disable-component-update --disable-sync --hide-scrollbars --user-data-dir=" +
         shell_quote((g_dir / "chrome-profile").string());
}

std::string export_to(const std::string& name, const std::string& flags = "") {
  const std::string out = (g_dir / name).string();
  auto r = run(z2z_bin() + " export " + shell_quote(g_session) + " --out " + shell_quote(out) + " " + flags);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return out;
}

class Export : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    g_dir = fs::temp_directory_path() / ("z2z_export_" + std::to_string(::getpid()));
    fs::create_directories(g_dir);
    std::string text;
    const char* lines[] = {"def add(a, b):\n    return a + b\n", "def sub(a, b):\n    return a - b\n",
                           "The quick brown fox jumps over the lazy dog. ", "<|end_of_text|>"};
    for (int i = 0; i < 12; ++i) text += lines[i % 3];
    text += lines[3];
    std::ofstream(g_dir / "text.txt") << text;
    g_session = (g_dir / "s.json").string();
    // Made in process as `z2z inspect --save-session` makes it (each test runs in its own process).
    const std::string tokenizer = std::string(Z2Z_SHARED_DIR) + "/data/tokenizers/llama3.json";
    const auto t = z2z::tok::Tokenizer::from_file(tokenizer);
    const z2z::lzw::CompressionConfig cfg(z2z::tok::lzw_config_for(t, z2z::lzw::LzwConfig::kUnlimited, 4));
    const auto s = z2z::session::Session::from_text(t, text, cfg, tokenizer);
    z2z::session::save(s, g_session);
    g_chips = s.steps();
    z2z::ui::ensure_gui_application();
  }
  static void TearDownTestSuite() { fs::remove_all(g_dir); }
};

}  // namespace

TEST_F(Export, HtmlRendersInHeadlessChromium) {
  const std::string html_path = export_to("s.html");
  const std::string html = slurp(html_path);
  EXPECT_EQ(html.find("http://"), std::string::npos);  // self-contained: no network
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  const std::string bin = chromium();
  if (bin.empty()) GTEST_SKIP() << "chromium not installed (scripts/setup installs it)";
  // #card=3 opens chip 3's hover card on load (the same function the mouse uses).
  auto dom = run(chromium_cmd(bin) + " --dump-dom " + shell_quote("file://" + html_path + "#card=3"));
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(dom.out, m, std::regex("data-chips=\"([0-9]+)\""))) << dom.out.substr(0, 2000);
  EXPECT_EQ(std::stoll(m[1]), g_chips);  // the page's script rendered one chip per code
  std::ptrdiff_t chips = 0, hyper = 0;
  for (auto at = dom.out.find("class=\"tok k-"); at != std::string::npos; at = dom.out.find("class=\"tok k-", at + 1)) {
    ++chips;
    hyper += dom.out.compare(at + 13, 5, "hyper") == 0;
  }
  EXPECT_GE(chips, g_chips);
  EXPECT_GT(hyper, 5);
  EXPECT_NE(dom.out.find("class=\"sep\""), std::string::npos);  // boundaries inside hypertokens
  const auto card = dom.out.find("<div id=\"card\" style=\"display: block;");
  ASSERT_NE(card, std::string::npos) << "hover card not shown";
  EXPECT_NE(dom.out.find("base ids", card), std::string::npos);

  const std::string shot = (g_dir / "shot.png").string();
  auto r = run(chromium_cmd(bin) + " --window-size=1280,900 --screenshot=" + shell_quote(shot) + " " +
               shell_quote("file://" + html_path));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  QImage img(QString::fromStdString(shot));
  ASSERT_FALSE(img.isNull());
  EXPECT_EQ(img.width(), 1280);
  const auto st = stats(img, z2z::session::style_of(z2z::session::ChipKind::Hyper2).fill);
  EXPECT_GT(st.stddev, 15.0);
  EXPECT_GT(st.matches, 200) << "no hypertoken chip colour on the screenshot";
}

TEST_F(Export, PngIsTheWholeStreamAtTheRequestedScale) {
  const std::string png = export_to("s.png", "--width 800 --scale 2");
  QImage img(QString::fromStdString(png));
  ASSERT_FALSE(img.isNull());
  EXPECT_EQ(img.width(), 1600);
  EXPECT_GT(img.height(), 400);
  const auto st = stats(img, z2z::session::style_of(z2z::session::ChipKind::Hyper2).fill);
  EXPECT_GT(st.stddev, 20.0);
  EXPECT_GT(st.matches, 500);
  EXPECT_GT(stats(img, z2z::session::style_of(z2z::session::ChipKind::Hyper3).fill).matches, 100);
  // Fewer codes, shorter picture; the same width.
  z2z::ui::ImageOptions io;
  io.width = 800;
  io.scale = 2;
  z2z::ui::export_png(z2z::session::load(g_session), 10, io, (g_dir / "early.png").string());
  QImage early(QString::fromStdString((g_dir / "early.png").string()));
  EXPECT_EQ(early.width(), 1600);
  EXPECT_LT(early.height(), img.height());
}

TEST_F(Export, SvgParsesAndRenders) {
  const std::string svg = (g_dir / "s.svg").string();
  z2z::ui::ImageOptions io;
  io.width = 900;
  z2z::ui::export_svg(z2z::session::load(g_session), 1 << 30, io, svg);
  QFile f(QString::fromStdString(svg));
  ASSERT_TRUE(f.open(QIODevice::ReadOnly));
  QXmlStreamReader xml(&f);
  int texts = 0;
  while (!xml.atEnd())
    if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text")) ++texts;
  EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
  EXPECT_GT(texts, g_chips);  // every chip has its text, plus header and legend
  QSvgRenderer renderer(QString::fromStdString(svg));
  ASSERT_TRUE(renderer.isValid());
  EXPECT_EQ(renderer.viewBox().width(), 900);
  QImage img(renderer.defaultSize(), QImage::Format_ARGB32);
  img.fill(Qt::white);
  QPainter p(&img);
  renderer.render(&p);
  p.end();
  EXPECT_GT(stats(img, z2z::session::style_of(z2z::session::ChipKind::Hyper2).fill).matches, 300);
}

TEST_F(Export, TablesAndJsonAgreeWithTheSession) {
  // In process (the CLI only picks the function and writes the file).
  const auto s = z2z::session::load(g_session);
  const std::string csv = z2z::session::codebook_csv(s, 40);
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "id,created_step,length,prefix_id,last_base_id,base_ids,text,uses,last_use");
  int rows = 0;
  while (std::getline(lines, line))
    if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0]))) ++rows;
  EXPECT_EQ(rows, s.codebook_size(40));
  const std::string md = z2z::session::summary_markdown(s, s.steps());
  EXPECT_NE(md.find("| compression rate (codes / base tokens) |"), std::string::npos);
  EXPECT_NE(md.find("## Most used codebook entries"), std::string::npos);
  EXPECT_EQ(z2z::session::to_json(s), slurp(g_session));
  // HTML at an earlier step holds fewer chips' data and the codebook of that step.
  const std::string h10 = z2z::session::session_html(s, 10);
  EXPECT_NE(h10.find("Codebook at step 10 (" + std::to_string(s.codebook_size(10)) + " entries)"), std::string::npos);
}

TEST_F(Export, BadInputExitsTwoNamingTheProblem) {
  std::string text = slurp(g_session);
  text.replace(text.find("\"max_subtokens\":4"), 17, "\"max_subtokens\":\"x\"");
  std::ofstream(g_dir / "bad.json") << text;
  auto r = run(z2z_bin() + " export " + shell_quote((g_dir / "bad.json").string()) + " --out " +
               shell_quote((g_dir / "x.html").string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("run.compression.max_subtokens: expected an integer"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(g_dir / "x.html"));
  auto f = run(z2z_bin() + " export " + shell_quote(g_session) + " --out x.gif --step 99999999");
  EXPECT_EQ(f.exit_code, 2);
  EXPECT_NE(f.err.find("--format"), std::string::npos);
  // A PNG that would be too tall is refused with a hint, not a crash.
  z2z::ui::ImageOptions tall;
  tall.width = 200;
  tall.max_png_pixels_tall = 300;
  EXPECT_THROW(z2z::ui::export_png(z2z::session::load(g_session), 1 << 30, tall, (g_dir / "tall.png").string()),
               z2z::Error);
}
