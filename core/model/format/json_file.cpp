// parse_json_bounded / load_json_file / JsonFields. The depth limit and duplicate-key check run in the
// nlohmann parser callback, so hostile input is rejected while parsing (the parser itself is iterative).
#include "core/model/format/json_file.h"

#include <fstream>
#include <iterator>
#include <system_error>
#include <unordered_set>

#include "core/util/error.h"

namespace z2z::model {

using nlohmann::json;

namespace {

struct Frame {
  bool is_object;
  std::string name;  // "" = top level
  std::string last_key;
  std::unordered_set<std::string> keys;
};

std::string frame_where(const Frame& f) { return f.name.empty() ? "at top level" : fmt::format("in '{}'", f.name); }

}  // namespace

json parse_json_bounded(std::string_view text, const std::string& source) {
  std::vector<Frame> stack;
  auto callback = [&](int depth, json::parse_event_t event, json& parsed) -> bool {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start: {
        if (depth >= kMaxJsonDepth) fail("{}: JSON nested deeper than {} levels", source, kMaxJsonDepth);
        std::string name;
        if (!stack.empty()) name = stack.back().is_object ? stack.back().last_key : stack.back().name + "[]";
        stack.push_back(Frame{event == json::parse_event_t::object_start, std::move(name), {}, {}});
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!stack.empty()) stack.pop_back();
        break;
      case json::parse_event_t::key: {
        if (stack.empty() || !parsed.is_string()) break;
        Frame& f = stack.back();
        f.last_key = parsed.get<std::string>();
        if (!f.keys.insert(f.last_key).second) fail("{}: duplicate key '{}' {}", source, f.last_key, frame_where(f));
        break;
      }
      default:
        break;
    }
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/true);
  } catch (const json::exception& e) {
    fail("{}: not valid JSON: {}", source, e.what());
  }
}

json load_json_file(const std::filesystem::path& path, std::size_t max_bytes) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) fail("{}: file not found", path.string());
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) fail("{}: cannot read: {}", path.string(), ec.message());
  if (size > max_bytes)
    fail("{}: file is {} bytes, over the {} MB limit for JSON files", path.string(), size, max_bytes >> 20);
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) fail("{}: cannot read", path.string());
  return parse_json_bounded(text, path.string());
}

std::string json_excerpt(const json& v) {
  std::string s = v.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

JsonFields::JsonFields(const json& obj, std::string file, std::string prefix)
    : obj_(obj), file_(std::move(file)), prefix_(std::move(prefix)) {}

const json* JsonFields::get(std::string_view key) const {
  if (!obj_.is_object()) return nullptr;
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return nullptr;
  return &*it;
}

void JsonFields::missing(std::string_view key, std::string_view what) const {
  fail("{}: missing field '{}' (must be {})", file_, field(key), what);
}

void JsonFields::invalid(std::string_view key, std::string_view what) const {
  const json* v = get(key);
  fail("{}: field '{}' must be {}, got {}", file_, field(key), what, v ? json_excerpt(*v) : "null");
}

namespace {
std::optional<std::int64_t> as_i64(const json& v) {
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<std::int64_t>();
  return std::nullopt;
}
}  // namespace

std::optional<std::int64_t> JsonFields::opt_positive_int(std::string_view key) const {
  const json* v = get(key);
  if (!v) return std::nullopt;
  auto i = as_i64(*v);
  if (!i || *i <= 0) invalid(key, "a positive integer");
  return i;
}

std::int64_t JsonFields::positive_int(std::string_view key) const {
  if (!has(key)) missing(key, "a positive integer");
  return *opt_positive_int(key);
}

std::optional<std::int64_t> JsonFields::opt_nonneg_int(std::string_view key) const {
  const json* v = get(key);
  if (!v) return std::nullopt;
  auto i = as_i64(*v);
  if (!i || *i < 0) invalid(key, "a non-negative integer");
  return i;
}

std::int64_t JsonFields::nonneg_int(std::string_view key) const {
  if (!has(key)) missing(key, "a non-negative integer");
  return *opt_nonneg_int(key);
}

std::optional<double> JsonFields::opt_number(std::string_view key) const {
  const json* v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_number()) invalid(key, "a number");
  return v->get<double>();
}

double JsonFields::opt_positive_number(std::string_view key, double fallback) const {
  const json* v = get(key);
  if (!v) return fallback;
  if (!v->is_number() || !(v->get<double>() > 0)) invalid(key, "a positive number");
  return v->get<double>();
}

bool JsonFields::opt_bool(std::string_view key, bool fallback) const {
  const json* v = get(key);
  if (!v) return fallback;
  if (!v->is_boolean()) invalid(key, "true or false");
  return v->get<bool>();
}

std::optional<std::string> JsonFields::opt_string(std::string_view key) const {
  const json* v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) invalid(key, "a string");
  return v->get<std::string>();
}

std::string JsonFields::string(std::string_view key) const {
  if (!has(key)) missing(key, "a string");
  return *opt_string(key);
}

std::vector<std::int64_t> JsonFields::opt_nonneg_int_list(std::string_view key) const {
  std::vector<std::int64_t> out;
  const json* v = get(key);
  if (!v) return out;
  if (!v->is_array()) invalid(key, "an array of non-negative integers");
  for (const json& e : *v) {
    auto i = as_i64(e);
    if (!i || *i < 0) invalid(key, "an array of non-negative integers");
    out.push_back(*i);
  }
  return out;
}

std::vector<double> JsonFields::opt_number_list(std::string_view key) const {
  std::vector<double> out;
  const json* v = get(key);
  if (!v) return out;
  if (!v->is_array()) invalid(key, "an array of numbers");
  for (const json& e : *v) {
    if (!e.is_number()) invalid(key, "an array of numbers");
    out.push_back(e.get<double>());
  }
  return out;
}

JsonFields JsonFields::object(std::string_view key) const {
  const json* v = get(key);
  if (!v) missing(key, "an object");
  if (!v->is_object()) invalid(key, "an object");
  return JsonFields(*v, file_, field(key) + ".");
}

std::vector<std::string> JsonFields::unknown_fields(std::initializer_list<std::string_view> known) const {
  std::vector<std::string> out;
  if (!obj_.is_object()) return out;
  for (auto it = obj_.begin(); it != obj_.end(); ++it) {
    bool found = false;
    for (auto k : known) found = found || k == it.key();
    if (!found) out.push_back(field(it.key()));
  }
  return out;
}

}  // namespace z2z::model
