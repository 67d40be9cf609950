// Added tokens: raw vs normalized matching, leftmost-longest, lstrip/rstrip, single_word,
// split_special_tokens, post-processor (add_special_tokens).
#include <gtest/gtest.h>

#include "tokenizer/tiny_tokenizer.h"

using namespace z2z;
using nlohmann::json;
using test::added;
using test::bpe;
using test::tiny;

namespace {

// Lowercasing character-level model: every letter a..z, space, '<', '>' and 'X'.
json letters() {
  json v = json::object();
  int id = 0;
  for (char c = 'a'; c <= 'z'; ++c) v[std::string(1, c)] = id++;
  v[" "] = id++;  // 26
  v["<"] = id++;  // 27
  v[">"] = id++;  // 28
  v["X"] = id++;  // 29
  return v;
}

tok::Tokenizer with_added(json tokens, json normalizer = {{"type", "Lowercase"}}) {
  test::TinySpec s{bpe(letters(), json::array())};
  s.normalizer = std::move(normalizer);
  s.added_tokens = std::move(tokens);
  return tiny(s);
}

TEST(AddedTokens, NonNormalizedMatchBeforeNormalization) {
  auto t = with_added(json::array({added(100, "<X>", true, false)}));
  EXPECT_EQ(t.encode_ids("a<X>b"), (std::vector<std::int32_t>{0, 100, 1}));
  // "<x>" does not match the raw "<X>" token; the text is lowercased and spelled out
  EXPECT_EQ(t.encode_ids("<x>"), (std::vector<std::int32_t>{27, 23, 28}));
  const auto toks = t.encode("a<X>b");
  EXPECT_EQ(toks[1], (tok::Token{100, 1, 4}));
}

TEST(AddedTokens, NormalizedTokensMatchTheNormalizedText) {
  auto t = with_added(json::array({added(100, "HELLO", false, true)}));
  // the token's content is lowercased too, and "HeLLo" normalizes to it
  EXPECT_EQ(t.encode_ids("a HeLLo"), (std::vector<std::int32_t>{0, 26, 100}));
  EXPECT_EQ(t.encode("a HeLLo")[2], (tok::Token{100, 2, 7}));
}

TEST(AddedTokens, LeftmostLongest) {
  auto t =
      with_added(json::array({added(100, "<a>", true), added(101, "<a><b>", true), added(102, "a><", true)}), nullptr);
  EXPECT_EQ(t.encode_ids("<a><b>"), (std::vector<std::int32_t>{101}));
  EXPECT_EQ(t.encode_ids("<a><c>"), (std::vector<std::int32_t>{100, 27, 2, 28}));
}

TEST(AddedTokens, LstripRstripAbsorbWhitespace) {
  auto t = with_added(json::array({added(100, "<m>", true, false, true, true)}), nullptr);
  const auto toks = t.encode("a  <m>  b");
  ASSERT_EQ(toks.size(), 3u);
  EXPECT_EQ(toks[0], (tok::Token{0, 0, 1}));
  EXPECT_EQ(toks[1], (tok::Token{100, 1, 8}));
  EXPECT_EQ(toks[2], (tok::Token{1, 8, 9}));
}

TEST(AddedTokens, SingleWord) {
  auto t = with_added(json::array({added(100, "ab", false, false, false, false, true)}), nullptr);
  EXPECT_EQ(t.encode_ids("ab cab"), (std::vector<std::int32_t>{100, 26, 2, 0, 1}));
  EXPECT_EQ(t.encode_ids("ab_"), (std::vector<std::int32_t>{0, 1}));  // '_' is a word character; dropped as unknown
}

TEST(AddedTokens, SplitSpecialTokensEncodesTheirTextAsText) {
  auto t = with_added(json::array({added(100, "<X>", true, false), added(101, "zz", false, false)}));
  tok::EncodeOptions o;
  o.split_special_tokens = true;
  EXPECT_EQ(t.encode_ids("<X>zz", o), (std::vector<std::int32_t>{27, 23, 28, 101}));  // lowercased as text
  EXPECT_TRUE(t.is_special(100));
  EXPECT_FALSE(t.is_special(101));
  EXPECT_TRUE(t.is_added(101));
  EXPECT_EQ(t.vocab_size(), 102);
}

TEST(AddedTokens, TemplateProcessingAddsBos) {
  test::TinySpec s{bpe(letters(), json::array())};
  s.added_tokens = json::array({added(30, "<s>", true)});
  s.post_processor = json::parse(R"({"type":"TemplateProcessing",
      "single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],
      "pair":[],"special_tokens":{"<s>":{"id":"<s>","ids":[30],"tokens":["<s>"]}}})");
  auto t = tiny(s);
  tok::EncodeOptions o;
  o.add_special_tokens = true;
  const auto toks = t.encode("ab", o);
  ASSERT_EQ(toks.size(), 3u);
  EXPECT_EQ(toks[0], (tok::Token{30, 0, 0}));
  EXPECT_EQ(t.encode_ids("ab"), (std::vector<std::int32_t>{0, 1}));  // off by default
}

TEST(AddedTokens, RobertaProcessingWrapsClsSep) {
  test::TinySpec s{bpe(letters(), json::array())};
  s.post_processor = json::parse(R"({"type":"RobertaProcessing","sep":["</s>",31],"cls":["<s>",30]})");
  auto t = tiny(s);
  tok::EncodeOptions o;
  o.add_special_tokens = true;
  const auto toks = t.encode("ab", o);
  ASSERT_EQ(toks.size(), 4u);
  EXPECT_EQ(toks.front().id, 30);
  EXPECT_EQ(toks.back(), (tok::Token{31, 2, 2}));
}

}  // namespace
