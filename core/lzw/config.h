// LzwConfig — the compression configuration of the zip2zip LZW codec (reference §1.1).
//
// V = initial_vocab_size: ids < V are base tokens, ids >= V hypertokens.
// K = max_codebook_size: hypertoken ids live in [V, V+K). K may be "unlimited" (kUnlimited).
// S = max_subtokens: max base tokens in one codebook entry and in one emitted code.
// pad_token_id is always a disabled id; disabled ids are hard boundaries that never merge.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace z2z::lzw {

using TokenId = std::int32_t;

struct LzwConfig {
  static constexpr std::int64_t kUnlimited = std::numeric_limits<std::int32_t>::max();

  std::int64_t initial_vocab_size = 0;  // V
  std::int64_t max_codebook_size = 0;   // K (kUnlimited: as many as ids allow)
  std::int32_t max_subtokens = 4;       // S
  TokenId pad_token_id = 0;
  std::vector<TokenId> disabled_ids;  // any order on input; normalized() sorts, dedups, adds pad
};

// A validated configuration with O(1) disabled-id lookup. Cheap to copy: the disabled set and its
// bitmap are immutable and shared between copies (a decoder per document copies its config).
class CompressionConfig {
 public:
  // Throws z2z::Error naming the bad field (V <= 0, K < 0, S < 1, negative ids, ...).
  explicit CompressionConfig(const LzwConfig& config);

  std::int64_t V() const { return v_; }
  std::int64_t K() const { return k_; }
  std::int32_t S() const { return s_; }
  TokenId pad() const { return pad_; }
  // First id past the hypertoken range: min(V + K, INT32_MAX + 1).
  std::int64_t id_limit() const { return limit_; }
  const std::vector<TokenId>& disabled_ids() const { return disabled_->ids; }  // sorted, includes pad

  bool is_disabled(TokenId id) const {
    if (id < min_disabled_) return false;  // the common case: specials sit at the end of the vocab
    const auto u = static_cast<std::size_t>(id);
    if (u < bitmap_bits_) return (bitmap_[u >> 6] >> (u & 63)) & 1u;  // bitmap_ points into disabled_
    return bitmap_is_complete_ ? false : is_disabled_slow(id);
  }

  LzwConfig to_lzw_config() const;
  std::string describe() const;  // "V=27 K=100 S=5 pad=0 disabled={0,26}"

 private:
  bool is_disabled_slow(TokenId id) const;

  std::int64_t v_, k_, limit_;
  std::int32_t s_;
  TokenId pad_;
  struct DisabledSet {
    std::vector<TokenId> ids;
    std::vector<std::uint64_t> bitmap;  // bit i set = id i disabled, for ids < bitmap_bits
  };
  std::shared_ptr<const DisabledSet> disabled_;
  TokenId min_disabled_ = 0;
  const std::uint64_t* bitmap_ = nullptr;
  std::size_t bitmap_bits_ = 0;
  bool bitmap_is_complete_ = true;
};

}  // namespace z2z::lzw
