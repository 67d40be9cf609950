// The two session readers (core/session/session_readers.h): the fast path must load exactly what the
// general reader loads, and give up on everything else — other layouts, and every invalid or
// inconsistent file, so that errors always come from the general reader. Checked on written files,
// on re-layouts of them, and on thousands of random corruptions (a differential mini-fuzz; the libFuzzer
// target tests/fuzz/fuzz_session_json.cpp does the same).
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include <nlohmann/json.hpp>

#include "core/session/session_file.h"
#include "core/session/session_readers.h"
#include "core/util/error.h"
#include "session/session_fixtures.h"

using namespace z2z;
using session::Session;

namespace {

Session sample(std::int64_t n = 30, std::uint64_t seed = 11) {
  const auto lc = test::small_config();
  const auto r = test::record_run(seed, n, lc);
  // Texts with escapes and multi-byte UTF-8: id 0 "</s>", 1 "\"", 2 "\n", 3 "é", 4 "€", 5 "😀", ...
  return test::make_session(r, lc, [](std::int32_t id) {
    static const char* texts[] = {"</s>", "\"", "\n", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\\", "\t"};
    return std::string(texts[id % 8]);
  });
}

// What the general reader makes of `text`: to_json of the session, or "error: <message>".
std::string general(std::string_view text) {
  try {
    return session::to_json(session::detail::read_any_layout(text, "t.json"));
  } catch (const Error& e) {
    return std::string("error: ") + e.what();
  }
}

// The fast path either gives up or agrees with the general reader.
void expect_agree(std::string_view text, const std::string& what) {
  const auto fast = session::detail::read_written_layout(text);
  if (fast) {
    EXPECT_EQ(session::to_json(*fast), general(text)) << what;
  }
}

}  // namespace

TEST(SessionReaders, FastPathReadsWhatToJsonWrites) {
  for (std::uint64_t seed : {1, 2, 3}) {
    const std::string text = session::to_json(sample(40, seed));
    const auto fast = session::detail::read_written_layout(text);
    ASSERT_TRUE(fast) << "the fast path gave up on a file to_json wrote";
    EXPECT_EQ(session::to_json(*fast), text);
    EXPECT_EQ(general(text), text);
  }
  // No prompt, no steps, no finish.
  session::RunInfo info;
  info.compression = test::small_config();
  const std::string empty = session::to_json(Session(info));
  ASSERT_TRUE(session::detail::read_written_layout(empty));
  EXPECT_EQ(session::to_json(*session::detail::read_written_layout(empty)), empty);
}

TEST(SessionReaders, OtherLayoutsGoToTheGeneralReader) {
  const std::string text = session::to_json(sample());
  const auto j = nlohmann::ordered_json::parse(text);
  // Same key order, other whitespace: still the fast path.
  EXPECT_TRUE(session::detail::read_written_layout(j.dump(2)));
  expect_agree(j.dump(2), "indented");
  // Other key order, an unknown key, an escaped key, "label": null, a missing optional field.
  nlohmann::ordered_json reordered;
  for (const char* key : {"format", "version", "prompt", "run", "steps", "finish"}) reordered[key] = j[key];
  nlohmann::ordered_json extra = j, null_label = j, no_finish = j;
  extra["run"]["comment"] = "added by hand";
  null_label["steps"][0]["label"] = nullptr;
  no_finish.erase("finish");
  std::string escaped = text;
  escaped.replace(escaped.find("\"format\""), 8, "\"\\u0066ormat\"");
  for (const std::string& variant : {reordered.dump(), extra.dump(), null_label.dump(), no_finish.dump(), escaped}) {
    EXPECT_FALSE(session::detail::read_written_layout(variant)) << variant.substr(0, 200);
    EXPECT_EQ(session::to_json(session::from_json(variant)).substr(0, 40), text.substr(0, 40));
  }
}

TEST(SessionReaders, FastPathNeverAcceptsWhatTheGeneralReaderRejects) {
  const std::string good = session::to_json(sample(20));
  std::mt19937 rng(9);
  const std::string alphabet = "0123456789-+.eE\"\\{}[],: \ntrufalsn\x01\x7f\xc3\xa9\xff\xed\xa0";
  int rejected = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string bad = good;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < edits; ++k) {
      const std::size_t at = rng() % bad.size();
      switch (rng() % 3) {
        case 0:
          bad[at] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          bad.erase(at, 1 + rng() % 4);
          break;
        default:
          bad.insert(at, 1, alphabet[rng() % alphabet.size()]);
      }
    }
    const std::string g = general(bad);
    rejected += g.rfind("error: ", 0) == 0;
    expect_agree(bad, "round " + std::to_string(round));
  }
  EXPECT_GT(rejected, 1000);  // the corruptions exercised the error paths
}

TEST(SessionReaders, LoadReportsProgress) {
  const auto path = std::filesystem::temp_directory_path() / ("z2z_progress_" + std::to_string(::getpid()) + ".json");
  const Session s = sample(4000);
  session::save(s, path);
  const auto size = std::filesystem::file_size(path);
  std::vector<std::size_t> seen;
  const Session back = session::load(path, [&](std::size_t done, std::size_t total) {
    EXPECT_EQ(total, size);
    seen.push_back(done);
  });
  EXPECT_EQ(back.steps(), s.steps());
  ASSERT_GE(seen.size(), 2u) << "a " << size << "-byte file";
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(seen.back(), size);
  std::filesystem::remove(path);
}
