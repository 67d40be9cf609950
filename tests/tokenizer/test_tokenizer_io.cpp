// Loading errors (JSON paths), the invalid-UTF-8 policy, spans on real tokenizers, speed of long
// single-line inputs (Gemma-3 and Llama-2 hand a whole line to BPE) and load time.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "tokenizer/load_error.h"
#include "tokenizer/shared_tokenizers.h"
#include "tokenizer/tiny_tokenizer.h"

using namespace z2z;
using nlohmann::json;

namespace {

using test::load_error;

TEST(TokenizerIo, ErrorsNameFileAndJsonPath) {
  const std::string model = R"("model":{"type":"BPE","vocab":{"a":0},"merges":[]})";
  EXPECT_EQ(load_error("{" + model +
                       R"(,"pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Digits"},{"type":"Foo"}]}})"),
            "t.json: pre_tokenizer.pretokenizers[1].type: unsupported \"Foo\" (supported pre-tokenizers: Sequence, "
            "Split, ByteLevel, Metaspace, Digits, Whitespace, WhitespaceSplit)");
  EXPECT_NE(load_error("{" + model + R"(,"decoder":{"type":"CTC"}})").find("t.json: decoder.type: unsupported \"CTC\""),
            std::string::npos);
  EXPECT_NE(load_error(R"({"model":{"type":"Unigram","vocab":[]}})").find("model.type: unsupported \"Unigram\""),
            std::string::npos);
  EXPECT_NE(load_error(R"({"normalizer":null})").find("model: missing"), std::string::npos);
  EXPECT_NE(load_error(R"({"model":{"type":"BPE","vocab":{"a":"x"},"merges":[]}})").find("model.vocab"),
            std::string::npos);
  EXPECT_NE(load_error(R"({"model":{"type":"BPE","vocab":{"a":0},"merges":["a"]}})").find("model.merges[0]"),
            std::string::npos);
  EXPECT_NE(load_error(R"({"model":{"type":"BPE","vocab":{"a":0},"dropout":0.1,"merges":[]}})").find("model.dropout"),
            std::string::npos);
  EXPECT_NE(load_error(R"({"model": )").find("t.json: invalid JSON"), std::string::npos);
  EXPECT_NE(load_error("{" + model + R"(,"added_tokens":[{"id":5}]})").find("added_tokens[0].content: missing"),
            std::string::npos);
  try {
    tok::Tokenizer::from_file("/nonexistent/tokenizer.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/tokenizer.json: cannot open"), std::string::npos);
  }
}

TEST(TokenizerIo, InvalidUtf8IsReplacedOrRejected) {
  const tok::Tokenizer& t = test::shared_tokenizer("llama3");
  const std::string bad =
      "ab\xFF"
      "cd\xE4\xBD";  // a stray byte and a truncated 3-byte character
  const std::string repaired =
      "ab\xEF\xBF\xBD"
      "cd\xEF\xBF\xBD";
  EXPECT_EQ(t.encode_ids(bad), t.encode_ids(repaired));
  const auto toks = t.encode(bad);
  ASSERT_FALSE(toks.empty());
  EXPECT_EQ(toks.front().begin, 0u);
  EXPECT_EQ(toks.back().end, bad.size());  // spans index the caller's bytes, not the repaired text
  for (std::size_t i = 1; i < toks.size(); ++i) EXPECT_LE(toks[i - 1].end, toks[i].begin + 0u);
  tok::EncodeOptions reject;
  reject.invalid_utf8 = tok::InvalidUtf8::Reject;
  try {
    t.encode(bad, reject);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("byte 2"), std::string::npos) << e.what();
  }
}

