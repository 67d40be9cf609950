// Safetensors I/O without libtorch: memory-mapped, validated reading (single files and HF sharded
// indexes), float widening to f32, and atomic writing. Pure byte/shape handling — it does not know what
// any tensor means (decoder, encoder and LoRA key names are the engine's business) and never copies
// tensor data on open. Format: 8-byte little-endian header length N, N bytes of JSON header, data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace z2z::model {

class MappedFile;

enum class DType { F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL };

std::size_t dtype_size(DType);
std::string_view dtype_name(DType);                             // "F32", "BF16", ... (safetensors spelling)
std::optional<DType> parse_dtype(std::string_view name);        // inverse of dtype_name; nullopt if unknown
bool is_float_dtype(DType);                                     // F32/F16/BF16/F64
std::string format_shape(std::span<const std::int64_t> shape);  // "[2, 3]"

// One tensor of an open file. `data` points into the read-only mapping and stays valid while the owning
// SafetensorsFile lives (TensorStore keeps its files alive). `data` may be unaligned when the writer did
// not pad the header to 8 bytes: read through memcpy or to_f32. Zero-size tensors have nbytes == 0.
struct TensorView {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
  const std::byte* data = nullptr;
  std::size_t nbytes = 0;

  std::int64_t numel() const;  // product of shape (1 for a scalar, shape [])
};

// A memory-mapped (mmap, read-only) .safetensors file, fully validated on open (see docs/model-files.md).
// Truncating the file on disk while it is mapped is undefined (SIGBUS) — as for every mmap reader.
class SafetensorsFile {
 public:
  static std::shared_ptr<SafetensorsFile> open(const std::filesystem::path& path);  // throws z2z::Error
  // The same parse and validation over a file image held in memory (the bytes are copied; `name` stands
  // for the path in errors). For tests and fuzzing.
  static std::shared_ptr<SafetensorsFile> from_bytes(std::span<const std::byte> bytes,
                                                     const std::filesystem::path& name);

  ~SafetensorsFile();
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  const TensorView* find(std::string_view name) const;  // nullptr if absent
  const TensorView& at(std::string_view name) const;    // throws z2z::Error "<file>: tensor '<name>' not found"
  std::vector<std::string> names() const;               // sorted
  std::size_t size() const { return tensors_.size(); }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

 private:
  SafetensorsFile() = default;
  void parse(const std::byte* bytes, std::uint64_t size);  // header + views over bytes[0, size)

  std::filesystem::path path_;
  std::unique_ptr<MappedFile> map_;
  std::vector<std::byte> owned_;  // from_bytes: the file image (never resized after parse)
  std::map<std::string, TensorView, std::less<>> tensors_;
  std::map<std::string, std::string> metadata_;
};

// The tensors of one model: a single <stem>.safetensors, or the shards listed by
// <stem>.safetensors.index.json ("weight_map": tensor name -> shard file). Cheap to copy (shares files).
class TensorStore {
 public:
  // <dir>/<stem>.safetensors if present, else <dir>/<stem>.safetensors.index.json (HF's order).
  static TensorStore open_dir(const std::filesystem::path& dir, std::string_view stem = "model");
  // A .safetensors file, or an index when the name ends in ".index.json".
  static TensorStore open_file(const std::filesystem::path& file);

  const TensorView* find(std::string_view name) const;
  const TensorView& at(std::string_view name) const;  // throws "<source>: tensor '<name>' not found"
  std::vector<std::string> names() const;             // sorted
  std::size_t size() const { return tensors_.size(); }
  std::string file_of(std::string_view name) const;  // path of the file holding the tensor; throws if absent
  const std::filesystem::path& source() const { return source_; }  // the file or index that was opened
  const std::vector<std::shared_ptr<SafetensorsFile>>& files() const { return files_; }

 private:
  struct Entry {
    const TensorView* view;
    std::size_t file;
  };
  std::filesystem::path source_;
  std::vector<std::shared_ptr<SafetensorsFile>> files_;
  std::map<std::string, Entry, std::less<>> tensors_;
};

// Convert any float dtype (F32/F16/BF16/F64) to f32, element order unchanged. Throws for non-float dtypes.
// `out` must hold t.numel() floats.
void to_f32(const TensorView& t, float* out);
std::vector<float> to_f32(const TensorView& t);

struct TensorToWrite {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
  std::vector<std::byte> bytes;  // little-endian, numel × dtype_size(dtype)
};

// Write atomically (temp file in the same dir + fsync + rename). Tensors laid out in name order, header
// padded with spaces to a multiple of 8 bytes like HF. Throws z2z::Error on invalid tensors (size
// mismatch, duplicate or empty name, "__metadata__" as a name) or I/O failure; never leaves a partial file.
void write_safetensors(const std::filesystem::path& path, const std::vector<TensorToWrite>& tensors,
                       const std::map<std::string, std::string>& metadata = {});

// A TensorToWrite from f32 values converted to F32/F16/BF16/F64 (round-to-nearest-even for bf16/f16).
TensorToWrite make_tensor(std::string name, DType dtype, std::vector<std::int64_t> shape,
                          std::span<const float> values);

}  // namespace z2z::model
