// Test helper: the six shared tokenizers (../shared/data/tokenizers), loaded once per test binary,
// and their fixture files (../shared/data/fixtures/<name>.jsonl, HF tokenizers 0.23.2 ids).
#pragma once

#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/tokenizer/tokenizer.h"

namespace z2z::test {

struct SharedTokenizer {
  const char* name;      // fixture name
  const char* file;      // file in data/tokenizers
  int vocab_with_added;  // INDEX.json
};

inline const std::vector<SharedTokenizer>& shared_tokenizers() {
  static const std::vector<SharedTokenizer> all = {
      {"llama3", "llama3.json", 128256},       {"qwen3", "qwen3.json", 151669},
      {"gemma3", "gemma3.json", 262145},       {"o200k", "o200k.json", 200019},
      {"deepseek3", "deepseek3.json", 128815}, {"llama2", "llama2-phi35.json", 32011},
  };
  return all;
}

inline std::string shared_path(const std::string& rel) { return std::string(Z2Z_SHARED_DIR) + "/" + rel; }

inline const tok::Tokenizer& shared_tokenizer(const std::string& name) {
  static std::mutex m;
  static std::map<std::string, std::unique_ptr<tok::Tokenizer>> cache;
  std::lock_guard<std::mutex> lock(m);
  auto& slot = cache[name];
  if (!slot) {
    for (const auto& t : shared_tokenizers())
      if (name == t.name)
        slot = std::make_unique<tok::Tokenizer>(
            tok::Tokenizer::from_file(shared_path(std::string("data/tokenizers/") + t.file)));
  }
  return *slot;
}

struct Fixture {
  std::string domain, text;
  std::vector<std::int32_t> ids;
  bool roundtrip = false;
};

inline std::vector<Fixture> load_fixtures(const std::string& name) {
  std::vector<Fixture> out;
  std::ifstream in(shared_path("data/fixtures/" + name + ".jsonl"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    out.push_back({j["domain"].get<std::string>(), j["text"].get<std::string>(),
                   j["ids"].get<std::vector<std::int32_t>>(), j.value("roundtrip", false)});
  }
  return out;
}

}  // namespace z2z::test
