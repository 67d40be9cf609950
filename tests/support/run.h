// Test helper: run a shell command, capture stdout, stderr and the exit code.
// Header-only (tests/support has no .cpp, so it is not a test area of its own).
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace z2z::test {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline RunResult run(const std::string& command, const std::string& stdin_text = "") {
  static int counter = 0;
  auto dir = std::filesystem::temp_directory_path();
  std::string stem = "z2z_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  auto in_path = dir / (stem + ".in"), err_path = dir / (stem + ".err");
  { std::ofstream(in_path) << stdin_text; }
  std::string full = command + " < " + shell_quote(in_path.string()) + " 2> " + shell_quote(err_path.string());
  RunResult r;
  FILE* p = ::popen(full.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::stringstream ss;
  ss << std::ifstream(err_path).rdbuf();
  r.err = ss.str();
  std::filesystem::remove(in_path);
  std::filesystem::remove(err_path);
  return r;
}

inline std::string z2z_bin() { return std::string(Z2Z_BIN_DIR) + "/z2z"; }

}  // namespace z2z::test
