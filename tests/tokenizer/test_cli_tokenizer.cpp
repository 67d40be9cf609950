// CLI contract of `z2z tokenize`, `z2z detokenize` and `z2z compress` (run through the built binary).
// Expected ids come from the HF fixtures; expected compression numbers from the LZW codec on those ids.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/lzw/codec.h"
#include "support/run.h"
#include "tokenizer/shared_tokenizers.h"

using namespace z2z;
using nlohmann::json;
using test::run;
using test::shell_quote;
using test::z2z_bin;

namespace {

std::string tok_file(const std::string& name) {
  for (const auto& t : test::shared_tokenizers())
    if (name == t.name) return shell_quote(test::shared_path(std::string("data/tokenizers/") + t.file));
  return "";
}

std::filesystem::path temp_dir(const std::string& stem) {
  auto d = std::filesystem::temp_directory_path() / fmt::format("z2z_tok_{}_{}", stem, ::getpid());
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

const std::vector<test::Fixture>& llama3_fixtures() {
  static const auto f = test::load_fixtures("llama3");
  return f;
}

TEST(CliTokenize, JsonContract) {
  const auto& f = llama3_fixtures()[3];
  auto r = run(z2z_bin() + " tokenize --tokenizer " + tok_file("llama3") + " --stdin --json", f.text);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.out.rfind("{\"ids\":[", 0), 0u);
  const json j = json::parse(r.out);
  EXPECT_EQ(j["ids"].get<std::vector<std::int32_t>>(), f.ids);
  ASSERT_EQ(j["tokens"].size(), f.ids.size());
  std::uint32_t at = 0;
  for (std::size_t i = 0; i < f.ids.size(); ++i) {
    const auto& t = j["tokens"][i];
    EXPECT_EQ(t["id"], f.ids[i]);
    EXPECT_EQ(t.size(), 3u);
    EXPECT_EQ(t["bytes"][0].get<std::uint32_t>(), at);  // contiguous spans over the input
    at = t["bytes"][1].get<std::uint32_t>();
  }
  EXPECT_EQ(at, f.text.size());
}

TEST(CliTokenize, JsonTextIsTheTokenText) {
  auto r = run(z2z_bin() + " tokenize --tokenizer " + tok_file("llama3") + " --json --show-count 'Hello world'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  std::string joined;
  for (const auto& t : j["tokens"]) joined += t["text"].get<std::string>();
  EXPECT_EQ(joined, "Hello world");
  EXPECT_EQ(j["count"], j["ids"].size());
}

TEST(CliTokenize, IdsAndCountFromTextFileAndStdin) {
  const auto& f = llama3_fixtures()[10];
  const auto dir = temp_dir("ids");
  { std::ofstream(dir / "in.txt", std::ios::binary) << f.text; }
  auto a = run(z2z_bin() + " tokenize --tokenizer " + tok_file("llama3") + " --ids --file " +
               shell_quote((dir / "in.txt").string()));
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, fmt::format("{}\n", fmt::join(f.ids, " ")));
  auto b = run(z2z_bin() + " tokenize --tokenizer " + tok_file("llama3") + " --ids --show-count --stdin", f.text);
  EXPECT_EQ(b.out, fmt::format("{}\n{}\n", fmt::join(f.ids, " "), f.ids.size()));
  std::filesystem::remove_all(dir);
}

TEST(CliTokenize, AddSpecialTokensAndHumanOutput) {
  auto r = run(z2z_bin() + " tokenize --tokenizer " + tok_file("llama2") + " --ids --add-special-tokens 'Hi'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("1 ", 0), 0u) << r.out;  // <s>
  auto h = run(z2z_bin() + " tokenize --tokenizer " + tok_file("llama3") + " --show-count 'Hello world'");
  ASSERT_EQ(h.exit_code, 0) << h.err;
  EXPECT_NE(h.out.find("\xC2\xB7world"), std::string::npos) << h.out;  // visible space
  EXPECT_NE(h.out.find("\xC4\xA0world"), std::string::npos) << h.out;  // raw byte-level form
  EXPECT_NE(h.out.find("2 tokens, 11 bytes"), std::string::npos) << h.out;
}

TEST(CliTokenize, BatchJsonl) {
  const auto& fx = test::load_fixtures("qwen3");
  const auto dir = temp_dir("batch");
  std::string in;
  for (int i = 0; i < 20; ++i) in += json{{"text", fx[static_cast<std::size_t>(i)].text}, {"n", i}}.dump() + "\n";
  { std::ofstream(dir / "in.jsonl", std::ios::binary) << in; }
  auto r = run(z2z_bin() + " tokenize --tokenizer " + tok_file("qwen3") + " --batch " +
               shell_quote((dir / "in.jsonl").string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  std::size_t n = 0;
  while (std::getline(lines, line)) {
    EXPECT_EQ(line, fmt::format("{{\"ids\":[{}]}}", fmt::join(fx[n].ids, ","))) << n;
    ++n;
  }
  EXPECT_EQ(n, 20u);
  auto bad =
      run(z2z_bin() + " tokenize --tokenizer " + tok_file("qwen3") + " --batch -", "{\"text\":\"a\"}\n{\"txt\":1}\n");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("-:2:"), std::string::npos) << bad.err;
  std::filesystem::remove_all(dir);
}

TEST(CliDetokenize, RoundTripsFixtures) {
  for (const char* name : {"llama3", "llama2"}) {
    const auto fx = test::load_fixtures(name);
    const auto& f = fx[5];
    ASSERT_TRUE(f.roundtrip);
    auto r = run(z2z_bin() + " detokenize --tokenizer " + tok_file(name) + " --ids " +
                 shell_quote(fmt::format("{}", fmt::join(f.ids, " "))));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, f.text + "\n") << name;
    auto j = run(z2z_bin() + " detokenize --tokenizer " + tok_file(name) + " --json",
                 fmt::format("{}", fmt::join(f.ids, ",")));
    EXPECT_EQ(json::parse(j.out)["text"], f.text) << name;
  }
  auto bad = run(z2z_bin() + " detokenize --tokenizer " + tok_file("llama2") + " --ids '1 99999'");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("99999"), std::string::npos);
}

lzw::CompressionConfig llama3_lzw(std::int64_t K, std::int32_t S) {
  std::vector<std::int32_t> specials;
  for (std::int32_t id = 128000; id < 128256; ++id) specials.push_back(id);
  return lzw::CompressionConfig(lzw::LzwConfig{128256, K, S, 128000, specials});
}

TEST(CliCompress, JsonContractMatchesTheCodecOnHfIds) {
  const auto& f = llama3_fixtures()[0];
  auto r = run(z2z_bin() + " compress --tokenizer " + tok_file("llama3") + " --stdin --json", f.text);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> keys = {"bytes",
                                         "base_tokens",
                                         "codes",
                                         "hypertokens_used",
                                         "codebook_size",
                                         "bytes_per_token_base",
                                         "bytes_per_token_zip",
                                         "compression_rate"};
  std::size_t at = 0;
  for (const auto& k : keys) {  // exact key order
    const auto p = r.out.find("\"" + k + "\":", at);
    ASSERT_NE(p, std::string::npos) << k;
    at = p;
  }
  const json j = json::parse(r.out);
  EXPECT_EQ(j.size(), keys.size());
  const auto enc = lzw::encode(llama3_lzw(lzw::LzwConfig::kUnlimited, 4), f.ids);
  std::size_t hyper = 0;
  for (auto c : enc.codes) hyper += c >= 128256;
  EXPECT_EQ(j["bytes"], f.text.size());
  EXPECT_EQ(j["base_tokens"], f.ids.size());
  EXPECT_EQ(j["codes"], enc.codes.size());
  EXPECT_EQ(j["hypertokens_used"], hyper);
  EXPECT_EQ(j["codebook_size"], enc.codebook.size());
  EXPECT_NEAR(j["compression_rate"].get<double>(), double(enc.codes.size()) / double(f.ids.size()), 1e-6);
  EXPECT_NEAR(j["bytes_per_token_zip"].get<double>(), double(f.text.size()) / double(enc.codes.size()), 1e-6);

  auto k = run(z2z_bin() + " compress --tokenizer " + tok_file("llama3") +
                   " --stdin --json --max-codebook-size 16 --max-subtokens 2",
               f.text);
  const auto enc2 = lzw::encode(llama3_lzw(16, 2), f.ids);
  EXPECT_EQ(json::parse(k.out)["codes"], enc2.codes.size());
  EXPECT_EQ(json::parse(k.out)["codebook_size"], enc2.codebook.size());
  auto h = run(z2z_bin() + " compress --tokenizer " + tok_file("llama2") + " 'abc abc abc abc'");
  EXPECT_NE(h.out.find("compression rate:"), std::string::npos);
}

TEST(CliCompress, TableOnASmallCorpus) {
  // two domains, three documents, ids from the fixtures
  const auto& fx = llama3_fixtures();
  const auto dir = temp_dir("corpus");
  { std::ofstream(dir / "code.txt", std::ios::binary) << fx[0].text << "\n\f\n" << fx[1].text; }
  { std::ofstream(dir / "web.txt", std::ios::binary) << fx[150].text; }
  auto r = run(z2z_bin() + " compress --table --tokenizer " + tok_file("llama3") + " " + shell_quote(dir.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto cfg = llama3_lzw(lzw::LzwConfig::kUnlimited, 4);
  auto cell = [&](std::initializer_list<std::size_t> docs) {
    double base = 0, zip = 0;
    for (auto i : docs) {
      base += double(fx[i].text.size()) / double(fx[i].ids.size());
      zip += double(fx[i].text.size()) / double(lzw::encode(cfg, fx[i].ids).codes.size());
    }
    return fmt::format("{:.2f} → {:.2f}", base / double(docs.size()), zip / double(docs.size()));
  };
  const std::string want =
      "| tokenizer | code | web |\n|---|---|---|\n| llama3 | " + cell({0, 1}) + " | " + cell({150}) + " |\n";
  EXPECT_EQ(r.out.substr(0, want.size()), want) << r.out;
  std::filesystem::remove_all(dir);
}

TEST(CliTokenizerErrors, ExitCodeTwoWithOneLine) {
  auto a = run(z2z_bin() + " tokenize 'x'");
  EXPECT_EQ(a.exit_code, 2);
  EXPECT_NE(a.err.find("--tokenizer"), std::string::npos);
  const auto dir = temp_dir("bad");
  {
    std::ofstream(dir / "t.json")
        << R"({"model":{"type":"BPE","vocab":{"a":0},"merges":[]},"pre_tokenizer":{"type":"Foo"}})";
  }
  auto b = run(z2z_bin() + " tokenize --tokenizer " + shell_quote((dir / "t.json").string()) + " x");
  EXPECT_EQ(b.exit_code, 2);
  EXPECT_NE(b.err.find("t.json: pre_tokenizer.type: unsupported \"Foo\""), std::string::npos) << b.err;
  EXPECT_EQ(std::count(b.err.begin(), b.err.end(), '\n'), 1);
  auto c = run(z2z_bin() + " tokenize --tokenizer " + tok_file("llama2") + " --invalid-utf8 reject --stdin", "a\xFF");
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("not valid UTF-8"), std::string::npos);
  auto d = run(z2z_bin() + " compress --tokenizer " + tok_file("llama2") + " --disable most x");
  EXPECT_EQ(d.exit_code, 2);
  std::filesystem::remove_all(dir);
}

}  // namespace
