// write_file_atomic — write bytes to `path` through a temporary file in the same directory,
// fsync, then rename over `path`: readers see the old file or the new one, never half a file.
#pragma once

#include <filesystem>
#include <string_view>

namespace z2z {

void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

}  // namespace z2z
