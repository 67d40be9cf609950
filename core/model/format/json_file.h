// Bounded JSON reading for model files (internal to core/model/format): parse with a nesting-depth limit
// and duplicate-key rejection, load a file with a size cap, and JsonFields — typed access to one object's
// fields whose errors name the file and the dotted field ("config.json: field 'hidden_size' must be a
// positive integer, got -3"). Not a schema engine: each config parser states its own rules.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace z2z::model {

inline constexpr int kMaxJsonDepth = 64;
inline constexpr std::size_t kMaxConfigBytes = std::size_t{10} << 20;  // 10 MB

// Parse `text`; errors are "<source>: ..." (invalid JSON / invalid UTF-8, nested deeper than
// kMaxJsonDepth, the same key twice in one object).
nlohmann::json parse_json_bounded(std::string_view text, const std::string& source);

// Read and parse a file of at most max_bytes (errors: missing, too large, unreadable, invalid).
nlohmann::json load_json_file(const std::filesystem::path& path, std::size_t max_bytes = kMaxConfigBytes);

// Short rendering of a JSON value for error messages (at most ~60 chars).
std::string json_excerpt(const nlohmann::json& v);

class JsonFields {
 public:
  // `obj` must outlive this; `prefix` is prepended to field names in messages ("encoder.").
  JsonFields(const nlohmann::json& obj, std::string file, std::string prefix = "");

  const nlohmann::json* get(std::string_view key) const;  // nullptr when absent or null
  bool has(std::string_view key) const { return get(key) != nullptr; }

  std::int64_t positive_int(std::string_view key) const;  // required, > 0
  std::optional<std::int64_t> opt_positive_int(std::string_view key) const;
  std::optional<std::int64_t> opt_nonneg_int(std::string_view key) const;
  std::int64_t nonneg_int(std::string_view key) const;  // required, >= 0
  std::optional<double> opt_number(std::string_view key) const;
  double opt_positive_number(std::string_view key, double fallback) const;
  bool opt_bool(std::string_view key, bool fallback) const;
  std::string string(std::string_view key) const;  // required, may be empty
  std::optional<std::string> opt_string(std::string_view key) const;
  std::vector<std::int64_t> opt_nonneg_int_list(std::string_view key) const;  // absent -> {}
  std::vector<double> opt_number_list(std::string_view key) const;            // absent -> {}
  JsonFields object(std::string_view key) const;                              // required object

  // Field names present in the object that are not in `known` (for warnings).
  std::vector<std::string> unknown_fields(std::initializer_list<std::string_view> known) const;

  std::string field(std::string_view key) const { return prefix_ + std::string(key); }
  const std::string& file() const { return file_; }
  [[noreturn]] void missing(std::string_view key, std::string_view what) const;
  [[noreturn]] void invalid(std::string_view key, std::string_view what) const;  // uses the present value

 private:
  const nlohmann::json& obj_;
  std::string file_;
  std::string prefix_;
};

}  // namespace z2z::model
