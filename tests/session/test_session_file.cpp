// Session files: save/load round trip (byte-identical re-save, same derived state), and hostile
// input (truncated at every position class, wrong types, deep nesting, bad versions, inconsistent
// events) gives a z2z::Error naming the field and never crashes.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "core/session/session_file.h"
#include "core/util/error.h"
#include "session/session_fixtures.h"

using namespace z2z;
using session::Session;

namespace {

Session sample(std::int64_t n = 40) {
  const auto lc = test::small_config();
  const auto r = test::record_run(11, n, lc);
  // Texts: token id k stands for the letter 'a' + k (and 0 for "</s>").
  return test::make_session(
      r, lc, [](std::int32_t id) { return id == 0 ? std::string("</s>") : std::string(1, char('a' + id)); });
}

std::string error_of(std::string_view text) {
  try {
    session::from_json(text, "t.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string replace_once(std::string s, const std::string& from, const std::string& to) {
  auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

}  // namespace

TEST(SessionFile, RoundTripIsExact) {
  const Session s = sample();
  const std::string a = session::to_json(s);
  const Session back = session::from_json(a);
  EXPECT_EQ(session::to_json(back), a);
  ASSERT_EQ(back.steps(), s.steps());
  for (std::int64_t t : {std::int64_t{0}, std::int64_t{7}, s.steps()}) {
    EXPECT_EQ(back.counters(t).base_tokens, s.counters(t).base_tokens);
    EXPECT_EQ(back.codebook(t).size(), s.codebook(t).size());
    EXPECT_DOUBLE_EQ(back.counters(t).elapsed_ms, s.counters(t).elapsed_ms);
  }
  EXPECT_EQ(back.text(), s.text());
  EXPECT_EQ(back.info().model_dir, "/models/synthetic");
  EXPECT_EQ(back.finish()->reason, "eos");
  EXPECT_EQ(back.step(s.steps() - 1).label, "</s>");
}

TEST(SessionFile, SaveIsAtomicAndLoads) {
  const auto dir = std::filesystem::temp_directory_path() / ("z2z_session_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "s.json";
  const Session s = sample();
  session::save(s, path);
  const Session back = session::load(path);
  EXPECT_EQ(session::to_json(back), session::to_json(s));
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) (void)e, ++files;
  EXPECT_EQ(files, 1);  // no temporary left behind
  EXPECT_THROW(session::load(dir / "missing.json"), Error);
  std::filesystem::remove_all(dir);
}

TEST(SessionFile, TruncatedFilesNeverLoad) {
  const std::string full = session::to_json(sample(25));
  int errors = 0;
  for (std::size_t cut = 0; cut < full.size() - 2; cut += 7) {
    const std::string msg = error_of(std::string_view(full).substr(0, cut));
    EXPECT_FALSE(msg.empty()) << "cut at " << cut;
    EXPECT_EQ(msg.rfind("t.json: ", 0), 0u) << msg;
    ++errors;
  }
  EXPECT_GT(errors, 100);
}

TEST(SessionFile, ErrorsNameTheField) {
  const std::string good = session::to_json(sample(12));
  struct Case {
    std::string from, to, needle;
  };
  const std::vector<Case> cases = {
      {"\"format\":\"z2z.session\"", "\"format\":\"other\"", "format: expected \"z2z.session\""},
      {"\"version\":1", "\"version\":9", "version: 9 is not supported"},
      {"\"max_subtokens\":4", "\"max_subtokens\":\"4\"", "run.compression.max_subtokens: expected an integer"},
      {"\"max_subtokens\":4", "\"max_subtokens\":0", "run.compression.max_subtokens: 0 is out of range"},
      {"\"initial_vocab_size\":8", "\"initial_vocab_size\":-8", "run.compression.initial_vocab_size"},
      {"\"source\":\"generate\"", "\"source\":\"x\"", "run.source"},
      {"{\"step\":3,\"code\":", "{\"step\":3,\"code\":-1,\"x\":", "steps[3].code: -1 is out of range"},
      {"{\"step\":2,", "{\"step\":5,", "steps[2].step: expected 2, got 5"},
      {"\"timings_ms\":{\"sample\":", "\"timings_ms\":{\"sample\":\"x\",\"s\":",
       "steps[0].timings_ms.sample: expected a number"},
      {"\"text\":\"", "\"text\":7,\"t\":\"", "prompt.text: expected a string"},
      {"\"codes\":[", "\"codes\":[99999,", "prompt.codes[0]: 99999 is neither a base id nor a prompt entry"},
      {"\"steps\":[\n", "\"steps\":[\n5,", "steps[0]: expected an object"},
      {"\"reason\":\"eos\"", "\"reason\":false", "finish.reason: expected a string"},
  };
  for (const auto& c : cases) {
    const std::string msg = error_of(replace_once(good, c.from, c.to));
    EXPECT_NE(msg.find(c.needle), std::string::npos) << "case " << c.to << "\n got: " << msg;
  }
}

TEST(SessionFile, HostileShapesAreRejected) {
  EXPECT_NE(error_of("").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_of("[1,2]").find("expected a JSON object"), std::string::npos);
  EXPECT_NE(error_of("{\"format\":\"z2z.session\"}").find("version: missing"), std::string::npos);
  EXPECT_NE(error_of(std::string(100000, '[')).find("nesting deeper"), std::string::npos);
  EXPECT_NE(error_of("{\"steps\":[" + std::string(5000, '[')).find("nesting deeper"), std::string::npos);
  // A step whose hypertoken expansion contradicts the codebook.
  const std::string good = session::to_json(sample(40));
  const Session s = session::from_json(good);
  std::int64_t hyper = -1;
  for (std::int64_t i = 0; i < s.steps() && hyper < 0; ++i)
    if (s.step(i).is_hyper) hyper = i;
  ASSERT_GE(hyper, 0);
  const auto v = s.step(hyper);
  std::string ids = "[";
  for (std::size_t k = 0; k < v.base_ids.size(); ++k) ids += (k ? "," : "") + std::to_string(v.base_ids[k]);
  ids += "]";
  std::string bad_ids = ids;
  bad_ids[1] = bad_ids[1] == '1' ? '2' : '1';
  const std::string key = "{\"step\":" + std::to_string(hyper) + ",";
  auto at = good.find(key);
  auto b = good.find("\"base_ids\":" + ids, at);
  ASSERT_NE(b, std::string::npos);
  std::string bad = good;
  bad.replace(b, 11 + ids.size(), "\"base_ids\":" + bad_ids);
  EXPECT_NE(error_of(bad).find("steps[" + std::to_string(hyper) + "].base_ids: differ"), std::string::npos)
      << error_of(bad);
  // Huge numbers and bad cuts.
  EXPECT_NE(error_of(replace_once(good, "\"code\":", "\"code\":1e400,\"c\":")).find("not valid JSON"),
            std::string::npos);
  EXPECT_NE(error_of(replace_once(good, "\"cuts\":[]", "\"cuts\":[999]")).find("cuts[0]"), std::string::npos);
}

TEST(SessionFile, InvalidUtf8TextIsStoredAsReplacement) {
  session::RunInfo info;
  info.compression = test::small_config();
  info.has_text = true;
  Session s(info);
  gen::StepEvent e;
  e.code = 3;
  e.base_ids = {3};
  e.text = std::string(
      "a\xff"
      "b\x01");
  s.append_step(e);
  const std::string j = session::to_json(s);
  EXPECT_NE(j.find("a\\ufffdb\\u0001"), std::string::npos);
  const Session back = session::from_json(j);
  EXPECT_EQ(back.step(0).text,
            "a\xEF\xBF\xBD"
            "b\x01");
}

TEST(SessionFile, AnyKeyOrderLoads) {
  // to_json() puts the steps after run/prompt (streamed while parsing); other orders are buffered.
  const std::string a = session::to_json(sample(20));
  const auto j = nlohmann::ordered_json::parse(a);
  nlohmann::ordered_json k;
  for (const char* key : {"steps", "finish", "prompt", "run", "version", "format"}) k[key] = j[key];
  const Session back = session::from_json(k.dump());
  EXPECT_EQ(session::to_json(back), a);
}

// A kill -9 in the middle of a save leaves the previous file intact: a child process saves two
// different large sessions over the same path in a loop and is killed at random moments; after each
// kill the file must load and be exactly one of the two (never a mix, never truncated).
TEST(SessionFile, KillDuringSaveLeavesAWholeFile) {
  const auto dir = std::filesystem::temp_directory_path() / ("z2z_kill_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "s.json";
  const Session a = sample(3000), b = sample(2000);
  const std::string ja = session::to_json(a), jb = session::to_json(b);
  session::save(a, path);
  std::mt19937 rng(5);
  int saw_a = 0, saw_b = 0;
  for (int round = 0; round < 20; ++round) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      for (int i = 0;; ++i) session::save(i % 2 ? a : b, path);  // until killed
    }
    ::usleep(static_cast<useconds_t>(2000 + rng() % 40000));
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status));
    const std::string now = session::to_json(session::load(path));  // throws if half-written
    EXPECT_TRUE(now == ja || now == jb) << "round " << round;
    saw_a += now == ja;
    saw_b += now == jb;
  }
  EXPECT_EQ(saw_a + saw_b, 20);
  // Some kills land mid-write (the rest while serializing): each leaves its temporary behind (the target is never
  // touched).
  int temporaries = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) temporaries += e.path() != path;
  EXPECT_GE(temporaries, 1) << "no kill interrupted a write: the test proved nothing";
  std::filesystem::remove_all(dir);
}

