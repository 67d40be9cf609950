// write_safetensors: validate the tensors, build the HF-style header (padded with spaces to 8 bytes),
// write to a temp file in the target directory, fsync, rename over the target, fsync the directory.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/model/format/safetensors.h"
#include "core/util/error.h"

namespace z2z::model {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

void write_all(int fd, const void* p, std::size_t n, const std::string& file) {
  const char* c = static_cast<const char*>(p);
  while (n > 0) {
    const ssize_t w = ::write(fd, c, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      fail("{}: write failed: {}", file, std::strerror(errno));
    }
    c += w;
    n -= static_cast<std::size_t>(w);
  }
}

std::string build_header(const std::string& file, const std::vector<const TensorToWrite*>& sorted,
                         const std::map<std::string, std::string>& metadata) {
  json header = json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::uint64_t offset = 0;
  for (const TensorToWrite* t : sorted) {
    const std::uint64_t end = offset + t->bytes.size();
    header[t->name] = {{"dtype", dtype_name(t->dtype)}, {"shape", t->shape}, {"data_offsets", {offset, end}}};
    offset = end;
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const json::exception& e) {
    fail("{}: cannot encode header (names and metadata must be UTF-8): {}", file, e.what());
  }
  text.append((8 - text.size() % 8) % 8, ' ');
  return text;
}

}  // namespace

void write_safetensors(const fs::path& path, const std::vector<TensorToWrite>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  const std::string file = path.string();
  std::vector<const TensorToWrite*> sorted;
  for (const TensorToWrite& t : tensors) {
    if (t.name.empty() || t.name == "__metadata__") fail("{}: invalid tensor name '{}'", file, t.name);
    std::uint64_t numel = 1;
    for (std::int64_t d : t.shape) {
      if (d < 0) fail("{}: tensor '{}': negative dimension in shape {}", file, t.name, format_shape(t.shape));
      if (__builtin_mul_overflow(numel, static_cast<std::uint64_t>(d), &numel))
        fail("{}: tensor '{}': shape {} is too large", file, t.name, format_shape(t.shape));
    }
    if (t.bytes.size() != numel * dtype_size(t.dtype))
      fail("{}: tensor '{}' has {} bytes but shape {} x {} needs {}", file, t.name, t.bytes.size(),
           format_shape(t.shape), dtype_name(t.dtype), numel * dtype_size(t.dtype));
    sorted.push_back(&t);
  }
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->name < b->name; });
  for (std::size_t i = 1; i < sorted.size(); ++i)
    if (sorted[i]->name == sorted[i - 1]->name) fail("{}: tensor '{}' given twice", file, sorted[i]->name);

  const std::string header = build_header(file, sorted, metadata);
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  static std::atomic<unsigned> counter{0};
  const fs::path tmp = dir / fmt::format(".{}.tmp.{}.{}", path.filename().string(), ::getpid(), counter++);

  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (fd.get() < 0) fail("{}: cannot create temp file {}: {}", file, tmp.string(), std::strerror(errno));
  try {
    const std::uint64_t n = header.size();  // little-endian on every supported host
    write_all(fd.get(), &n, 8, file);
    write_all(fd.get(), header.data(), header.size(), file);
    for (const TensorToWrite* t : sorted) write_all(fd.get(), t->bytes.data(), t->bytes.size(), file);
    if (::fsync(fd.get()) != 0) fail("{}: fsync failed: {}", file, std::strerror(errno));
    if (::close(fd.release()) != 0) fail("{}: close failed: {}", file, std::strerror(errno));
    if (::rename(tmp.c_str(), path.c_str()) != 0) fail("{}: rename failed: {}", file, std::strerror(errno));
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  Fd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd.get() >= 0) ::fsync(dfd.get());  // best effort: make the rename durable
}

}  // namespace z2z::model
