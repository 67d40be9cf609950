// Implementation of the shared argument parser.
#include "app/z2z/cli_args.h"

#include <charconv>
#include <cmath>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

namespace z2z::cli {

Args::Args(std::string command, std::string usage, std::string description, std::vector<OptionSpec> options)
    : command_(std::move(command)), usage_(std::move(usage)), description_(std::move(description)),
      options_(std::move(options)) {}

const OptionSpec* Args::find(const std::string& name) const {
  for (const auto& o : options_)
    if (o.name == name) return &o;
  return nullptr;
}

bool Args::parse(int argc, char** argv, int first) {
  std::vector<std::string> v;
  for (int i = first; i < argc; ++i) v.emplace_back(argv[i]);
  return parse(v);
}

bool Args::parse(const std::vector<std::string>& argv) {
  bool only_positional = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (only_positional || a.size() < 3 || a.rfind("--", 0) != 0) {
      if (a == "--") {
        only_positional = true;
        continue;
      }
      if (a == "-h") {
        std::cout << help();
        return false;
      }
      if (!only_positional && a.size() > 1 && a[0] == '-' && !(a[1] >= '0' && a[1] <= '9'))
        throw UsageError(fmt::format("{}: unknown option '{}' (see --help)", command_, a));
      positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    if (name == "help") {
      std::cout << help();
      return false;
    }
    const OptionSpec* spec = find(name);
    if (!spec) throw UsageError(fmt::format("{}: unknown option '--{}' (see --help)", command_, name));
    if (spec->metavar.empty()) {
      if (has_value) throw UsageError(fmt::format("{}: option '--{}' takes no value", command_, name));
      value.assign(1, '1');
    } else if (!has_value) {
      if (i + 1 >= argv.size())
        throw UsageError(fmt::format("{}: option '--{}' needs a value ({})", command_, name, spec->metavar));
      value = argv[++i];
    }
    auto& slot = values_[name];
    if (!slot.empty() && !spec->repeatable)
      throw UsageError(fmt::format("{}: option '--{}' given more than once", command_, name));
    slot.push_back(value);
  }
  return true;
}

std::string Args::help() const {
  std::string out = fmt::format("usage: {}\n\n{}\n\noptions:\n", usage_, description_);
  std::size_t width = 0;
  for (const auto& o : options_) width = std::max(width, o.name.size() + (o.metavar.empty() ? 0 : o.metavar.size() + 1));
  width = std::min<std::size_t>(width, 28);
  for (const auto& o : options_) {
    std::string left = o.metavar.empty() ? o.name : o.name + " " + o.metavar;
    out += fmt::format("  --{:<{}}  {}\n", left, width, o.help);
  }
  out += fmt::format("  --{:<{}}  {}\n", "help", width, "show this help and exit");
  return out;
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::get_all(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::string Args::get_or(const std::string& name, const std::string& fallback) const {
  auto v = get(name);
  return v ? *v : fallback;
}

std::optional<std::int64_t> Args::get_int(const std::string& name, std::int64_t lo, std::int64_t hi) const {
  auto v = get(name);
  if (!v) return std::nullopt;
  return parse_int(*v, "--" + name, lo, hi);
}

std::int64_t Args::get_int(const std::string& name, std::int64_t fallback, std::int64_t lo, std::int64_t hi) const {
  auto v = get_int(name, lo, hi);
  return v ? *v : fallback;
}

double Args::get_double(const std::string& name, double fallback, double lo, double hi) const {
  auto v = get(name);
  if (!v) return fallback;
  double d = 0;
  const char* b = v->data();
  const char* e = b + v->size();
  auto [p, ec] = std::from_chars(b, e, d);
  if (ec != std::errc() || p != e || !std::isfinite(d))
    throw UsageError(fmt::format("--{}: expected a number, got '{}'", name, *v));
  if (d < lo || d > hi) throw UsageError(fmt::format("--{}: {} is out of range [{}, {}]", name, *v, lo, hi));
  return d;
}

std::int64_t parse_int(const std::string& text, const std::string& what, std::int64_t lo, std::int64_t hi) {
  std::int64_t v = 0;
  const char* b = text.data();
  const char* e = b + text.size();
  if (b != e && *b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, v);
  if (ec == std::errc::result_out_of_range || (ec == std::errc() && p == e && (v < lo || v > hi)))
    throw UsageError(fmt::format("{}: {} is out of range [{}, {}]", what, text, lo, hi));
  if (ec != std::errc() || p != e || text.empty())
    throw UsageError(fmt::format("{}: expected an integer, got '{}'", what, text));
  return v;
}

std::vector<std::int32_t> parse_ids(const std::string& text, const std::string& what) {
  std::vector<std::int32_t> ids;
  std::size_t i = 0, n = text.size();
  auto is_sep = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '\f' || c == '\v'; };
  while (i < n) {
    while (i < n && is_sep(text[i])) ++i;
    if (i >= n) break;
    std::size_t j = i;
    while (j < n && !is_sep(text[j])) ++j;
    std::string tok = text.substr(i, j - i);
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
    if (ec == std::errc::result_out_of_range || (ec == std::errc() && p == tok.data() + tok.size() && v > 2147483647))
      throw UsageError(fmt::format("{}: id #{} '{}' is out of range (ids are 0..2147483647)", what, ids.size(), tok));
    if (ec != std::errc() || p != tok.data() + tok.size())
      throw UsageError(fmt::format("{}: id #{} '{}' is not an integer", what, ids.size(), tok.substr(0, 40)));
    if (v < 0) throw UsageError(fmt::format("{}: id #{} is negative ({})", what, ids.size(), v));
    ids.push_back(static_cast<std::int32_t>(v));
    i = j;
  }
  return ids;
}

std::string read_stdin() {
  std::ostringstream ss;
  ss << std::cin.rdbuf();
  return ss.str();
}

}  // namespace z2z::cli
