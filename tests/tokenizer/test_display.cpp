// Display helpers: token text without the byte-level / SentencePiece alphabets, whitespace glyphs,
// UTF-8-safe segments (no U+FFFD for CJK and emoji split over byte tokens).
#include <gtest/gtest.h>

#include "core/tokenizer/display.h"
#include "core/tokenizer/unicode.h"
#include "tokenizer/shared_tokenizers.h"

using namespace z2z;

namespace {

TEST(Display, TokenTextUndoesTheAlphabets) {
  const tok::Tokenizer& l3 = test::shared_tokenizer("llama3");
  const auto the = l3.token_to_id("\xC4\xA0the");  // "Ġthe"
  ASSERT_TRUE(the);
  EXPECT_EQ(tok::token_display_text(l3, *the), " the");
  EXPECT_EQ(*l3.id_to_token(*the), "\xC4\xA0the");  // the raw form stays available
  tok::DisplayOptions vis;
  vis.visible_whitespace = true;
  EXPECT_EQ(tok::token_display_text(l3, *the, vis), "\xC2\xB7the");
  const tok::Tokenizer& g = test::shared_tokenizer("gemma3");
  const auto g_the = g.token_to_id("\xE2\x96\x81the");  // "▁the"
  ASSERT_TRUE(g_the);
  EXPECT_EQ(tok::token_display_text(g, *g_the), " the");
  const tok::Tokenizer& l2 = test::shared_tokenizer("llama2");
  EXPECT_EQ(tok::token_display_text(l2, *l2.token_to_id("<0x0A>")), "\n");
  EXPECT_EQ(tok::token_display_text(l2, *l2.token_to_id("<0xE4>")), "<0xE4>");  // not UTF-8 alone
  EXPECT_EQ(tok::token_display_text(l2, 1), "<s>");
  EXPECT_EQ(tok::token_display_text(l2, 999999), "<unk:999999>");
}

TEST(Display, VisibleWhitespace) {
  EXPECT_EQ(tok::visible_whitespace("a b\tc\n"),
            "a\xC2\xB7"
            "b\xE2\x86\x92"
            "c\xE2\x86\xB5");
  EXPECT_EQ(tok::visible_whitespace("\n", true), "\xE2\x86\xB5\n");
  EXPECT_EQ(tok::bytes_for_display("a\xE4\xBD"), "a<0xE4><0xBD>");
}

TEST(Display, SegmentsNeverCutCharacters) {
  // CJK, emoji (incl. a ZWJ sequence), rare math letters: some are split into byte tokens.
  const std::string text =
      "\xE4\xBD\xA0\xE5\xA5\xBD\xEF\xBC\x8C\xE4\xB8\x96\xE7\x95\x8C \xF0\x9F\x98\x80\xF0\x9F\x91\xA9\xE2\x80\x8D"
      "\xF0\x9F\x92\xBB \xF0\x9D\x94\x98\xF0\x9D\x94\xAB\xF0\x9D\x94\xA6 \xEA\xB0\x80\xEB\x82\x98 \xE1\x88\x80";
  const std::string fffd = "\xEF\xBF\xBD";
  bool some_merged = false;
  for (const auto& st : test::shared_tokenizers()) {
    const tok::Tokenizer& t = test::shared_tokenizer(st.name);
    const auto toks = t.encode(text);
    const auto segs = tok::display_segments(t, text, toks);
    std::string joined;
    std::size_t next_token = 0;
    for (const auto& s : segs) {
      EXPECT_EQ(s.first_token, next_token) << st.name;
      next_token = s.last_token;
      EXPECT_EQ(s.text.find(fffd), std::string::npos) << st.name;
      EXPECT_EQ(s.text.find("<0x"), std::string::npos) << st.name;
      EXPECT_EQ(tok::utf8_first_invalid(s.text), std::string::npos) << st.name;
      if (s.end > s.begin) joined += s.text;  // inserted tokens (Llama-2's prepended '▁') have no input text
      some_merged = some_merged || s.merged();
    }
    EXPECT_EQ(next_token, toks.size()) << st.name;
    EXPECT_EQ(joined, text) << st.name;
  }
  EXPECT_TRUE(some_merged);  // at least one tokenizer splits one of these characters
}

TEST(Display, SegmentsOfSpecialTokens) {
  const tok::Tokenizer& t = test::shared_tokenizer("gemma3");
  tok::EncodeOptions o;
  o.add_special_tokens = true;
  const std::string text = "<start_of_turn>user\nHi";
  const auto toks = t.encode(text, o);
  const auto segs = tok::display_segments(t, text, toks);
  ASSERT_GE(segs.size(), 3u);
  EXPECT_EQ(segs[0].text, "<bos>");
  EXPECT_EQ(segs[1].text, "<start_of_turn>");
  EXPECT_EQ(segs[1].begin, 0u);
  EXPECT_EQ(segs[1].end, 15u);
}

}  // namespace