TEST(TokenizerIo, SpansCoverTheInputOnEveryTokenizer) {
  const std::string text = "Hello, world!  \n\tzip2zip \xE4\xBD\xA0\xE5\xA5\xBD\xF0\x9F\x98\x80 caf\xC3\xA9 12345";
  for (const auto& st : test::shared_tokenizers()) {
    const tok::Tokenizer& t = test::shared_tokenizer(st.name);
    const auto toks = t.encode(text);
    std::uint32_t covered = 0;
    for (const auto& k : toks) {
      EXPECT_LE(k.begin, k.end) << st.name;
      EXPECT_LE(k.end, text.size()) << st.name;
      EXPECT_GE(k.begin + 1, covered + (k.begin == k.end ? 1u : 0u)) << st.name;  // in order
      covered = std::max(covered, k.end);
    }
    EXPECT_EQ(covered, text.size()) << st.name;
    // byte-level models: concatenating token bytes gives back the text
    if (t.alphabet() == tok::TokenAlphabet::ByteLevel) {
      std::string joined;
      for (const auto& k : toks) joined += t.token_bytes(k.id);
      EXPECT_EQ(joined, text) << st.name;
    }
  }
}

TEST(TokenizerIo, LongSingleLineIsFast) {
  // 64 KB of prose on one line: Gemma-3 and Llama-2 give BPE one pre-token for all of it.
  std::ifstream in(test::shared_path("data/corpora/kb512/web.txt"));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string line = ss.str();
  for (char& c : line)
    if (c == '\n' || c == '\f') c = ' ';
  line.resize(std::min<std::size_t>(line.size(), 64 * 1024));
  ASSERT_EQ(line.size(), 64u * 1024);
  for (const char* name : {"gemma3", "llama2", "llama3"}) {
    const tok::Tokenizer& t = test::shared_tokenizer(name);
    const auto t0 = std::chrono::steady_clock::now();
    const auto ids = t.encode_ids(line);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(s, 0.5) << name;
    EXPECT_GT(ids.size(), line.size() / 8) << name;
    EXPECT_EQ(t.decode(ids), line) << name;
  }
}

TEST(TokenizerIo, Gemma3LoadsQuickly) {
  const auto t0 = std::chrono::steady_clock::now();
  auto t = tok::Tokenizer::from_file(test::shared_path("data/tokenizers/gemma3.json"));
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(s, 2.0);
  EXPECT_EQ(t.vocab_size(), 262145);
  EXPECT_EQ(t.model_vocab_size(), 262144u);
  EXPECT_EQ(t.added_tokens().size(), 6415u);
}

TEST(TokenizerIo, VocabSizesMatchTheIndex) {
  // vocab_size() = max id + 1 (the id space LZW needs). INDEX.json has HF's get_vocab_size(true), which
  // equals it when ids are dense; o200k's added ids have a gap (199999, 200018) and HF reports 200000.
  std::ifstream in(test::shared_path("data/tokenizers/INDEX.json"));
  const json index = json::parse(in);
  for (const auto& st : test::shared_tokenizers()) {
    const tok::Tokenizer& t = test::shared_tokenizer(st.name);
    const int hf = index[st.name]["vocab_with_added"].get<int>();
    if (std::string(st.name) == "o200k") {
      EXPECT_EQ(t.vocab_size(), 200019);
      EXPECT_EQ(*t.token_to_id("<|endofprompt|>"), 200018);
    } else {
      EXPECT_EQ(t.vocab_size(), hf) << st.name;
    }
  }
}

TEST(TokenizerIo, SpecialTokensInTextAndAsPlainText) {
  const tok::Tokenizer& t = test::shared_tokenizer("qwen3");
  EXPECT_EQ(t.encode_ids("<|im_start|>"), (std::vector<std::int32_t>{151644}));
  tok::EncodeOptions plain;
  plain.split_special_tokens = true;
  const auto ids = t.encode_ids("<|im_start|>", plain);
  EXPECT_GT(ids.size(), 1u);
  for (auto id : ids) EXPECT_LT(id, 151643);
  EXPECT_EQ(t.decode(ids), "<|im_start|>");
}

TEST(TokenizerIo, AddSpecialTokensGemmaAndLlama2) {
  tok::EncodeOptions o;
  o.add_special_tokens = true;
  EXPECT_EQ(test::shared_tokenizer("gemma3").encode_ids("Hi", o).front(), 2);  // <bos>
  EXPECT_EQ(test::shared_tokenizer("llama2").encode_ids("Hi", o).front(), 1);  // <s>
  EXPECT_EQ(test::shared_tokenizer("llama3").encode_ids("Hi", o), test::shared_tokenizer("llama3").encode_ids("Hi"));
}

}  // namespace
