// `z2z replay` — replay a saved session in the terminal at a chosen pace, or print its state at step N.
#include <fmt/format.h>

#include "app/z2z/cli_args.h"
#include "app/z2z/commands.h"
#include "app/z2z/session_view.h"
#include "core/session/session_file.h"

namespace z2z::cli {

namespace {
const char* kUsage =
    "z2z replay SESSION.json [--speed X | --rate N] [--step N] [--color WHEN] [--whitespace] [--tint] [--no-summary]";
const char* kDescription =
    "Replay a session saved by `z2z generate --save-session` or `z2z inspect --save-session`.\n"
    "Without --step: the prompt, then one code at a time at the recorded pace (--speed 2 = twice as fast,\n"
    "0 = no delay; sessions without timings play at 20 codes/s) or at --rate N codes per second, with a\n"
    "live footer on a terminal.\n"
    "--step N: print the stream after the first N codes and the numbers at that step.";
}  // namespace

int cmd_replay(int argc, char** argv) {
  std::vector<OptionSpec> specs = {
      {"speed", "X", "pace multiplier (default 1; 0 = as fast as possible)"},
      {"rate", "N", "replay at N codes per second instead of the recorded pace"},
      {"step", "N", "print the state after the first N codes instead of replaying"},
  };
  for (auto& o : term::view_option_specs()) specs.push_back(o);
  Args args("z2z replay", kUsage, kDescription, specs);
  if (!args.parse(argc, argv, 1)) return 0;
  if (args.positional().size() != 1) throw UsageError("z2z replay: give exactly one SESSION file");
  const double speed = args.get_double("speed", 1.0, 0.0, 1e6);
  const double rate = args.get_double("rate", 0.0, 0.0, 1e6);
  const auto step = args.get_int("step", 0, std::numeric_limits<std::int64_t>::max());
  const term::ViewOptions view = term::view_options(args, stdout);
  const session::Session s = session::load(args.positional()[0]);
  if (step) {
    if (*step > s.steps()) throw UsageError(fmt::format("--step: {} is past the last step ({})", *step, s.steps()));
    print_session(stdout, s, *step, view);
  } else {
    replay_session(stdout, s, speed, rate, view);
  }
  return 0;
}

}  // namespace z2z::cli
