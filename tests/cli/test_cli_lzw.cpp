// CLI contract of `z2z lzw`: JSON shapes, plain output, trace, and error exit codes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run.h"

using z2z::test::run;
using z2z::test::z2z_bin;

namespace {
const std::string kTv1 = " --initial-vocab-size 27 --max-codebook-size 100 --max-subtokens 5 --disabled-ids 0,26";
}

TEST(CliLzw, EncodeJsonExactContract) {
  auto r = run(z2z_bin() + " lzw encode" + kTv1 + " --json --ids '1 2 3 4 5 1 2 3 4 5 1 2 3 4 5'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"codes\":[1,2,3,4,5,27,29,31,28,30],\"codebook\":{\"27\":[1,2],\"28\":[2,3],\"29\":[3,4],\"30\":[4,5],"
            "\"31\":[5,1],\"32\":[1,2,3],\"33\":[3,4,5],\"34\":[5,1,2],\"35\":[2,3,4]}}\n");
}

TEST(CliLzw, EncodeFromStdinPlain) {
  auto r = run(z2z_bin() + " lzw encode" + kTv1, "1 2 3 4 5\n1 2 3 4 5\n1 2 3 4 5\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1 2 3 4 5 27 29 31 28 30\n");
}

TEST(CliLzw, DecodeJsonRebuildsCodebook) {
  auto r = run(z2z_bin() + " lzw decode --initial-vocab-size 10 --max-codebook-size 20 --max-subtokens 4 --json --ids '1 2 15 3'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["ids"], nlohmann::json::parse("[1,2,2,2,3]"));
  EXPECT_EQ(j["codebook"], nlohmann::json::parse(R"({"10":[1,2],"12":[2,2,3],"15":[2,2]})"));
  // keys in numeric order in the text itself
  EXPECT_LT(r.out.find("\"12\""), r.out.find("\"15\""));
}

TEST(CliLzw, RoundTripThroughTheCli) {
  auto e = run(z2z_bin() + " lzw encode --initial-vocab-size 6 --max-codebook-size unlimited --max-subtokens 4 --pad-token-id 99",
               "0 1 2 3 4 5 0 1 2 3 4 5 0 1 2 0 1 2 0 1 2");
  ASSERT_EQ(e.exit_code, 0) << e.err;
  auto d = run(z2z_bin() + " lzw decode --initial-vocab-size 6 --max-codebook-size unlimited --max-subtokens 4 --pad-token-id 99",
               e.out);
  ASSERT_EQ(d.exit_code, 0) << d.err;
  EXPECT_EQ(d.out, "0 1 2 3 4 5 0 1 2 3 4 5 0 1 2 0 1 2 0 1 2\n");
}

TEST(CliLzw, TraceTableAndJsonLines) {
  auto r = run(z2z_bin() + " lzw trace" + kTv1 + " --ids '1 2 1 2 1 2'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("buffer"), std::string::npos);
  EXPECT_NE(r.out.find("27=[1 2]"), std::string::npos) << r.out;
  auto j = run(z2z_bin() + " lzw trace" + kTv1 + " --json --ids '1 2 1 2 1 2'");
  ASSERT_EQ(j.exit_code, 0) << j.err;
  std::istringstream lines(j.out);
  std::string line;
  int rows = 0;
  nlohmann::json last;
  while (std::getline(lines, line)) {
    last = nlohmann::json::parse(line);
    if (last.contains("pos")) ++rows;
  }
  EXPECT_EQ(rows, 6);  // one row per consumed id
  EXPECT_EQ(last["codes"], nlohmann::json::parse("[1,2,27,27]"));
  // row 1: buffer [1], read 2, unknown, emits 1, adds 27=[1,2]
  std::istringstream again(j.out);
  std::getline(again, line);
  std::getline(again, line);
  auto row1 = nlohmann::json::parse(line);
  EXPECT_EQ(row1["buffer"], nlohmann::json::parse("[1]"));
  EXPECT_EQ(row1["read"], 2);
  EXPECT_EQ(row1["known"], false);
  EXPECT_EQ(row1["emitted"], nlohmann::json::parse("[1]"));
  EXPECT_EQ(row1["added"]["id"], 27);
}

TEST(CliLzw, TextModeDemo) {
  auto r = run(z2z_bin() + " lzw encode --text 'abababab' --max-codebook-size 10 --max-subtokens 4");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("256=\"ab\""), std::string::npos) << r.out;
}

struct BadCase {
  const char* args;
  const char* stdin_text;
  const char* expect_in_stderr;
};

TEST(CliLzw, BadInputExitsTwoWithOneLine) {
  const BadCase cases[] = {
      {" lzw encode --initial-vocab-size 10 --max-codebook-size 5 --max-subtokens 4 --ids '1 x 2'", "", "'x' is not an integer"},
      {" lzw encode --initial-vocab-size 10 --max-codebook-size 5 --max-subtokens 4 --ids '1 -2'", "", "negative"},
      {" lzw encode --initial-vocab-size 10 --max-codebook-size 5 --max-subtokens 4 --ids '1 99999999999'", "", "out of range"},
      {" lzw encode --initial-vocab-size 10 --max-codebook-size 5 --max-subtokens 4 --ids '1 12'", "", "id 12 at position 1"},
      {" lzw decode --initial-vocab-size 10 --max-codebook-size 5 --max-subtokens 4 --ids '1 15'", "", "past the hypertoken range"},
      {" lzw decode --initial-vocab-size 10 --max-codebook-size 5 --max-subtokens 4 --ids '12'", "", "no context"},
      {" lzw encode --initial-vocab-size 10 --max-codebook-size 5 --max-subtokens 0", "1", "--max-subtokens"},
      {" lzw encode --initial-vocab-size 10 --max-subtokens 4", "1", "--max-codebook-size is required"},
      {" lzw encode --initial-vocab-size 10 --max-codebook-size 5 --max-subtokens 4 --bogus", "1", "unknown option '--bogus'"},
      {" lzw frobnicate --initial-vocab-size 10 --max-codebook-size 5 --max-subtokens 4", "1", "expected exactly one action"},
      {" lzw encode --initial-vocab-size ten --max-codebook-size 5 --max-subtokens 4", "1", "expected an integer, got 'ten'"},
      {" nosuchcommand", "", "unknown command"},
  };
  for (const auto& c : cases) {
    auto r = run(z2z_bin() + c.args, c.stdin_text);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.expect_in_stderr), std::string::npos) << c.args << "\nstderr: " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST(CliLzw, HelpDescribesEveryFlag) {
  auto r = run(z2z_bin() + " lzw --help");
  ASSERT_EQ(r.exit_code, 0);
  for (const char* flag : {"--initial-vocab-size", "--max-codebook-size", "--max-subtokens", "--pad-token-id",
                           "--disabled-ids", "--ids", "--json", "--text"})
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  auto top = run(z2z_bin() + " --help");
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.out.find("lzw"), std::string::npos);
}
