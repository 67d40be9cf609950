// A lazily created offscreen QGuiApplication.
#include "ui/offscreen.h"

#include <QGuiApplication>
#include <cstdio>

namespace z2z::ui {

namespace {
void quiet_handler(QtMsgType type, const QMessageLogContext&, const QString& msg) {
  if (type == QtCriticalMsg || type == QtFatalMsg) std::fprintf(stderr, "qt: %s\n", msg.toLocal8Bit().constData());
}
}  // namespace

void ensure_gui_application() {
  if (QCoreApplication::instance()) return;
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  qInstallMessageHandler(quiet_handler);
  static int argc = 1;
  static char arg0[] = "z2z";
  static char* argv[] = {arg0, nullptr};
  new QGuiApplication(argc, argv);  // lives until exit (destroying Qt objects at static teardown is unsafe)
}

}  // namespace z2z::ui
