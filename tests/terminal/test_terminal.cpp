// Terminal views of `z2z inspect`, `replay` and `generate`: golden snapshots with and without colour
// (truecolor, 256, plain), NO_COLOR / pipes give plain text, control characters never reach the
// terminal, replay --step equals inspect --step, the live view on a pseudo-terminal (footer rewritten
// in place, summary kept), and generate --save-session -> replay round trip with a real model.
// Set Z2Z_UPDATE_SNAPSHOTS=1 to rewrite the golden files in tests/data/terminal/.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/session/session_file.h"
#include "core/session/session_text.h"
#include "core/tokenizer/compression.h"
#include "core/tokenizer/tokenizer.h"
#include "support/run.h"

using z2z::test::run;
using z2z::test::shell_quote;
using z2z::test::z2z_bin;

namespace {

const std::string kData = std::string(Z2Z_SOURCE_DIR) + "/tests/data/terminal/";
const std::string kTokenizer = std::string(Z2Z_SHARED_DIR) + "/data/tokenizers/llama3.json";

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void expect_snapshot(const std::string& name, const std::string& actual) {
  const auto path = kData + name;
  if (std::getenv("Z2Z_UPDATE_SNAPSHOTS")) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " missing; run with Z2Z_UPDATE_SNAPSHOTS=1";
  EXPECT_EQ(actual, slurp(path)) << "snapshot " << name << " differs; inspect with cat -v";
}

std::string inspect(const std::string& flags, const std::string& env = "") {
  auto r = run(env + " " + z2z_bin() + " inspect --tokenizer " + shell_quote(kTokenizer) + " --file " +
               shell_quote(kData + "sample.txt") + " " + flags);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

std::filesystem::path temp_dir() {
  auto d = std::filesystem::temp_directory_path() / ("z2z_term_" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d;
}

// The session the tests replay, made in process exactly as `z2z inspect` makes it (ctest runs every
// test in its own process, and z2z start-up dominates test time).
std::string g_session;

std::string replay(const std::string& flags, const std::string& env = "") {
  auto r = run(env + " " + z2z_bin() + " replay " + shell_quote(g_session) + " " + flags);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

class Terminal : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    g_session = (temp_dir() / "s.json").string();
    const auto t = z2z::tok::Tokenizer::from_file(kTokenizer);
    const z2z::lzw::CompressionConfig cfg(z2z::tok::lzw_config_for(t, z2z::lzw::LzwConfig::kUnlimited, 4));
    z2z::session::save(z2z::session::from_text(t, slurp(kData + "sample.txt"), cfg, kTokenizer), g_session);
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(temp_dir()); }
};

}  // namespace

TEST_F(Terminal, SnapshotsWithAndWithoutColour) {
  const std::string truecolor = replay("--speed 0 --color truecolor --whitespace");
  expect_snapshot("stream_truecolor_ws.txt", truecolor);
  const std::string c256 = replay("--step 21 --color 256 --tint");
  expect_snapshot("stream_256_tint.txt", c256);
  const std::string plain = replay("--speed 0");  // stdout is a pipe: plain
  expect_snapshot("stream_plain.txt", plain);

  // Colour: hypertokens underlined with the hyper-2 blue, a thin bar at internal boundaries, a legend.
  EXPECT_NE(truecolor.find("\x1b[38;2;86;180;233m\x1b[4m"), std::string::npos);
  EXPECT_NE(truecolor.find("\xE2\x96\x8F"), std::string::npos);
  EXPECT_EQ(truecolor.rfind("\x1b[1mlegend:", 0), 0u);
  EXPECT_NE(truecolor.find("\xC2\xB7"), std::string::npos);  // · for spaces
  EXPECT_NE(c256.find("\x1b[38;5;"), std::string::npos);
  EXPECT_EQ(c256.find("\x1b[38;2;"), std::string::npos);
  // Plain: the text itself, then the summary; no escapes at all.
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  const std::string text = slurp(kData + "sample.txt");
  EXPECT_EQ(plain.rfind(text, 0), 0u) << plain;
  EXPECT_NE(plain.find("compression rate (codes / base tokens)"), std::string::npos);
  EXPECT_NE(plain.find("hypertokens by length"), std::string::npos);
}

TEST_F(Terminal, NoColorIsPlainAndBadFlagsExitTwo) {
  EXPECT_EQ(replay("--step 21 --color auto", "NO_COLOR=1").find('\x1b'), std::string::npos);
  auto bad = run(z2z_bin() + " replay " + shell_quote(g_session) + " --color sometimes");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--color"), std::string::npos);
}

TEST_F(Terminal, ControlCharactersNeverReachTheTerminal) {
  auto r =
      run(z2z_bin() + " inspect --tokenizer " + shell_quote(kTokenizer) + " --stdin --color truecolor --no-summary",
          "evil \x1b]0;pwned\x07 \x1b[2J text");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("\x1b]"), std::string::npos);
  EXPECT_EQ(r.out.find("\x1b[2J"), std::string::npos);
  EXPECT_NE(r.out.find("\xE2\x90\x9B"), std::string::npos);  // ␛
}

