// Session files: versioned JSON (docs/session-format.md). to_json() writes the whole log, one step
// per line; save() writes it with write-then-rename. from_json()/load() validate every field and
// throw z2z::Error naming it ("session.json: steps[12].base_ids[0]: expected an integer"); a
// truncated, oversized, deeply nested or inconsistent file never crashes and never half-loads.
// Files in to_json()'s layout are read by a fast single-pass reader (~5x faster); anything else, and
// every error, goes through the general reader (session_readers.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/session/session.h"

namespace z2z::session {

inline constexpr const char* kFormatName = "z2z.session";
inline constexpr int kFormatVersion = 1;

std::string to_json(const Session& s);
void save(const Session& s, const std::filesystem::path& path);

// The session JSON built incrementally (the studio's autosave): serialize() writes only the steps
// appended since the previous call into a new immutable chunk (at most `max_steps` per call, so a long
// session can be caught up in slices); snapshot() catches up and returns head + shared chunks + tail,
// so taking one on the session's thread costs O(new steps) and its text() can be built and written on
// another thread. snapshot(s).text() == to_json(s). A different or shorter session starts over.
class JsonSnapshots {
 public:
  struct Snapshot {
    std::string head, tail;
    std::vector<std::shared_ptr<const std::string>> chunks;
    std::int64_t steps = 0;
    std::string text() const;
  };
  bool serialize(const Session& s, std::int64_t max_steps = -1);  // true when caught up
  Snapshot snapshot(const Session& s);
  std::int64_t serialized_steps() const { return steps_; }
  void reset();

 private:
  const Session* session_ = nullptr;
  std::vector<std::shared_ptr<const std::string>> chunks_;
  std::int64_t steps_ = 0;
};
void save(const JsonSnapshots::Snapshot& snapshot, const std::filesystem::path& path);

// Reading progress: bytes of the JSON text read so far, of `total`. Called from the reading thread
// about every MiB (files in to_json()'s layout only) and once at the end.
using LoadProgress = std::function<void(std::size_t done, std::size_t total)>;

// `source` names the file in errors. Files are limited to 2 GiB.
Session from_json(std::string_view json_text, const std::string& source = "session", const LoadProgress& progress = {});
Session load(const std::filesystem::path& path, const LoadProgress& progress = {});

}  // namespace z2z::session