// The incremental writer (studio autosave) gives exactly to_json at every point of a growing session,
// serializing each step once; slices catch a long session up; another session starts over.
TEST(SessionFile, IncrementalSnapshotsEqualToJson) {
  const Session full = sample(60);
  Session grow(full.info(),
               [](std::int32_t id) { return id == 0 ? std::string("</s>") : std::string(1, char('a' + id)); });
  session::JsonSnapshots js;
  EXPECT_EQ(js.snapshot(grow).text(), session::to_json(grow));  // empty: no prompt, no steps
  grow.append_prompt(full.prompt()->event);
  EXPECT_EQ(js.snapshot(grow).text(), session::to_json(grow));
  std::size_t chunks = 0;
  for (std::int64_t i = 0; i < full.steps(); ++i) {
    grow.append_step(full.step_event(i));
    if (i % 7 == 3) {
      const auto snap = js.snapshot(grow);
      EXPECT_EQ(snap.steps, grow.steps());
      EXPECT_GT(snap.chunks.size(), chunks);  // only the new steps were serialized, in a new chunk
      chunks = snap.chunks.size();
      EXPECT_EQ(snap.text(), session::to_json(grow)) << i;
    }
  }
  grow.append_finish(*full.finish());
  EXPECT_EQ(js.snapshot(grow).text(), session::to_json(full));
  EXPECT_EQ(js.snapshot(grow).text(), session::to_json(grow));

  // slices: at most 8 steps per call until caught up
  session::JsonSnapshots sliced;
  int calls = 1;
  while (!sliced.serialize(full, 8)) ++calls;
  EXPECT_EQ(calls, static_cast<int>((full.steps() + 7) / 8));
  EXPECT_EQ(sliced.serialized_steps(), full.steps());
  EXPECT_EQ(sliced.snapshot(full).text(), session::to_json(full));
  // a different session starts over
  const Session other = sample(20);
  EXPECT_EQ(sliced.snapshot(other).text(), session::to_json(other));
  // and the snapshot saves atomically like save()
  const auto path = std::filesystem::temp_directory_path() / "z2z_snapshot_save.json";
  session::save(sliced.snapshot(other), path);
  EXPECT_EQ(session::to_json(session::load(path)), session::to_json(other));
  std::filesystem::remove(path);
}

