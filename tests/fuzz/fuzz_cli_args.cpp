// Fuzz target: the z2z command-line parser (app/z2z/cli_args.cpp). The input split on NUL bytes is an
// argv (after the command name), parsed against a spec like `z2z generate`'s (value options, boolean
// flags, a repeatable option); a successful parse is then read the way the commands read it: typed
// getters with ranges and parse_ids on id lists. --help output goes to a silenced std::cout.
// Expected outcome for bad input: cli::UsageError. Anything else is a bug.
#include <cstdint>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "app/z2z/cli_args.h"
#include "tests/fuzz/fuzz_util.h"

using namespace z2z::cli;

namespace {

Args make_args() {
  return Args("z2z fuzz", "z2z fuzz [options] ARGS...", "fuzzing the argument parser",
              {{"model", "DIR", "model directory"},
               {"prompt-ids", "\"1 2 3\"", "prompt as base token ids"},
               {"max-new-tokens", "N", "codes to generate"},
               {"temperature", "T", "0 = greedy"},
               {"top-p", "P", "nucleus sampling mass"},
               {"seed", "S", "random seed"},
               {"jsonl", "", "one JSON event per line"},
               {"no-summary", "", "no summary block"},
               {"stop", "STR", "stop string", true}});
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::cout.setstate(std::ios::badbit);  // --help prints; keep the fuzzer's output readable
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> argv;
  const std::string input(reinterpret_cast<const char*>(data), size);
  for (std::size_t b = 0; b <= input.size();) {
    std::size_t e = input.find('\0', b);
    if (e == std::string::npos) e = input.size();
    argv.push_back(input.substr(b, e - b));
    b = e + 1;
  }
  Args args = make_args();
  try {
    if (!args.parse(argv)) return 0;  // --help / -h
  } catch (const UsageError&) {
    return 0;
  }
  (void)args.help();
  (void)args.get_or("model", ".");
  (void)args.get_all("stop");
  (void)args.has("jsonl");
  const auto read = [&](auto&& f) {
    try {
      f();
    } catch (const UsageError&) {
    }
  };
  read([&] { (void)args.get_int("max-new-tokens", 64, 0, 1 << 24); });
  read([&] { (void)args.get_int("seed", 0, 0, std::numeric_limits<std::int64_t>::max()); });
  read([&] { (void)args.get_int("seed", std::numeric_limits<std::int64_t>::min(), -1); });
  read([&] { (void)args.get_double("temperature", 0.0, 0.0, 100.0); });
  read([&] { (void)args.get_double("top-p", 1.0, 1e-9, 1.0); });
  read([&] {
    if (auto ids = args.get("prompt-ids")) (void)parse_ids(*ids, "--prompt-ids");
  });
  for (const auto& p : args.positional()) {
    read([&] { (void)parse_ids(p, "positional"); });
    read([&] { (void)parse_int(p, "positional", -5, 1000); });
  }
  return 0;
}
