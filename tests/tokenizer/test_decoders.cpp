// Decoders on hand-written token lists (decode_chain), and Tokenizer::decode edge cases.
#include <gtest/gtest.h>

#include "core/tokenizer/decoders/decoder.h"
#include "tokenizer/shared_tokenizers.h"

using namespace z2z;
using nlohmann::json;

namespace {

std::vector<std::string> run(const std::string& spec, std::vector<std::string> tokens) {
  const json j = json::parse(spec);
  auto d = tok::decoder_from_json(tok::JsonRef(j, "decoder"));
  d->decode_chain(tokens);
  return tokens;
}

using V = std::vector<std::string>;

TEST(Decoders, ByteLevelUndoesTheAlphabetAndRepairsUtf8) {
  EXPECT_EQ(run(R"({"type":"ByteLevel"})", {"Hello", "\xC4\xA0world", "\xC4\x8A"}), V{"Hello world\n"});
  // a lone 0xC3 byte ('Ã') is not UTF-8 on its own
  EXPECT_EQ(run(R"({"type":"ByteLevel"})", {"a", "\xC3\x83"}), V{"a\xEF\xBF\xBD"});
  // 'Ã' '©' together are U+00E9
  EXPECT_EQ(run(R"({"type":"ByteLevel"})", {"\xC3\x83", "\xC2\xA9"}), V{"\xC3\xA9"});
}

TEST(Decoders, ByteFallbackRunsOfBytes) {
  EXPECT_EQ(run(R"({"type":"ByteFallback"})", {"<0xE4>", "<0xBD>", "<0xA0>", "a"}), (V{"\xE4\xBD\xA0", "a"}));
  EXPECT_EQ(run(R"({"type":"ByteFallback"})", {"<0xE4>", "<0xBD>", "a", "<0x41>"}),
            (V{"\xEF\xBF\xBD", "\xEF\xBF\xBD", "a", "A"}));
  EXPECT_EQ(run(R"({"type":"ByteFallback"})", {"<0xZZ>", "<0x4>"}), (V{"<0xZZ>", "<0x4>"}));
}

TEST(Decoders, ReplaceFuseStrip) {
  EXPECT_EQ(run(R"({"type":"Replace","pattern":{"String":"▁"},"content":" "})", {"▁a▁b", "c"}), (V{" a b", "c"}));
  EXPECT_EQ(run(R"({"type":"Fuse"})", {"a", "b", "c"}), V{"abc"});
  EXPECT_EQ(run(R"({"type":"Strip","content":" ","start":1,"stop":0})", {"  a ", " b"}), (V{" a ", "b"}));
  EXPECT_EQ(run(R"({"type":"Strip","content":"x","start":0,"stop":2})", {"axxx"}), V{"ax"});
}

TEST(Decoders, MetaspaceDropsThePrependedSpace) {
  EXPECT_EQ(
      run(R"({"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true})", {"▁Hey", "▁friend!"}),
      (V{"Hey", " friend!"}));
  EXPECT_EQ(run(R"({"type":"Metaspace","replacement":"▁","prepend_scheme":"never","split":true})", {"▁Hey"}),
            V{" Hey"});
}

TEST(Decoders, SequenceLlama2Style) {
  EXPECT_EQ(run(R"({"type":"Sequence","decoders":[{"type":"Replace","pattern":{"String":"▁"},"content":" "},
                   {"type":"ByteFallback"},{"type":"Fuse"},{"type":"Strip","content":" ","start":1,"stop":0}]})",
                {"▁Hi", "<0x0A>", "▁you"}),
            V{"Hi\n you"});
}

TEST(Decoders, UnknownIdIsAnError) {
  const tok::Tokenizer& t = test::shared_tokenizer("llama2");
  const std::vector<std::int32_t> bad{1, 99999};
  try {
    t.decode(bad);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("99999"), std::string::npos);
  }
}

TEST(Decoders, SkipSpecialTokens) {
  const tok::Tokenizer& t = test::shared_tokenizer("llama3");
  std::vector<std::int32_t> ids = {128000};
  const auto body = t.encode_ids("Hello");
  ids.insert(ids.end(), body.begin(), body.end());
  EXPECT_EQ(t.decode(ids, true), "Hello");
  EXPECT_EQ(t.decode(ids, false), "<|begin_of_text|>Hello");
}

}  // namespace
