// z2z-studio — the zip2zip desktop app (Qt 5). Thin main: parses the command line, finds the demo
// models, opens the MainWindow and, for headless use, generates / opens a session, moves the cursor,
// grabs the window (or one panel) to PNG and exits:
//   z2z-studio [SESSION] [--model DIR] [--prompt T] [--screenshot OUT.png] [--step N] [--panel NAME]
//              [--size WxH] [--theme dark] [--max-tokens N] [--teach TEXT] [--presentation]
//              [--recover | --no-recover]
// Exit codes: 0 ok, 1 failure (generation/open/screenshot), 2 bad arguments. Not a panel.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QTimer>
#include <cstdio>

#include "ui/panels/codebook_panel.h"
#include "ui/panels/prompt_panel.h"
#include "ui/panels/side_by_side_panel.h"
#include "ui/panels/teaching_panel.h"
#include "ui/studio/main_window.h"

#ifndef Z2Z_SOURCE_DIR
#define Z2Z_SOURCE_DIR ""
#endif

using namespace z2z::ui;

namespace {
QString source_dir() {
  const QString env = qEnvironmentVariable("Z2Z_SOURCE_DIR");
  if (!env.isEmpty()) return env;
  if (QFileInfo(QStringLiteral(Z2Z_SOURCE_DIR "/resources")).isDir()) return QStringLiteral(Z2Z_SOURCE_DIR);
  // installed next to a source tree: <root>/build*/bin/z2z-studio
  const QDir d(QCoreApplication::applicationDirPath() + "/../..");
  return d.exists("resources") ? d.absolutePath() : QString(Z2Z_SOURCE_DIR);
}
}  // namespace

