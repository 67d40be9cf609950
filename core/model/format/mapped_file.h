// MappedFile: RAII read-only memory mapping of a whole regular file (POSIX mmap). Internal to
// core/model/format. Knows nothing about safetensors; does not follow or validate content.
#pragma once

#include <cstddef>
#include <filesystem>

namespace z2z::model {

class MappedFile {
 public:
  // Throws z2z::Error "<path>: cannot open: <reason>" / "<path>: not a regular file".
  explicit MappedFile(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&&) = delete;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::byte* data() const { return data_; }  // nullptr for an empty file
  std::size_t size() const { return size_; }

 private:
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace z2z::model
