// Test helper: assemble a small tokenizer.json from hand-written parts and load it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/tokenizer/tokenizer.h"

namespace z2z::test {

struct TinySpec {
  nlohmann::json model;
  nlohmann::json normalizer = nullptr, pre_tokenizer = nullptr, post_processor = nullptr, decoder = nullptr;
  nlohmann::json added_tokens = nlohmann::json::array();
};

inline tok::Tokenizer tiny(const TinySpec& s) {
  nlohmann::json j = {{"version", "1.0"},
                      {"added_tokens", s.added_tokens},
                      {"normalizer", s.normalizer},
                      {"pre_tokenizer", s.pre_tokenizer},
                      {"post_processor", s.post_processor},
                      {"decoder", s.decoder},
                      {"model", s.model}};
  return tok::Tokenizer::from_json(j.dump(), "tiny.json");
}

inline nlohmann::json bpe(nlohmann::json vocab, nlohmann::json merges,
                          nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json m = {{"type", "BPE"}, {"vocab", std::move(vocab)}, {"merges", std::move(merges)}};
  for (auto& [k, v] : extra.items()) m[k] = v;
  return m;
}

inline nlohmann::json added(int id, const std::string& content, bool special, bool normalized = false,
                            bool lstrip = false, bool rstrip = false, bool single_word = false) {
  return {{"id", id},         {"content", content},       {"single_word", single_word}, {"lstrip", lstrip},
          {"rstrip", rstrip}, {"normalized", normalized}, {"special", special}};
}

}  // namespace z2z::test
