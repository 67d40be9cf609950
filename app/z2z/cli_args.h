// A small declarative command-line parser shared by every `z2z` command.
// Options are `--name value`, `--name=value` or boolean `--name`; anything else is positional.
// Every error is a UsageError (exit code 2) with one line naming the flag and the bad value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace z2z::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  std::string name;     // without the leading "--"
  std::string metavar;  // empty: boolean flag
  std::string help;
  bool repeatable = false;
};

class Args {
 public:
  Args(std::string command, std::string usage, std::string description, std::vector<OptionSpec> options);

  // Returns false when --help was given (help already printed to stdout).
  bool parse(int argc, char** argv, int first);
  bool parse(const std::vector<std::string>& argv);

  std::string help() const;
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  std::optional<std::string> get(const std::string& name) const;
  std::vector<std::string> get_all(const std::string& name) const;
  std::string get_or(const std::string& name, const std::string& fallback) const;
  std::int64_t get_int(const std::string& name, std::int64_t fallback, std::int64_t lo, std::int64_t hi) const;
  std::optional<std::int64_t> get_int(const std::string& name, std::int64_t lo, std::int64_t hi) const;
  double get_double(const std::string& name, double fallback, double lo, double hi) const;
  const std::vector<std::string>& positional() const { return positional_; }
  const std::string& command() const { return command_; }

 private:
  const OptionSpec* find(const std::string& name) const;
  std::string command_, usage_, description_;
  std::vector<OptionSpec> options_;
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

// Parse an integer with range check; `what` names the value in the error ("--max-subtokens").
std::int64_t parse_int(const std::string& text, const std::string& what, std::int64_t lo, std::int64_t hi);
// Parse whitespace- and/or comma-separated non-negative ids (< 2^31). `what` names the source.
std::vector<std::int32_t> parse_ids(const std::string& text, const std::string& what);
std::string read_stdin();

}  // namespace z2z::cli
