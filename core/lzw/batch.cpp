// Batch encode, continuous encode and padded codebook rows.
#include "core/lzw/batch.h"

#include <algorithm>

#include "core/util/error.h"

namespace z2z::lzw {

BatchEncodeResult batch_encode(const CompressionConfig& config, const std::vector<std::vector<TokenId>>& rows,
                               const EncodeOptions& options) {
  BatchEncodeResult r;
  r.codes.reserve(rows.size());
  r.codebooks.reserve(rows.size());
  EncodeOptions per_row = options;
  if (options.padding == Padding::Longest) per_row.padding = Padding::None;
  for (const auto& row : rows) {
    EncodeResult e = encode(config, row, per_row);
    r.codes.push_back(std::move(e.codes));
    r.codebooks.push_back(std::move(e.codebook));
  }
  if (options.padding == Padding::Longest) {
    std::size_t longest = 0;
    for (const auto& c : r.codes) longest = std::max(longest, c.size());
    for (auto& c : r.codes) c.insert(c.begin(), longest - c.size(), config.pad());
  }
  r.attention_mask.reserve(r.codes.size());
  for (const auto& c : r.codes) {
    std::vector<std::uint8_t> m(c.size());
    std::transform(c.begin(), c.end(), m.begin(), [&](TokenId x) { return x != config.pad() ? 1 : 0; });
    r.attention_mask.push_back(std::move(m));
  }
  return r;
}

std::vector<std::vector<Chunk>> continuous_encode(const CompressionConfig& config,
                                                  const std::vector<std::vector<TokenId>>& documents,
                                                  std::int64_t max_length, std::int64_t min_length, bool use_padding) {
  if (max_length <= 0) fail("lzw continuous_encode: max_length must be > 0, got {}", max_length);
  if (min_length < 0) fail("lzw continuous_encode: min_length must be >= 0, got {}", min_length);
  EncodeOptions opt;
  opt.truncation = true;
  opt.max_length = max_length;
  opt.padding = use_padding ? Padding::MaxLength : Padding::None;
  std::vector<std::vector<Chunk>> out;
  out.reserve(documents.size());
  for (const auto& doc : documents) {
    std::vector<Chunk> chunks;
    std::size_t offset = 0;
    while (static_cast<std::int64_t>(doc.size() - offset) > min_length) {
      EncodeResult e = encode(config, doc, opt, offset);
      offset = e.next_offset;
      chunks.push_back(Chunk{std::move(e.codes), std::move(e.codebook), offset});
    }
    out.push_back(std::move(chunks));
  }
  return out;
}

std::vector<std::vector<TokenId>> codebook_to_rows(const CompressionConfig& config, const Codebook& codebook,
                                                   bool use_padding) {
  const auto S = static_cast<std::size_t>(config.S());
  std::vector<std::vector<TokenId>> rows;
  if (use_padding) {
    if (config.K() >= LzwConfig::kUnlimited || config.K() * config.S() > (std::int64_t{1} << 31))
      fail("lzw: padded codebook needs a finite K with K*S <= 2^31 (K={}, S={})", config.K(), config.S());
    rows.assign(static_cast<std::size_t>(config.K()), std::vector<TokenId>(S, config.pad()));
    codebook.for_each_entry([&](TokenId id, std::span<const TokenId> e) {
      auto slot = static_cast<std::size_t>(id - config.V());
      if (slot < rows.size()) std::copy(e.begin(), e.end(), rows[slot].begin());
    });
  } else {
    codebook.for_each_entry([&](TokenId, std::span<const TokenId> e) {
      std::vector<TokenId> row(S, config.pad());
      std::copy(e.begin(), e.end(), row.begin());
      rows.push_back(std::move(row));
    });
  }
  return rows;
}

}  // namespace z2z::lzw
