// Test helpers: read or write a whole file as bytes. Header-only (tests/support is not a test area).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace z2z::test {

inline std::string read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_bytes(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
}

}  // namespace z2z::test
