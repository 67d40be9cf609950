// Parity with HF tokenizers 0.23.2 on every fixture text of the six shared tokenizers: ids identical,
// and decode(ids) == text where the fixture says HF round-trips.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "tokenizer/shared_tokenizers.h"

using namespace z2z;

namespace {

class Parity : public ::testing::TestWithParam<std::string> {};

std::string first_diff(const std::vector<std::int32_t>& a, const std::vector<std::int32_t>& b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  auto window = [&](const std::vector<std::int32_t>& v) {
    std::vector<std::int32_t> w(v.begin() + static_cast<std::ptrdiff_t>(i > 3 ? i - 3 : 0),
                                v.begin() + static_cast<std::ptrdiff_t>(std::min(v.size(), i + 5)));
    return fmt::format("{}", fmt::join(w, ","));
  };
  return fmt::format("first difference at #{} (sizes {} vs {}): ours [{}] HF [{}]", i, a.size(), b.size(), window(a),
                     window(b));
}

TEST_P(Parity, AllFixturesMatchHf) {
  const std::string name = GetParam();
  const tok::Tokenizer& t = test::shared_tokenizer(name);
  const auto fixtures = test::load_fixtures(name);
  ASSERT_GT(fixtures.size(), 100u);
  std::size_t matched = 0, roundtrips = 0;
  for (std::size_t i = 0; i < fixtures.size(); ++i) {
    const auto& f = fixtures[i];
    const auto ids = t.encode_ids(f.text);
    if (ids == f.ids) {
      ++matched;
    } else {
      ADD_FAILURE() << name << " fixture #" << i << " (" << f.domain << "): " << first_diff(ids, f.ids)
                    << "\ntext: " << f.text.substr(0, 200);
    }
    if (f.roundtrip) {
      ++roundtrips;
      EXPECT_EQ(t.decode(f.ids), f.text) << name << " fixture #" << i << " decode";
    }
  }
  EXPECT_EQ(matched, fixtures.size());
  std::printf("[ parity ] %s: %zu/%zu fixtures identical, %zu round-trips checked\n", name.c_str(), matched,
              fixtures.size(), roundtrips);
}

INSTANTIATE_TEST_SUITE_P(Shared, Parity, ::testing::Values("llama3", "qwen3", "gemma3", "o200k", "deepseek3", "llama2"),
                         [](const auto& info) { return info.param; });

}  // namespace