// Ctrl+C during `z2z generate` stops the run and keeps every emitted token: the saved session holds
// the steps generated before the signal and finishes with reason "cancelled".
TEST(SessionFile, InterruptedGenerationKeepsEveryToken) {
  const auto dir = std::filesystem::temp_directory_path() / ("z2z_sigint_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "s.json", out = dir / "out.jsonl";
  const std::string cmd = std::string(Z2Z_BIN_DIR) + "/z2z generate --model '" + Z2Z_SOURCE_DIR +
                          "/resources/models/demo-zip2zip' --prompt 'def main():' --max-new-tokens 1000000 --jsonl "
                          "--save-session '" +
                          path.string() + "' > '" + out.string() + "' 2>/dev/null";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Wait until a few steps have streamed out, then interrupt.
  for (int i = 0; i < 600; ++i) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(out, ec);  // (uintmax_t)-1 while the file does not exist
    if (!ec && size > 4000) break;
    ::usleep(50'000);
  }
  ASSERT_EQ(::kill(child, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status) << " instead of stopping cleanly";
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const Session s = session::load(path);
  ASSERT_TRUE(s.finish());
  EXPECT_EQ(s.finish()->reason, "cancelled");
  EXPECT_GT(s.steps(), 0);
  EXPECT_LT(s.steps(), 1000000);
  // Every step event streamed before the stop is in the session.
  std::ifstream in(out);
  std::string line;
  std::int64_t streamed = 0;
  while (std::getline(in, line)) streamed += line.find("\"type\":\"step\"") != std::string::npos;
  EXPECT_EQ(streamed, s.steps());
  std::filesystem::remove_all(dir);
}
