// Pre-tokenizers: split behaviours, invert, regex features, ByteLevel, Metaspace, Digits, Whitespace.
#include <gtest/gtest.h>

#include "core/tokenizer/pre_tokenizers/pre_tokenizer.h"
#include "tokenizer/stage_helpers.h"

using namespace z2z;
using nlohmann::json;
using test::Piece;

namespace {

std::vector<Piece> run(const std::string& spec, const std::string& text) {
  const json j = json::parse(spec);
  auto p = tok::pre_tokenizer_from_json(tok::JsonRef(j, "pre_tokenizer"));
  auto splits = test::one_split(text);
  p->pre_tokenize(splits);
  return test::pieces_of(splits);
}

std::string split_spec(const std::string& behavior, bool invert = false, const std::string& regex = "\\\\d+") {
  return R"({"type":"Split","pattern":{"Regex":")" + regex + R"("},"behavior":")" + behavior + R"(","invert":)" +
         (invert ? "true" : "false") + "}";
}

TEST(PreTokenizers, SplitBehaviors) {
  const std::string t = "ab12cd3";
  EXPECT_EQ(run(split_spec("Isolated"), t),
            (std::vector<Piece>{{"ab", 0, 2}, {"12", 2, 4}, {"cd", 4, 6}, {"3", 6, 7}}));
  EXPECT_EQ(run(split_spec("Removed"), t), (std::vector<Piece>{{"ab", 0, 2}, {"cd", 4, 6}}));
  EXPECT_EQ(run(split_spec("MergedWithPrevious"), t), (std::vector<Piece>{{"ab12", 0, 4}, {"cd3", 4, 7}}));
  EXPECT_EQ(run(split_spec("MergedWithNext"), t), (std::vector<Piece>{{"ab", 0, 2}, {"12cd", 2, 6}, {"3", 6, 7}}));
  EXPECT_EQ(run(split_spec("Removed", true), t), (std::vector<Piece>{{"12", 2, 4}, {"3", 6, 7}}));
}

TEST(PreTokenizers, SplitContiguousMergesAdjacentMatches) {
  const std::string spec = R"({"type":"Split","pattern":{"String":"-"},"behavior":"Contiguous","invert":false})";
  EXPECT_EQ(run(spec, "a--b-c"),
            (std::vector<Piece>{{"a", 0, 1}, {"--", 1, 3}, {"b", 3, 4}, {"-", 4, 5}, {"c", 5, 6}}));
  const std::string iso = R"({"type":"Split","pattern":{"String":"-"},"behavior":"Isolated","invert":false})";
  EXPECT_EQ(run(iso, "a--b"), (std::vector<Piece>{{"a", 0, 1}, {"-", 1, 2}, {"-", 2, 3}, {"b", 3, 4}}));
}

TEST(PreTokenizers, SplitMergedWithPreviousLeadingMatch) {
  const std::string spec =
      R"({"type":"Split","pattern":{"String":" "},"behavior":"MergedWithPrevious","invert":false})";
  EXPECT_EQ(run(spec, " a b"), (std::vector<Piece>{{" ", 0, 1}, {"a ", 1, 3}, {"b", 3, 4}}));
}

TEST(PreTokenizers, Llama3RegexCaseInsensitiveContractionAndLookahead) {
  const std::string re =
      R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+)";
  EXPECT_EQ(
      run(split_spec("Isolated", false, re), "I'M  here\n12345"),
      (std::vector<Piece>{
          {"I", 0, 1}, {"'M", 1, 3}, {" ", 3, 4}, {" here", 4, 9}, {"\n", 9, 10}, {"123", 10, 13}, {"45", 13, 15}}));
}

TEST(PreTokenizers, SplitRegexWithLiteralCjkRange) {
  // DeepSeek-V3's second split: runs of CJK / kana isolated
  const std::string spec =
      R"({"type":"Split","pattern":{"Regex":"[一-龥぀-ゟ゠-ヿ]+"},"behavior":"Isolated","invert":false})";
  EXPECT_EQ(run(spec, "ab日本語のcd"), (std::vector<Piece>{{"ab", 0, 2}, {"日本語の", 2, 14}, {"cd", 14, 16}}));
}

TEST(PreTokenizers, ByteLevelWithRegexAndAlphabet) {
  EXPECT_EQ(run(R"({"type":"ByteLevel","add_prefix_space":false,"use_regex":true})", "Hello world\n"),
            (std::vector<Piece>{{"Hello", 0, 5}, {"\xC4\xA0world", 5, 11}, {"\xC4\x8A", 11, 12}}));
  // add_prefix_space: the inserted space spans nothing
  EXPECT_EQ(run(R"({"type":"ByteLevel","add_prefix_space":true,"use_regex":false})", "Hi you"),
            (std::vector<Piece>{{"\xC4\xA0Hi\xC4\xA0you", 0, 6}}));
  // each byte of a multi-byte character gets its own alphabet character and its own input byte
  auto p = run(R"({"type":"ByteLevel","add_prefix_space":false,"use_regex":false})", "\xC3\xA9");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].text, "\xC3\x83\xC2\xA9");  // 'Ã' '©'
}

