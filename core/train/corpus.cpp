// Corpus loading: documents, special ids, token streams.
#include "core/train/corpus.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "core/util/error.h"

namespace z2z::train {

std::vector<std::string> read_documents(const std::vector<std::filesystem::path>& files) {
  std::vector<std::string> docs;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) fail("{}: cannot open", f.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t ff = text.find("\n\f\n", start);
      std::size_t end = ff == std::string::npos ? text.size() : ff + 1;
      if (end > start) docs.push_back(text.substr(start, end - start));
      if (ff == std::string::npos) break;
      start = ff + 3;
    }
  }
  return docs;
}

SpecialIds special_ids(const tok::Tokenizer& t) {
  SpecialIds s;
  auto first = [&](std::initializer_list<const char*> names) -> std::optional<std::int32_t> {
    for (const char* n : names)
      if (auto id = t.token_to_id(n)) return id;
    return std::nullopt;
  };
  auto eos = first({"<|endoftext|>", "</s>", "<eos>", "<|end_of_text|>"});
  if (!eos) fail("{}: no end-of-text token (<|endoftext|>, </s>, <eos>)", t.source());
  s.eos = *eos;
  s.pad = first({"<|pad|>", "<pad>"}).value_or(s.eos);
  s.bos = first({"<s>", "<bos>", "<|begin_of_text|>"});
  for (const auto& a : t.added_tokens()) s.disabled.push_back(a.id);
  return s;
}

TokenStream tokenize_documents(const tok::Tokenizer& t, const std::vector<std::string>& docs, std::int32_t eos) {
  TokenStream s;
  for (const auto& d : docs) {
    auto ids = t.encode_ids(d);
    s.ids.insert(s.ids.end(), ids.begin(), ids.end());
    s.ids.push_back(eos);
    s.bytes += d.size();
    ++s.documents;
  }
  return s;
}

std::vector<float> token_byte_lengths(const tok::Tokenizer& t) {
  std::vector<float> out(static_cast<std::size_t>(t.vocab_size()), 0.0f);
  for (std::int32_t id = 0; id < t.vocab_size(); ++id)
    out[static_cast<std::size_t>(id)] = t.is_special(id) ? 0.0f : static_cast<float>(t.token_bytes(id).size());
  return out;
}

std::string digest(const std::string& bytes) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

}  // namespace z2z::train
