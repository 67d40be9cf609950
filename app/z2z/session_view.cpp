// Static and paced terminal views of a session.
#include "app/z2z/session_view.h"

#include <chrono>
#include <thread>

#include "core/session/stream_items.h"
#include "core/session/summary.h"

namespace z2z::cli {

void print_session(std::FILE* out, const session::Session& s, std::int64_t t, const term::ViewOptions& v) {
  term::ViewOptions still = v;
  still.live = false;
  term::StreamWriter w(out, still);
  w.legend();
  for (const auto& it : session::stream_items(s, t, term::item_options(v))) w.item(it);
  w.finish(v.summary ? term::summary_block(s, t, v) : std::string());
}

void replay_session(std::FILE* out, const session::Session& s, double speed, double rate, const term::ViewOptions& v) {
  term::StreamWriter w(out, v);
  w.legend();
  const auto io = term::item_options(v);
  if (s.prompt())
    for (std::size_t j = 0; j < s.prompt()->event.codes.size(); ++j) w.item(session::prompt_item(s, j, io));
  w.footer(session::status_line(s, 0), true);
  auto next = std::chrono::steady_clock::now();
  for (std::int64_t i = 0; i < s.steps(); ++i) {
    if (rate > 0 || speed > 0) {
      const auto st = s.step(i);
      double ms = st.sample_ms + st.forward_ms + st.encoder_ms;
      if (ms <= 0) ms = 50.0;
      const double wait_ms = rate > 0 ? 1000.0 / rate : ms / speed;
      next += std::chrono::microseconds(static_cast<std::int64_t>(1000.0 * wait_ms));
      std::this_thread::sleep_until(next);
    }
    w.item(session::step_item(s, i, io));
    w.footer(session::status_line(s, i + 1), i + 1 == s.steps());
  }
  w.finish(v.summary ? term::summary_block(s, s.steps(), v) : std::string());
}

}  // namespace z2z::cli
