// Inputs the fuzzers found (tests/fuzz/regressions/<target>/), replayed with the exact outcome we now
// give them. docs/reliability.md lists each finding.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "support/files.h"
#include "tokenizer/load_error.h"

using namespace z2z;

namespace {

using test::load_error;

const std::string kModel = R"("type":"BPE","merges":[])";

}  // namespace

// fuzz_tokenizer_json, session 3: a 2 KB tokenizer.json whose vocab has one id of 298 333 333. The BPE
// model's per-id table was sized by the largest id (8 bytes each: 2.4 GB), so loading took seconds
// and gigabytes (a libFuzzer timeout under ASan). Ids above 2^24 - 1 are now an error naming the key.
TEST(FuzzRegressions, HugeSparseTokenIdIsAnErrorNotGigabytes) {
  const auto file =
      std::filesystem::path(Z2Z_SOURCE_DIR) / "tests/fuzz/regressions/tokenizer_json/huge-sparse-token-id.json";
  const std::string found = test::read_bytes(file);
  ASSERT_FALSE(found.empty()) << file;
  EXPECT_EQ(load_error(found), "t.json: model.vocab[\"4ĉ\"]: id 298333333 out of range (ids are 0..16777215)");

  // at the limit
  EXPECT_EQ(load_error(R"({"model":{)" + kModel + R"(,"vocab":{"a":0,"b":16777216}}})"),
            "t.json: model.vocab[\"b\"]: id 16777216 out of range (ids are 0..16777215)");
  EXPECT_EQ(load_error(R"({"model":{)" + kModel + R"(,"vocab":{"a":0,"b":16777215}}})"), "no error");
  // added tokens index the same id space
  EXPECT_EQ(load_error(R"({"added_tokens":[{"id":300000000,"content":"<x>","special":true}],"model":{)" + kModel +
                       R"(,"vocab":{"a":0}}})"),
            "t.json: added_tokens[0].id: out of range: 300000000 (ids are 0..16777215)");
}
