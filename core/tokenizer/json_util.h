// Reading tokenizer.json: a fast loader and JsonRef, a JSON node that knows its path for error messages.
//
// parse_tokenizer_json() builds an nlohmann::json DOM for everything except `model.vocab` and
// `model.merges`, which it streams into flat vectors (the DOM for Gemma-3's 262K-entry vocab and 515K
// merges would cost most of the load time). JsonRef accessors throw z2z::Error naming the JSON path:
//   `pre_tokenizer.pretokenizers[1].type: unsupported "Foo"`.
// Not a JSON writer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/util/error.h"

namespace z2z::tok {

struct TokenizerJson {
  nlohmann::json doc;  // the whole file minus the streamed parts below
  bool has_vocab = false, has_merges = false;
  std::vector<std::pair<std::string, std::int32_t>> vocab;  // model.vocab, file order
  std::vector<std::pair<std::string, std::string>> merges;  // model.merges, either JSON form
};

// Parse tokenizer.json text. `source` names the file in errors. Throws z2z::Error.
TokenizerJson parse_tokenizer_json(std::string_view text, const std::string& source);

class JsonRef {
 public:
  JsonRef(const nlohmann::json& j, std::string path) : j_(&j), path_(std::move(path)) {}

  const nlohmann::json& json() const { return *j_; }
  const std::string& path() const { return path_; }
  bool is_null() const { return j_->is_null(); }
  bool has(std::string_view key) const;

  JsonRef at(std::string_view key) const;                   // required member
  std::optional<JsonRef> find(std::string_view key) const;  // absent or null -> nullopt
  JsonRef at(std::size_t index) const;
  std::size_t array_size() const;  // throws unless an array

  std::string str(std::string_view key) const;
  std::string str_or(std::string_view key, std::string fallback) const;
  bool boolean_or(std::string_view key, bool fallback) const;
  std::int64_t integer(std::string_view key) const;
  std::int64_t integer_or(std::string_view key, std::int64_t fallback) const;
  std::string as_string() const;
  std::int64_t as_integer() const;
  // Value of "type" (required); `stage` names the component kind for the error message.
  std::string type() const;

  std::string path_of(std::string_view key) const {
    return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
  }

  template <typename... Args>
  [[noreturn]] void fail(fmt::format_string<Args...> format, Args&&... args) const {
    z2z::fail("{}: {}", path_.empty() ? std::string("tokenizer.json") : path_,
              fmt::format(format, std::forward<Args>(args)...));
  }
  template <typename... Args>
  [[noreturn]] void fail_at(std::string_view key, fmt::format_string<Args...> format, Args&&... args) const {
    z2z::fail("{}: {}", path_of(key), fmt::format(format, std::forward<Args>(args)...));
  }

 private:
  const nlohmann::json* j_;
  std::string path_;
};

// A single Unicode character given as a JSON string (e.g. Metaspace "replacement").
std::string single_char(const JsonRef& node, std::string_view key);

}  // namespace z2z::tok
