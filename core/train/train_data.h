// Training windows for `z2z train`: a token stream cut into fixed-length windows, either plain base
// ids (CLM) or LZW-compressed (zip2zip, reference §2.6): each window is compressed with a fresh
// codebook, truncated at seq_len + 1 codes, and carries its final codebook as the (K, S) hypertoken
// table plus, per slot, the position at which the streaming decoder installs it. Pure C++ (no torch);
// cached on disk in a small binary format (magic "Z2ZW", version 1).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/lzw/config.h"

namespace z2z::train {

struct WindowOptions {
  std::int64_t seq_len = 256;  // codes per window input (targets are shifted by one)
  bool zip = true;
  std::optional<lzw::LzwConfig> lzw;  // required when zip
};

struct Windows {
  std::int64_t count = 0, seq_len = 0, K = 0, S = 0;
  std::int32_t pad = 0;
  std::vector<std::int32_t> codes;        // [count, seq_len + 1], right-padded with pad
  std::vector<std::int32_t> rows;         // [count, K, S] codebook rows (zip only), pad-padded
  std::vector<std::int32_t> created_at;   // [count, K] code index whose decoding installs the slot; -1 unused
  std::vector<float> target_bytes;        // [count, seq_len] UTF-8 bytes of each target (0 for pad)
  std::int64_t base_tokens = 0;           // base tokens covered by all windows

  std::int32_t code(std::int64_t w, std::int64_t t) const { return codes[static_cast<std::size_t>(w * (seq_len + 1) + t)]; }
  Windows slice(std::int64_t begin, std::int64_t end) const;  // windows [begin, end)
};

// `stream`: base ids of all documents, each followed by a separator id (disabled when zipping).
// `token_bytes[id]`: UTF-8 byte length of base token id (for byte-perplexity).
Windows build_windows(const std::vector<std::int32_t>& stream, const std::vector<float>& token_bytes,
                      const WindowOptions& options);

void save_windows(const std::filesystem::path& path, const Windows& w);
std::optional<Windows> load_windows(const std::filesystem::path& path);  // nullopt if absent/stale format

}  // namespace z2z::train
