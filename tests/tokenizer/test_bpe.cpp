// BPE model on hand-written vocabularies: merge order, leftmost ties, long words (heap path),
// byte_fallback, unk/fuse_unk, ignore_merges, prefixes/suffixes, spans, thread safety.
#include <gtest/gtest.h>

#include <thread>

#include "tokenizer/shared_tokenizers.h"
#include "tokenizer/tiny_tokenizer.h"

using namespace z2z;
using nlohmann::json;
using test::bpe;
using test::tiny;

namespace {

std::vector<std::int32_t> ids(const tok::Tokenizer& t, const std::string& s) { return t.encode_ids(s); }

const json kVocab = {{"a", 0}, {"b", 1}, {"c", 2}, {"ab", 3}, {"bc", 4}, {"abc", 5}, {"aa", 6}, {"abab", 7}};

TEST(Bpe, LowestRankMergesFirst) {
  // (b c) has rank 0, (a b) rank 1: "abc" -> a + bc, never ab + c
  auto t = tiny({bpe(kVocab, json::array({"b c", "a b"}))});
  EXPECT_EQ(ids(t, "abc"), (std::vector<std::int32_t>{0, 4}));
  auto u = tiny({bpe(kVocab, json::array({"a b", "b c", "ab c"}))});
  EXPECT_EQ(ids(u, "abc"), (std::vector<std::int32_t>{5}));
  EXPECT_EQ(ids(u, "abcab"), (std::vector<std::int32_t>{5, 3}));
}

TEST(Bpe, EqualRanksMergeLeftmostFirst) {
  auto t = tiny({bpe(kVocab, json::array({"a a"}))});
  EXPECT_EQ(ids(t, "aaa"), (std::vector<std::int32_t>{6, 0}));
  EXPECT_EQ(ids(t, "aaaaa"), (std::vector<std::int32_t>{6, 6, 0}));
}

TEST(Bpe, LongWordsUseTheHeapWithTheSameResult) {
  // merges in list form too
  auto t = tiny({bpe(kVocab, json::array({json::array({"a", "b"}), json::array({"ab", "ab"})}))});
  std::string small, large;
  for (int i = 0; i < 5; ++i) small += "ab";   // 10 symbols: linear scan
  for (int i = 0; i < 41; ++i) large += "ab";  // 82 symbols: heap
  EXPECT_EQ(ids(t, small), (std::vector<std::int32_t>{7, 7, 3}));
  std::vector<std::int32_t> want(20, 7);
  want.push_back(3);
  EXPECT_EQ(ids(t, large), want);
  auto u = tiny({bpe(kVocab, json::array({"a a"}))});
  std::vector<std::int32_t> aas(50, 6);
  aas.push_back(0);
  EXPECT_EQ(ids(u, std::string(101, 'a')), aas);
}

TEST(Bpe, ByteFallbackSpellsUnknownCharactersAsBytes) {
  json vocab = {{"<unk>", 0}, {"<0xC3>", 1}, {"<0xA9>", 2}, {"a", 3}};
  auto t = tiny({bpe(vocab, json::array(), {{"byte_fallback", true}, {"unk_token", "<unk>"}, {"fuse_unk", true}})});
  EXPECT_EQ(ids(t,
                "a\xC3\xA9"
                "a"),
            (std::vector<std::int32_t>{3, 1, 2, 3}));
  // a character whose bytes are not all in the vocab falls back to <unk>
  EXPECT_EQ(ids(t,
                "a\xC3\xB6"
                "a"),
            (std::vector<std::int32_t>{3, 0, 3}));
  const auto toks = t.encode("a\xC3\xA9");
  ASSERT_EQ(toks.size(), 3u);
  EXPECT_EQ(toks[1], (tok::Token{1, 1, 2}));
  EXPECT_EQ(toks[2], (tok::Token{2, 2, 3}));
}

TEST(Bpe, UnknownCharactersFuseOrNot) {
  json vocab = {{"<unk>", 0}, {"x", 1}};
  auto fused = tiny({bpe(vocab, json::array(), {{"unk_token", "<unk>"}, {"fuse_unk", true}})});
  auto split = tiny({bpe(vocab, json::array(), {{"unk_token", "<unk>"}, {"fuse_unk", false}})});
  EXPECT_EQ(ids(fused, "x\xC3\xA9\xC3\xA9x"), (std::vector<std::int32_t>{1, 0, 1}));
  EXPECT_EQ(ids(split, "x\xC3\xA9\xC3\xA9x"), (std::vector<std::int32_t>{1, 0, 0, 1}));
  EXPECT_EQ(fused.encode("x\xC3\xA9\xC3\xA9x")[1], (tok::Token{0, 1, 5}));
  // no unk token: unknown characters are dropped (as in HF)
  auto none = tiny({bpe(vocab, json::array())});
  EXPECT_EQ(ids(none, "x\xC3\xA9x"), (std::vector<std::int32_t>{1, 1}));
}

TEST(Bpe, IgnoreMergesTakesWholeWordsFromTheVocab) {
  // "abc" is in the vocab but the merges would give a + bc
  auto with = tiny({bpe(kVocab, json::array({"b c"}), {{"ignore_merges", true}})});
  auto without = tiny({bpe(kVocab, json::array({"b c"}), {{"ignore_merges", false}})});
  EXPECT_EQ(ids(with, "abc"), (std::vector<std::int32_t>{5}));
  EXPECT_EQ(ids(without, "abc"), (std::vector<std::int32_t>{0, 4}));
}

TEST(Bpe, ContinuingSubwordPrefixAndEndOfWordSuffix) {
  auto p =
      tiny({bpe({{"a", 0}, {"##b", 1}, {"ab", 2}}, json::array({"a ##b"}), {{"continuing_subword_prefix", "##"}})});
  EXPECT_EQ(ids(p, "ab"), (std::vector<std::int32_t>{2}));
  auto s =
      tiny({bpe({{"a", 0}, {"b</w>", 1}, {"ab</w>", 2}}, json::array({"a b</w>"}), {{"end_of_word_suffix", "</w>"}})});
  EXPECT_EQ(ids(s, "ab"), (std::vector<std::int32_t>{2}));
}

TEST(Bpe, ByteLevelPreTokensWorkWithoutTheFullAlphabet) {
  // Only some byte-level characters exist: the model spells the bytes and looks them up.
  json vocab = {{"h", 0}, {"i", 1}, {"hi", 2}, {"\xC4\xA0", 3}, {"\xC4\xA0hi", 4}};
  auto t = tiny({bpe(vocab, json::array({"h i", "\xC4\xA0 hi"})),
                 nullptr,
                 {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", true}}});
  EXPECT_EQ(ids(t, "hi hi"), (std::vector<std::int32_t>{2, 4}));
  EXPECT_EQ(t.encode("hi hi")[1], (tok::Token{4, 2, 5}));
}

TEST(Bpe, LongSentencePieceWordsAreCutOnlyWhereNoTokenCrosses) {
  // "a▁" and "a▁b" are tokens, so the point before a '▁' that follows 'a' must never be cut; the point
  // before a '▁' that follows 'b' can be. 120 symbols: the long-word path.
  const std::string m = "\xE2\x96\x81";
  json vocab = {{"a", 0}, {"b", 1}, {m, 2}, {"a" + m, 3}, {"a" + m + "b", 4}, {m + m, 5}};
  test::TinySpec s{bpe(vocab, json::array({"a " + m, "a" + m + " b", m + " " + m}))};
  s.normalizer = {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", m}};
  auto t = tiny(s);
  std::string text;
  std::vector<std::int32_t> want;
  for (int i = 0; i < 30; ++i) {
    text += i % 2 ? "a b  " : "a b ";
    want.push_back(4);
    want.push_back(i % 2 ? 5 : 2);
  }
  EXPECT_EQ(t.encode_ids(text), want);
}

TEST(Bpe, MergeErrorsNameTheJsonPath) {
  try {
    tiny({bpe(kVocab, json::array({"a b", "a z"}))});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("model.merges[1]: \"z\" is not in the vocab"), std::string::npos) << e.what();
  }
  try {
    tiny({bpe(kVocab, json::array({"a c"}))});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("\"ac\" (the merged token) is not in the vocab"), std::string::npos)
        << e.what();
  }
}

TEST(Bpe, SharedTokenizerIsThreadSafe) {
  const tok::Tokenizer& t = test::shared_tokenizer("qwen3");
  const auto fixtures = test::load_fixtures("qwen3");
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      for (std::size_t i = static_cast<std::size_t>(k); i < fixtures.size(); i += 2)
        if (t.encode_ids(fixtures[i].text) != fixtures[i].ids) ++mismatches;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
