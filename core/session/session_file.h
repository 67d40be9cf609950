// Session files: versioned JSON (docs/session-format.md). to_json() writes the whole log, one step
// per line; save() writes it with write-then-rename. from_json()/load() validate every field and
// throw z2z::Error naming it ("session.json: steps[12].base_ids[0]: expected an integer"); a
// truncated, oversized, deeply nested or inconsistent file never crashes and never half-loads.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/session/session.h"

namespace z2z::session {

inline constexpr const char* kFormatName = "z2z.session";
inline constexpr int kFormatVersion = 1;

std::string to_json(const Session& s);
void save(const Session& s, const std::filesystem::path& path);

// `source` names the file in errors. Files are limited to 2 GiB.
Session from_json(std::string_view json_text, const std::string& source = "session");
Session load(const std::filesystem::path& path);

}  // namespace z2z::session
