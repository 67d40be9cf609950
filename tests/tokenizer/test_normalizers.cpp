// Normalizers: each component on hand-written inputs, with the input span of the changed bytes.
#include <gtest/gtest.h>

#include "core/tokenizer/normalizers/normalizer.h"
#include "tokenizer/stage_helpers.h"

using namespace z2z;
using nlohmann::json;

namespace {

tok::NormalizedString run(const std::string& spec, const std::string& text) {
  const json j = json::parse(spec);
  auto n = tok::normalizer_from_json(tok::JsonRef(j, "normalizer"));
  tok::NormalizedString s(text, 0);
  n->normalize(s);
  return s;
}

TEST(Normalizers, NfcComposesAndMapsTheCharacterToItsInputs) {
  // "Cafe" + U+0301 (combining acute) + " x": 'e' + U+0301 -> U+00E9
  auto s = run(R"({"type":"NFC"})", "Cafe\xCC\x81 x");
  EXPECT_EQ(s.text(), "Caf\xC3\xA9 x");
  EXPECT_EQ(s.input_span(3, 5), std::make_pair(3u, 6u));  // é stands for "e\u0301"
  EXPECT_EQ(s.input_span(5, 7), std::make_pair(6u, 8u));  // " x" unchanged
}

TEST(Normalizers, NfcLeavesComposedTextAndAsciiAsIs) {
  auto s = run(R"({"type":"NFC"})", "d\xC3\xA9j\xC3\xA0 vu, \xE4\xBD\xA0\xE5\xA5\xBD");
  EXPECT_EQ(s.text(), "d\xC3\xA9j\xC3\xA0 vu, \xE4\xBD\xA0\xE5\xA5\xBD");
  EXPECT_TRUE(s.identity());
}

TEST(Normalizers, NfdNfkcNfkd) {
  EXPECT_EQ(run(R"({"type":"NFD"})", "\xC3\xA9").text(), "e\xCC\x81");
  EXPECT_EQ(run(R"({"type":"NFKC"})", "\xEF\xAC\x81n").text(), "fin");  // U+FB01 ﬁ ligature
  EXPECT_EQ(run(R"({"type":"NFKD"})", "\xC2\xB9").text(), "1");         // superscript one
}

TEST(Normalizers, NfcHangulJamoCompose) {
  // U+1100 (ᄀ) + U+1161 (ᅡ) -> U+AC00 (가)
  EXPECT_EQ(run(R"({"type":"NFC"})", "\xE1\x84\x80\xE1\x85\xA1").text(), "\xEA\xB0\x80");
}

TEST(Normalizers, ReplaceStringKeepsSpans) {
  auto s = run(R"({"type":"Replace","pattern":{"String":" "},"content":"▁"})", "a b");
  EXPECT_EQ(s.text(),
            "a\xE2\x96\x81"
            "b");
  EXPECT_EQ(s.input_span(1, 4), std::make_pair(1u, 2u));
  EXPECT_EQ(s.input_span(0, 5), std::make_pair(0u, 3u));
}

TEST(Normalizers, ReplaceRegex) {
  auto s = run(R"({"type":"Replace","pattern":{"Regex":"\\s+"},"content":"_"})", "a \t b");
  EXPECT_EQ(s.text(), "a_b");
  EXPECT_EQ(s.input_span(1, 2), std::make_pair(1u, 4u));
}

TEST(Normalizers, PrependOnlyNonEmptyText) {
  auto s = run(R"({"type":"Prepend","prepend":"▁"})", "ab");
  EXPECT_EQ(s.text(),
            "\xE2\x96\x81"
            "ab");
  EXPECT_EQ(s.input_span(0, 3), std::make_pair(0u, 0u));  // inserted: empty span
  EXPECT_EQ(s.input_span(0, 5), std::make_pair(0u, 2u));
  EXPECT_EQ(run(R"({"type":"Prepend","prepend":"▁"})", "").text(), "");
}

TEST(Normalizers, LowercaseIncludingDottedCapitalI) {
  auto s = run(R"({"type":"Lowercase"})", "ABC \xC3\x89t\xC3\xA9 \xC4\xB0");
  EXPECT_EQ(s.text(), "abc \xC3\xA9t\xC3\xA9 i\xCC\x87");
}

TEST(Normalizers, StripBothSides) {
  auto s = run(R"({"type":"Strip","strip_left":true,"strip_right":true})", " \t ab c \n");
  EXPECT_EQ(s.text(), "ab c");
  EXPECT_EQ(s.input_span(0, 4), std::make_pair(3u, 7u));
  EXPECT_EQ(run(R"({"type":"Strip","strip_left":false,"strip_right":true})", "  a  ").text(), "  a");
}

TEST(Normalizers, SequenceLlama2Style) {
  auto s = run(R"({"type":"Sequence","normalizers":[{"type":"Prepend","prepend":"▁"},
                   {"type":"Replace","pattern":{"String":" "},"content":"▁"}]})",
               "Hi you");
  EXPECT_EQ(s.text(), "\xE2\x96\x81Hi\xE2\x96\x81you");
  EXPECT_EQ(s.input_span(3, 5), std::make_pair(0u, 2u));   // "Hi"
  EXPECT_EQ(s.input_span(5, 11), std::make_pair(2u, 6u));  // "▁you" <- " you"
}

TEST(Normalizers, UnsupportedTypeNamesThePath) {
  const json j = json::parse(R"({"type":"Sequence","normalizers":[{"type":"NFC"},{"type":"Foo"}]})");
  try {
    tok::normalizer_from_json(tok::JsonRef(j, "normalizer"));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("normalizer.normalizers[1].type: unsupported \"Foo\""), std::string::npos)
        << e.what();
  }
}

}  // namespace
