// Fuzz target: session JSON (docs/session-format.md) through session::from_json. A session that loads
// must survive what `z2z replay` and the views do with it — summary rows, status line, stream items,
// codebook and theory-vs-actual at the end and halfway — and must save and reload to the same JSON.
// Expected outcome for bad input: z2z::Error from from_json. Anything else is a bug. Differential:
// from_json's fast path (session_readers.h) gives up or loads exactly what the general reader loads.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/session/session_file.h"
#include "core/session/session_readers.h"
#include "core/session/session_text.h"
#include "core/session/stream_items.h"
#include "core/session/summary.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_util.h"

using namespace z2z::session;

namespace {

void exercise_views(const Session& s, std::int64_t t) {
  (void)metric_rows(s, t);
  (void)status_line(s, t);
  (void)stream_items(s, t);
  (void)s.codebook(t);
  (void)s.counters(t);
  (void)s.length_histogram(t);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<Session> s;
  try {
    s.emplace(from_json(text, "fuzz/session.json"));
  } catch (const z2z::Error&) {
    Z2Z_FUZZ_CHECK(!detail::read_written_layout(text));  // it must not accept what the general reader rejects
    return 0;
  }
  if (const auto fast = detail::read_written_layout(text))
    Z2Z_FUZZ_CHECK(to_json(*fast) == to_json(detail::read_any_layout(text, "fuzz/session.json")));
  (void)run_title(*s);
  (void)run_settings(*s);
  exercise_views(*s, s->steps());
  exercise_views(*s, s->steps() / 2);
  (void)canonical_items(*s);
  (void)theory_vs_actual(*s);
  for (std::int64_t i = 0; i < s->steps(); ++i) (void)s->step(i);

  // Saving is lossless: what we write loads again and writes the same bytes.
  const std::string saved = to_json(*s);
  const Session again = from_json(saved, "fuzz/resaved.json");  // a z2z::Error here escapes: a bug
  Z2Z_FUZZ_CHECK(to_json(again) == saved);
  return 0;
}
