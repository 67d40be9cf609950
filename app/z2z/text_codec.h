// TextCodec — what the CLI needs from a tokenizer: text -> base ids and base ids -> raw UTF-8.
// Backed by core/tokenizer; loaded from --tokenizer or the model directory's tokenizer.json.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/model/zip2zip_model.h"

namespace z2z::cli {

class TextCodec {
 public:
  virtual ~TextCodec() = default;
  virtual std::vector<std::int32_t> encode(const std::string& text) const = 0;
  virtual std::string decode(std::span<const std::int32_t> ids) const = 0;
  // The raw bytes one token stands for in a text (views use it to place base-token boundaries).
  virtual std::string token_bytes(std::int32_t id) const { return decode(std::span<const std::int32_t>(&id, 1)); }
};

// `path` if given, else the model's tokenizer.json; throws z2z::Error if neither exists.
std::unique_ptr<TextCodec> load_text_codec(const std::optional<std::string>& path, const model::ModelSummary& model);
std::unique_ptr<TextCodec> load_text_codec(const std::string& path);
std::string read_text_file(const std::string& path);

}  // namespace z2z::cli