TEST(PreTokenizers, MetaspaceAsInHf) {
  const std::string spec = R"({"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true})";
  EXPECT_EQ(run(spec, "Hey friend!"), (std::vector<Piece>{{"▁Hey", 0, 3}, {"▁friend!", 3, 11}}));
  EXPECT_EQ(run(spec, "Hey   friend!"),
            (std::vector<Piece>{{"▁Hey", 0, 3}, {"▁", 3, 4}, {"▁", 4, 5}, {"▁friend!", 5, 13}}));
  const std::string nosplit = R"({"type":"Metaspace","replacement":"▁","prepend_scheme":"never","split":false})";
  EXPECT_EQ(run(nosplit, "a b"), (std::vector<Piece>{{"a▁b", 0, 3}}));
}

TEST(PreTokenizers, MetaspacePrependFirstOnlyAtTheStartOfTheInput) {
  // two splits, as after an added token: "Hey" at input offset 0, "you" at offset 9
  auto splits_of = [](const std::string& scheme) {
    const json j =
        json::parse(R"({"type":"Metaspace","replacement":"▁","split":true,"prepend_scheme":")" + scheme + "\"}");
    auto p = tok::pre_tokenizer_from_json(tok::JsonRef(j, "pre_tokenizer"));
    std::vector<tok::Split> v(2);
    v[0].text = tok::NormalizedString("Hey", 0);
    v[1].text = tok::NormalizedString("you", 9);
    p->pre_tokenize(v);
    return test::pieces_of(v);
  };
  EXPECT_EQ(splits_of("first"), (std::vector<Piece>{{"▁Hey", 0, 3}, {"you", 9, 12}}));
  EXPECT_EQ(splits_of("always"), (std::vector<Piece>{{"▁Hey", 0, 3}, {"▁you", 9, 12}}));
  EXPECT_EQ(splits_of("never"), (std::vector<Piece>{{"Hey", 0, 3}, {"you", 9, 12}}));
}

TEST(PreTokenizers, DigitsIndividualAndContiguous) {
  EXPECT_EQ(run(R"({"type":"Digits","individual_digits":true})", "a12b"),
            (std::vector<Piece>{{"a", 0, 1}, {"1", 1, 2}, {"2", 2, 3}, {"b", 3, 4}}));
  EXPECT_EQ(run(R"({"type":"Digits","individual_digits":false})", "a12b3"),
            (std::vector<Piece>{{"a", 0, 1}, {"12", 1, 3}, {"b", 3, 4}, {"3", 4, 5}}));
}

TEST(PreTokenizers, WhitespaceAndWhitespaceSplit) {
  EXPECT_EQ(run(R"({"type":"Whitespace"})", "Hey man!! ok"),
            (std::vector<Piece>{{"Hey", 0, 3}, {"man", 4, 7}, {"!!", 7, 9}, {"ok", 10, 12}}));
  EXPECT_EQ(run(R"({"type":"WhitespaceSplit"})", "Hey man!!\tok"),
            (std::vector<Piece>{{"Hey", 0, 3}, {"man!!", 4, 9}, {"ok", 10, 12}}));
}

TEST(PreTokenizers, SequenceAppliesInOrder) {
  const std::string spec = R"({"type":"Sequence","pretokenizers":[{"type":"WhitespaceSplit"},
                               {"type":"Digits","individual_digits":true}]})";
  EXPECT_EQ(run(spec, "ab12 c"), (std::vector<Piece>{{"ab", 0, 2}, {"1", 2, 3}, {"2", 3, 4}, {"c", 5, 6}}));
}

TEST(PreTokenizers, UnsupportedTypeAndBadRegexNameThePath) {
  auto message = [](const std::string& spec) {
    const json j = json::parse(spec);
    try {
      tok::pre_tokenizer_from_json(tok::JsonRef(j, "pre_tokenizer"));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message(R"({"type":"Sequence","pretokenizers":[{"type":"Whitespace"},{"type":"Foo"}]})")
                .find("pre_tokenizer.pretokenizers[1].type: unsupported \"Foo\""),
            std::string::npos);
  const std::string bad = message(R"({"type":"Split","pattern":{"Regex":"(ab"},"behavior":"Isolated"})");
  EXPECT_NE(bad.find("pre_tokenizer.pattern.Regex: bad regex"), std::string::npos) << bad;
  EXPECT_NE(
      message(R"({"type":"Split","pattern":{"String":"a"},"behavior":"Sideways"})").find("pre_tokenizer.behavior"),
      std::string::npos);
}

}  // namespace
