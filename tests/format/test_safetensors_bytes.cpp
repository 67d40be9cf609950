// SafetensorsFile::from_bytes (the in-memory entry point used by tests/fuzz/fuzz_safetensors.cpp): the same
// views as open() on the same bytes, its own copy of the image, and the same errors naming `name`.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "core/model/format/safetensors.h"
#include "core/util/error.h"

using namespace z2z::model;

namespace {

std::vector<std::byte> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> bytes(chars.size());
  std::memcpy(bytes.data(), chars.data(), chars.size());
  return bytes;
}

}  // namespace

TEST(SafetensorsBytes, SameViewsAsOpen) {
  const std::string path = std::string(Z2Z_SOURCE_DIR) + "/resources/models/demo-zip2zip/zip2zip_encoders.safetensors";
  std::vector<std::byte> bytes = read_file(path);
  ASSERT_GT(bytes.size(), 8u);
  const auto mapped = SafetensorsFile::open(path);
  const auto memory = SafetensorsFile::from_bytes(bytes, "encoders (memory)");
  std::fill(bytes.begin(), bytes.end(), std::byte{0});  // from_bytes keeps its own copy
  ASSERT_EQ(memory->names(), mapped->names());
  EXPECT_EQ(memory->metadata(), mapped->metadata());
  EXPECT_EQ(memory->path(), "encoders (memory)");
  for (const auto& name : mapped->names()) {
    const TensorView& a = mapped->at(name);
    const TensorView& b = memory->at(name);
    EXPECT_EQ(a.dtype, b.dtype) << name;
    EXPECT_EQ(a.shape, b.shape) << name;
    ASSERT_EQ(a.nbytes, b.nbytes) << name;
    EXPECT_EQ(std::memcmp(a.data, b.data, a.nbytes), 0) << name;
  }
}

TEST(SafetensorsBytes, ErrorsNameTheSource) {
  const std::byte short_file[4] = {};
  try {
    SafetensorsFile::from_bytes(short_file, "tiny.safetensors");
    FAIL() << "expected z2z::Error";
  } catch (const z2z::Error& e) {
    EXPECT_NE(std::string(e.what()).find("tiny.safetensors: file is 4 bytes"), std::string::npos) << e.what();
  }
}
