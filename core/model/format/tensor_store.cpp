// TensorStore: one name -> tensor view over a single safetensors file or an HF sharded index
// (<stem>.safetensors.index.json: {"metadata": {...}, "weight_map": {tensor: shard file}}).
// Validates the index (shards exist, contain what they are said to contain, no tensor listed twice).
#include <algorithm>

#include "core/model/format/json_file.h"
#include "core/model/format/safetensors.h"
#include "core/util/error.h"

namespace z2z::model {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxIndexBytes = std::size_t{100} << 20;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A shard name must stay inside the index's directory.
bool safe_relative(const fs::path& p) {
  if (p.empty() || p.is_absolute() || p.has_root_name()) return false;
  for (const auto& part : p)
    if (part == "..") return false;
  return true;
}

}  // namespace

TensorStore TensorStore::open_file(const fs::path& file) {
  TensorStore store;
  store.source_ = file;
  const std::string src = file.string();
  if (!ends_with(file.filename().string(), ".index.json")) {
    store.files_.push_back(SafetensorsFile::open(file));
    for (const auto& name : store.files_[0]->names())
      store.tensors_.emplace(name, Entry{store.files_[0]->find(name), 0});
    return store;
  }

  const json index = load_json_file(file, kMaxIndexBytes);
  if (!index.is_object()) fail("{}: index must be a JSON object", src);
  auto wm = index.find("weight_map");
  if (wm == index.end()) fail("{}: missing 'weight_map'", src);
  if (!wm->is_object()) fail("{}: 'weight_map' must be an object mapping tensor names to shard file names", src);

  std::map<std::string, std::size_t> shard_ids;  // shard name -> index in files_
  for (auto it = wm->begin(); it != wm->end(); ++it) {
    if (!it->is_string())
      fail("{}: 'weight_map' must be an object mapping tensor names to shard file names ('{}' maps to {})", src,
           it.key(), json_excerpt(*it));
    const std::string& shard = it->get_ref<const std::string&>();
    auto [sid, fresh] = shard_ids.emplace(shard, store.files_.size());
    if (fresh) {
      if (!safe_relative(shard))
        fail("{}: shard '{}' must be a relative path inside the index's directory", src, shard);
      const fs::path shard_path = file.parent_path() / shard;
      std::error_code ec;
      if (!fs::is_regular_file(shard_path, ec))
        fail("{}: shard '{}' (holding tensor '{}') not found: {}", src, shard, it.key(), shard_path.string());
      store.files_.push_back(SafetensorsFile::open(shard_path));
    }
    const TensorView* view = store.files_[sid->second]->find(it.key());
    if (!view) fail("{}: tensor '{}' is mapped to shard '{}' but that file does not contain it", src, it.key(), shard);
    store.tensors_.emplace(it.key(), Entry{view, sid->second});
  }
  return store;
}

TensorStore TensorStore::open_dir(const fs::path& dir, std::string_view stem) {
  const fs::path single = dir / (std::string(stem) + ".safetensors");
  const fs::path index = dir / (std::string(stem) + ".safetensors.index.json");
  std::error_code ec;
  if (fs::is_regular_file(single, ec)) return open_file(single);
  if (fs::is_regular_file(index, ec)) return open_file(index);
  std::string hint;
  for (const char* legacy : {"pytorch_model.bin", "pytorch_model.bin.index.json", "model.pt"})
    if (fs::exists(dir / legacy, ec)) hint = fmt::format(" (found {}: only safetensors weights are supported)", legacy);
  fail("{}: no {}.safetensors or {}.safetensors.index.json{}", dir.string(), stem, stem, hint);
}

const TensorView* TensorStore::find(std::string_view name) const {
  auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : it->second.view;
}

const TensorView& TensorStore::at(std::string_view name) const {
  if (const TensorView* v = find(name)) return *v;
  fail("{}: tensor '{}' not found", source_.string(), name);
}

std::vector<std::string> TensorStore::names() const {
  std::vector<std::string> out;
  out.reserve(tensors_.size());
  for (const auto& [name, e] : tensors_) out.push_back(name);
  return out;
}

std::string TensorStore::file_of(std::string_view name) const {
  auto it = tensors_.find(name);
  if (it == tensors_.end()) fail("{}: tensor '{}' not found", source_.string(), name);
  return files_[it->second.file]->path().string();
}

}  // namespace z2z::model