int main(int argc, char** argv) {
  QApplication::setAttribute(Qt::AA_EnableHighDpiScaling);
  QApplication app(argc, argv);
  QApplication::setApplicationName("z2z-studio");
  QApplication::setOrganizationName("zip2zip");
  QApplication::setApplicationVersion(Z2Z_VERSION);

  QCommandLineParser cli;
  cli.setApplicationDescription("zip2zip studio: watch a zip2zip model grow its vocabulary while it writes.");
  cli.addHelpOption();
  cli.addVersionOption();
  cli.addPositionalArgument("SESSION", "a session file (.json) to open");
  const QCommandLineOption model({"m", "model"}, "model directory (default: resources/models/demo-zip2zip)", "DIR");
  const QCommandLineOption prompt({"p", "prompt"}, "generate with this prompt at start", "TEXT");
  const QCommandLineOption max_tokens("max-tokens", "max new tokens for --prompt", "N");
  const QCommandLineOption temperature("temperature", "sampling temperature for --prompt", "T");
  const QCommandLineOption teach("teach", "open teaching mode on this text (no model)", "TEXT");
  const QCommandLineOption shot("screenshot", "grab the window (or --panel) to this PNG and exit", "OUT.png");
  const QCommandLineOption step("step", "move the cursor to step N before the screenshot", "N");
  const QCommandLineOption panel("panel",
                                 "panel to grab: stream, codebook, dashboard, alternatives, timeline, "
                                 "inspector, prompt, teaching, sidebyside",
                                 "NAME");
  const QCommandLineOption size("size", "window size (default 1600x1000)", "WxH");
  const QCommandLineOption theme("theme", "system, light, dark or high-contrast", "NAME");
  const QCommandLineOption select("select",
                                  "select stream item N, or the first hypertoken after it (pins the inspector)", "N");
  const QCommandLineOption fresh("fresh", "ignore the saved layout and settings");
  const QCommandLineOption present("presentation", "presentation mode (large fonts, chrome hidden, 16:9 frame)");
  const QCommandLineOption recover("recover", "open the autosave a crash left behind, without asking");
  const QCommandLineOption no_recover("no-recover", "delete the autosave a crash left behind, without asking");
  for (const auto& o : {model, prompt, max_tokens, temperature, teach, shot, step, panel, size, theme, select, fresh,
                        present, recover, no_recover})
    cli.addOption(o);
  cli.process(app);

  const QString src = source_dir();
  StudioOptions opts;
  opts.source_dir = src;
  opts.default_model_dir = src + "/resources/models/demo-zip2zip";
  opts.base_model_dir = src + "/resources/models/demo-base";
  const bool headless = cli.isSet(shot);
  opts.restore_layout = !headless && !cli.isSet(fresh);
  if (headless) qputenv("Z2Z_STUDIO_NO_DIALOGS", "1");
  if (cli.isSet(recover) && cli.isSet(no_recover)) {
    std::fprintf(stderr, "z2z-studio: --recover and --no-recover exclude each other\n");
    return 2;
  }
  // Autosave (docs/studio.md): the app writes one; headless runs never write it and leave an existing
  // one alone unless told (--recover opens it, --no-recover deletes it); otherwise a dialog asks.
  opts.autosave = !headless;
  opts.recovery = cli.isSet(recover)      ? Recovery::Recover
                  : cli.isSet(no_recover) ? Recovery::Discard
                  : headless              ? Recovery::Ignore
                                          : Recovery::Ask;

  MainWindow w(opts);
  if (headless) w.codebook_panel()->set_reduced_motion(true);  // no half-faded row flash in pictures
  if (cli.isSet(model))
    w.prompt_panel()->set_model_dir(QFileInfo(cli.value(model)).absoluteFilePath());
  else if (headless)
    w.prompt_panel()->set_model_dir(opts.default_model_dir);
  if (cli.isSet(theme)) {
    const QString t = cli.value(theme);
    const Theme th = t == "dark"            ? Theme::Dark
                     : t == "light"         ? Theme::Light
                     : t == "high-contrast" ? Theme::HighContrast
                                            : Theme::System;
    w.set_theme(th);
  }
  int width = 1600, height = 1000;
  if (cli.isSet(size)) {
    const QStringList wh = cli.value(size).split('x');
    if (wh.size() != 2 || wh[0].toInt() < 200 || wh[1].toInt() < 150) {
      std::fprintf(stderr, "z2z-studio: --size: expected WxH (e.g. 1600x1000), got '%s'\n",
                   qPrintable(cli.value(size)));
      return 2;
    }
    width = wh[0].toInt();
    height = wh[1].toInt();
  }
  if (headless || cli.isSet(size)) w.resize(width, height);
  if (cli.isSet(panel) && !w.panel(cli.value(panel))) {
    std::fprintf(stderr, "z2z-studio: --panel: unknown panel '%s' (one of %s)\n", qPrintable(cli.value(panel)),
                 qPrintable(w.panel_names().join(", ")));
    return 2;
  }
  w.show();
  if (cli.isSet(present)) w.set_presentation(true);

  int exit_code = 0;
  auto finish_headless = [&] {
    if (!headless) return;
    QTimer::singleShot(300, &w, [&] {
      if (cli.isSet(step)) w.context()->set_cursor(cli.value(step).toLongLong());
      if (cli.isSet(select)) {
        qint64 item = cli.value(select).toLongLong();  // the first hypertoken from there on, if any
        for (qint64 i = item; w.context()->has_session() && i < w.context()->item_count(); ++i)
          if (w.context()->session().find_entry(w.context()->item_code(i))) {
            item = i;
            break;
          }
        w.context()->set_selected_item(item);
        w.context()->set_highlight_id(w.context()->item_code(item));
      }
      QTimer::singleShot(400, &w, [&] {
        QWidget* target = cli.isSet(panel) ? w.panel(cli.value(panel)) : &w;
        QApplication::processEvents();
        const QImage img = target->grab().toImage();
        if (img.isNull() || !img.save(cli.value(shot), "PNG")) {
          std::fprintf(stderr, "z2z-studio: cannot write %s\n", qPrintable(cli.value(shot)));
          exit_code = 1;
        } else {
          std::fprintf(stderr, "z2z-studio: wrote %s (%dx%d, %lld steps)\n", qPrintable(cli.value(shot)), img.width(),
                       img.height(), static_cast<long long>(w.context()->steps()));
        }
        QApplication::exit(exit_code);
      });
    });
  };

  const QStringList pos = cli.positionalArguments();
  if (!pos.isEmpty()) {  // read on a worker; the window is up meanwhile, the screenshot waits for it
    QObject::connect(&w, &MainWindow::sessionOpened, &w, [&](const QString&, bool ok, const QString& err) {
      if (!ok) {
        std::fprintf(stderr, "z2z-studio: %s\n", qPrintable(err));
        if (headless) {
          QApplication::exit(1);
          return;
        }
      }
      finish_headless();
    });
    w.open_session(pos[0]);
  } else if (cli.isSet(teach)) {
    w.panel("teaching");
    w.teaching_panel()->set_text(cli.value(teach));
    const QString err = w.teaching_panel()->run();
    if (!err.isEmpty()) {
      std::fprintf(stderr, "z2z-studio: %s\n", qPrintable(err));
      if (headless) return 1;
    }
    finish_headless();
  } else if (cli.isSet(prompt)) {
    w.prompt_panel()->set_prompt(cli.value(prompt));
    const bool compare = cli.isSet(panel) && cli.value(panel) == "sidebyside";
    QObject::connect(&w, &MainWindow::runFinished, &w, [&, compare](bool ok) {
      if (!ok) {
        std::fprintf(stderr, "z2z-studio: generation failed\n");
        exit_code = 1;
      }
      if (compare && ok) {  // then the same prompt through both side-by-side models
        QObject::connect(w.side_by_side_panel(), &SideBySidePanel::bothFinished, &w, finish_headless);
        w.side_by_side_panel()->run(w.prompt_panel()->request());
        return;
      }
      finish_headless();
    });
    QTimer::singleShot(0, &w, [&] {
      if (cli.isSet(max_tokens) || cli.isSet(temperature))
        w.prompt_panel()->set_sampling(cli.isSet(temperature) ? cli.value(temperature).toDouble() : -1,
                                       cli.isSet(max_tokens) ? cli.value(max_tokens).toInt() : -1);
      w.generate();
    });
  } else if (headless && w.loading_session()) {  // --recover: the autosave is read on a worker first
    QObject::connect(&w, &MainWindow::sessionOpened, &w, [&] { finish_headless(); });
  } else {
    finish_headless();
  }
  if (headless)
    QTimer::singleShot(300000, &app, [] {
      std::fprintf(stderr, "z2z-studio: timed out\n");
      QApplication::exit(1);
    });
  const int rc = app.exec();
  return rc ? rc : exit_code;
}
