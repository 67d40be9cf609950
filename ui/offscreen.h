// ensure_gui_application() — a QGuiApplication for headless rendering (PNG/SVG export from the CLI):
// QT_QPA_PLATFORM=offscreen unless the caller set a platform, Qt's chatter (debug/info/warnings such
// as "XDG_RUNTIME_DIR not set") kept off stderr. Idempotent; the GUI creates its own QApplication.
#pragma once

namespace z2z::ui {

void ensure_gui_application();

}  // namespace z2z::ui