TEST_F(Terminal, ReplayAtStepEqualsInspectAtStep) {
  const std::string at7 = replay("--step 7 --color truecolor");
  EXPECT_EQ(at7, inspect("--color truecolor --step 7"));
  EXPECT_NE(at7.find("step                                     7 / "), std::string::npos) << at7;
  auto missing = run(z2z_bin() + " replay " + shell_quote((temp_dir() / "none.json").string()) + " --step 100000");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("none.json"), std::string::npos);
}

TEST_F(Terminal, LiveViewOnAPseudoTerminalKeepsTheSummary) {
  // `script` gives the command a pty: the view is live (footer rewritten in place).
  auto r = run("COLUMNS=60 TERM=xterm-256color script -qec " +
               shell_quote(z2z_bin() + " replay " + g_session + " --speed 50") + " /dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\x1b[2K"), std::string::npos);                  // footer line cleared and redrawn
  EXPECT_NE(r.out.find("\x1b[1A"), std::string::npos);                  // back up to the stream
  EXPECT_NE(r.out.find("step 0 \xC2\xB7 0 codes"), std::string::npos);  // first footer
  EXPECT_NE(r.out.find("compression rate (codes / base tokens)"), std::string::npos);  // summary kept
  const auto last_footer = r.out.rfind("\x1b[2K");
  EXPECT_LT(last_footer, r.out.find("\xE2\x94\x80\xE2\x94\x80 zip2zip"));  // summary after the last footer update
}

TEST_F(Terminal, GenerateSavesASessionThatReplaysAndExports) {
  const auto dir = temp_dir() / "gen";
  std::filesystem::create_directories(dir);
  // Tiny synthetic checkpoints (random weights), made once per build tree and reused.
  const std::string script = std::string(Z2Z_SOURCE_DIR) + "/tests/model/reference/make_checkpoints.py";
  const auto cache = std::filesystem::path(Z2Z_BIN_DIR) / ".." / "test-fixtures" /
                     ("checkpoints-" + std::to_string(std::filesystem::file_size(script)));
  if (!std::filesystem::exists(cache / "v2_llama" / "config.json")) {
    const auto tmp = cache.string() + ".tmp" + std::to_string(::getpid());
    auto ck = run("/usr/bin/python3 " + shell_quote(script) + " " + shell_quote(tmp));
    ASSERT_EQ(ck.exit_code, 0) << ck.err;
    std::error_code ec;
    std::filesystem::rename(tmp, cache, ec);  // another test process may have won the race: fine
    if (ec) std::filesystem::remove_all(tmp);
  }
  const auto file = (dir / "gen.json").string();
  const std::string cmd = z2z_bin() + " generate --model " + shell_quote((cache / "v2_llama").string()) +
                          " --prompt-ids '20 21 22 20 21 22 20 21 23' --max-new-tokens 30 --seed 3 --temperature 1";
  auto jsonl = run(cmd + " --jsonl");
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  // --jsonl is unchanged: one prompt, 30 steps, one finish line.
  int lines = 0;
  for (char c : jsonl.out) lines += c == '\n';
  EXPECT_EQ(lines, 32);
  // The marked view of generate itself (forced colour on a pipe) saves the session; replay shows it.
  auto marked = run(cmd + " --color 256 --save-session " + shell_quote(file));
  ASSERT_EQ(marked.exit_code, 0) << marked.err;
  EXPECT_NE(marked.out.find("legend:"), std::string::npos);
  EXPECT_NE(marked.out.find("codebook size / K"), std::string::npos);
  auto replayed = run(z2z_bin() + " replay " + shell_quote(file) + " --speed 0 --color 256");
  ASSERT_EQ(replayed.exit_code, 0) << replayed.err;
  EXPECT_NE(replayed.out.find("generate \xC2\xB7 v2_llama (LlamaForCausalLM) \xC2\xB7 ids only"), std::string::npos)
      << replayed.out;
  EXPECT_NE(replayed.out.find("codes emitted                            30"), std::string::npos) << replayed.out;
  // Live and replayed views show the same stream (timings differ, so compare up to the summary).
  EXPECT_EQ(marked.out.substr(0, marked.out.find("codes per second")),
            replayed.out.substr(0, replayed.out.find("codes per second")));
  // The plain default is unchanged: text/ids on stdout, one summary line on stderr.
  auto plain = run(cmd);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(plain.out.find('\x1b'), std::string::npos);
  EXPECT_NE(plain.err.find("codes for"), std::string::npos);
}
