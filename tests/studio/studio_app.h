// Test helper for the studio area: one offscreen QApplication for the whole binary, and small
// sessions built without a model (from_ids), so model/view tests run in milliseconds.
#pragma once

#include <QApplication>
#include <QElapsedTimer>
#include <functional>
#include <memory>
#include <vector>

#include "core/lzw/config.h"
#include "core/session/session_text.h"

namespace z2z::test {

inline QApplication& studio_app() {
  static int argc = 1;
  static char name[] = "test_studio";
  static char* argv[] = {name, nullptr};
  static std::unique_ptr<QApplication> app = [] {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("Z2Z_STUDIO_NO_DIALOGS", "1");
    QApplication::setOrganizationName("zip2zip-tests");
    return std::make_unique<QApplication>(argc, argv);
  }();
  return *app;
}

// Run the event loop until done() or `ms` milliseconds have passed; returns done().
inline bool wait_for(const std::function<bool()>& done, int ms, int slice_ms = 10) {
  QElapsedTimer t;
  t.start();
  while (!done() && t.elapsed() < ms) QApplication::processEvents(QEventLoop::AllEvents, slice_ms);
  return done();
}

// A repetitive id stream (strong compression): `n` base ids over an alphabet of 6.
inline std::shared_ptr<session::Session> repetitive_session(std::size_t n, std::int64_t k = 1000) {
  lzw::LzwConfig c;
  c.initial_vocab_size = 50;
  c.max_codebook_size = k;
  c.max_subtokens = 4;
  c.pad_token_id = 0;
  std::vector<std::int32_t> ids;
  const int pattern[] = {5, 6, 7, 8, 5, 6, 9, 10, 5, 6, 7};
  for (std::size_t i = 0; i < n; ++i) ids.push_back(pattern[(i * 7 + i / 11) % 11]);
  return std::make_shared<session::Session>(session::from_ids(ids, lzw::CompressionConfig(c)));
}

// A less repetitive stream (pseudo-random ids over 40 symbols; little compression): ~n steps.
inline std::shared_ptr<session::Session> random_session(std::size_t n) {
  lzw::LzwConfig c;
  c.initial_vocab_size = 50;
  c.max_codebook_size = 4096;
  c.max_subtokens = 4;
  c.pad_token_id = 0;
  std::vector<std::int32_t> ids;
  std::uint32_t x = 12345;
  for (std::size_t i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    ids.push_back(static_cast<std::int32_t>(1 + (x >> 16) % 40));
  }
  return std::make_shared<session::Session>(session::from_ids(ids, lzw::CompressionConfig(c)));
}

}  // namespace z2z::test
