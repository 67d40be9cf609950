// Small helpers to print JSON with a fixed key order (nlohmann's object sorts keys as strings,
// which would put "100" before "27" in codebook dumps).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/lzw/codebook.h"

namespace z2z::cli {

inline std::string json_array(std::span<const std::int32_t> v) { return fmt::format("[{}]", fmt::join(v, ",")); }

// {"27":[1,2],"28":[2,3],...} in id order.
inline std::string json_codebook(const lzw::Codebook& cb) {
  std::string out = "{";
  bool first = true;
  cb.for_each_entry([&](std::int32_t id, std::span<const std::int32_t> e) {
    out += fmt::format("{}\"{}\":{}", first ? "" : ",", id, json_array(e));
    first = false;
  });
  out += "}";
  return out;
}

}  // namespace z2z::cli
