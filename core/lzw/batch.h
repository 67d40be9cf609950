// Batch / offline helpers around the codec (reference §1.6, §1.7): batch encode with left
// padding, continuous (chunked) encode, and the padded (K x S) codebook layout the model uses.
#pragma once

#include <cstdint>
#include <vector>

#include "core/lzw/codec.h"

namespace z2z::lzw {

struct BatchEncodeResult {
  std::vector<std::vector<TokenId>> codes;
  std::vector<std::vector<std::uint8_t>> attention_mask;  // code != pad
  std::vector<Codebook> codebooks;
};

// Rows are encoded independently, each with a fresh codebook. Padding::Longest left-pads every
// row to the longest row; Padding::MaxLength left-pads inside encode (requires max_length).
BatchEncodeResult batch_encode(const CompressionConfig& config, const std::vector<std::vector<TokenId>>& rows,
                               const EncodeOptions& options = {});

struct Chunk {
  std::vector<TokenId> codes;
  Codebook codebook;
  std::size_t next_offset = 0;
};

// For each document, repeatedly encode from `offset` with truncation at max_length and a fresh
// codebook while min_length < remaining ids. Buffered ids at a chunk end are dropped, as in the
// reference (TV8). With use_padding, chunks are left-padded to max_length.
std::vector<std::vector<Chunk>> continuous_encode(const CompressionConfig& config,
                                                  const std::vector<std::vector<TokenId>>& documents,
                                                  std::int64_t max_length, std::int64_t min_length = 0,
                                                  bool use_padding = true);

// Codebook rows sorted by id, each right-padded with pad to S. With use_padding the result is
// exactly K rows (unused rows all pad); K must then be finite and K*S <= 2^31.
std::vector<std::vector<TokenId>> codebook_to_rows(const CompressionConfig& config, const Codebook& codebook,
                                                   bool use_padding);

}  // namespace z2z::lzw
