// SafetensorsFile::open: mmap the file, parse and validate the header, build the TensorViews.
// Every rule violation throws z2z::Error naming the file (and tensor). Not the sharded index
// (tensor_store.cpp) and not writing (safetensors_write.cpp).
#include <algorithm>
#include <cstring>
#include <limits>

#include "core/model/format/json_file.h"
#include "core/model/format/mapped_file.h"
#include "core/model/format/safetensors.h"
#include "core/util/error.h"

namespace z2z::model {

using nlohmann::json;

namespace {

constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;  // 100 MB, as the reference implementation
constexpr std::string_view kDtypeList = "F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL";

std::optional<std::uint64_t> as_u64(const json& v) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(v.get<std::int64_t>());
  return std::nullopt;
}

struct Range {
  std::uint64_t begin, end;
  const std::string* name;
};

TensorView parse_entry(const std::string& file, const std::string& name, const json& e, const std::byte* data,
                       std::uint64_t data_size) {
  if (!e.is_object()) fail("{}: tensor '{}': entry must be a JSON object, got {}", file, name, json_excerpt(e));
  auto field = [&](const char* key) -> const json& {
    auto it = e.find(key);
    if (it == e.end()) fail("{}: tensor '{}': missing '{}'", file, name, key);
    return *it;
  };
  const json& jd = field("dtype");
  const json& js = field("shape");
  const json& jo = field("data_offsets");

  if (!jd.is_string()) fail("{}: tensor '{}': 'dtype' must be a string, got {}", file, name, json_excerpt(jd));
  const auto dtype = parse_dtype(jd.get_ref<const std::string&>());
  if (!dtype)
    fail("{}: tensor '{}': unknown dtype '{}' (supported: {})", file, name, jd.get_ref<const std::string&>(),
         kDtypeList);

  if (!js.is_array())
    fail("{}: tensor '{}': 'shape' must be an array of integers, got {}", file, name, json_excerpt(js));
  std::vector<std::int64_t> shape;
  shape.reserve(js.size());
  for (const json& d : js) {
    if (d.is_number_unsigned() && d.get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
      fail("{}: tensor '{}': dimension {} in 'shape' is too large", file, name, d.get<std::uint64_t>());
    if (!d.is_number_integer())
      fail("{}: tensor '{}': 'shape' must be an array of integers, got {}", file, name, json_excerpt(js));
    shape.push_back(d.get<std::int64_t>());
  }
  for (std::int64_t d : shape)
    if (d < 0) fail("{}: tensor '{}': negative dimension {} in shape {}", file, name, d, format_shape(shape));
  std::uint64_t numel = 1;
  for (std::int64_t d : shape)
    if (__builtin_mul_overflow(numel, static_cast<std::uint64_t>(d), &numel) ||
        numel > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
      fail("{}: tensor '{}': shape {} is too large (element count overflows)", file, name, format_shape(shape));
  std::uint64_t need = 0;
  if (__builtin_mul_overflow(numel, std::uint64_t(dtype_size(*dtype)), &need))
    fail("{}: tensor '{}': shape {} is too large (byte size overflows)", file, name, format_shape(shape));

  std::optional<std::uint64_t> begin, end;
  if (jo.is_array() && jo.size() == 2) begin = as_u64(jo[0]), end = as_u64(jo[1]);
  if (!begin || !end)
    fail("{}: tensor '{}': 'data_offsets' must be [begin, end] (non-negative integers), got {}", file, name,
         json_excerpt(jo));
  if (*end < *begin) fail("{}: tensor '{}': data_offsets [{}, {}] end before begin", file, name, *begin, *end);
  if (*end > data_size)
    fail("{}: tensor '{}': data_offsets [{}, {}] out of the data section ({} bytes)", file, name, *begin, *end,
         data_size);
  if (*end - *begin != need)
    fail("{}: tensor '{}': data_offsets [{}, {}] but shape {} x {} needs {} bytes", file, name, *begin, *end,
         format_shape(shape), dtype_name(*dtype), need);

  return TensorView{name, *dtype, std::move(shape), data + *begin, static_cast<std::size_t>(need)};
}

}  // namespace

std::shared_ptr<SafetensorsFile> SafetensorsFile::open(const std::filesystem::path& path) {
  std::shared_ptr<SafetensorsFile> f(new SafetensorsFile());
  f->path_ = path;
  f->map_ = std::make_unique<MappedFile>(path);
  f->parse(f->map_->data(), f->map_->size());
  return f;
}

std::shared_ptr<SafetensorsFile> SafetensorsFile::from_bytes(std::span<const std::byte> bytes,
                                                             const std::filesystem::path& name) {
  std::shared_ptr<SafetensorsFile> f(new SafetensorsFile());
  f->path_ = name;
  f->owned_.assign(bytes.begin(), bytes.end());
  f->parse(f->owned_.data(), f->owned_.size());
  return f;
}

void SafetensorsFile::parse(const std::byte* bytes, std::uint64_t size) {
  const std::string file = path_.string();

  if (size < 8) fail("{}: file is {} bytes, too short for a safetensors header (needs at least 8)", file, size);
  std::uint64_t header_len = 0;
  std::memcpy(&header_len, bytes, 8);  // little-endian (static_assert in float_convert.cpp)
  if (header_len > size - 8)
    fail("{}: header length {} exceeds the file size ({} bytes): truncated or not a safetensors file", file, header_len,
         size);
  if (header_len > kMaxHeaderBytes) fail("{}: header length {} exceeds the 100 MB limit", file, header_len);

  const std::string_view text(reinterpret_cast<const char*>(bytes + 8), header_len);
  const json header = parse_json_bounded(text, file + ": header");
  if (!header.is_object()) fail("{}: header must be a JSON object, got {}", file, json_excerpt(header));

  const std::byte* data = bytes + 8 + header_len;
  const std::uint64_t data_size = size - 8 - header_len;
  std::vector<Range> ranges;
  for (auto it = header.begin(); it != header.end(); ++it) {
    if (it.key() == "__metadata__") {
      if (!it->is_object()) fail("{}: '__metadata__' must be an object of strings", file);
      for (auto m = it->begin(); m != it->end(); ++m) {
        if (!m->is_string()) fail("{}: '__metadata__' must be an object of strings ('{}' is not)", file, m.key());
        metadata_[m.key()] = m->get<std::string>();
      }
      continue;
    }
    TensorView v = parse_entry(file, it.key(), *it, data, data_size);
    const auto begin = static_cast<std::uint64_t>(v.data - data);
    const auto pos = tensors_.emplace(it.key(), std::move(v)).first;
    if (pos->second.nbytes > 0) ranges.push_back(Range{begin, begin + pos->second.nbytes, &pos->first});
  }

  std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) { return a.begin < b.begin; });
  for (std::size_t i = 1; i < ranges.size(); ++i) {
    const Range& a = ranges[i - 1];
    const Range& b = ranges[i];
    if (b.begin < a.end)
      fail("{}: tensors '{}' [{}, {}] and '{}' [{}, {}] overlap", file, *a.name, a.begin, a.end, *b.name, b.begin,
           b.end);
  }
}

SafetensorsFile::~SafetensorsFile() = default;

const TensorView* SafetensorsFile::find(std::string_view name) const {
  auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : &it->second;
}

const TensorView& SafetensorsFile::at(std::string_view name) const {
  if (const TensorView* v = find(name)) return *v;
  fail("{}: tensor '{}' not found", path_.string(), name);
}

std::vector<std::string> SafetensorsFile::names() const {
  std::vector<std::string> out;
  out.reserve(tensors_.size());
  for (const auto& [name, view] : tensors_) out.push_back(name);
  return out;
}

}  // namespace z2z::model
