// CompressionConfig: validation and the disabled-id bitmap.
#include "core/lzw/config.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/util/error.h"

namespace z2z::lzw {

namespace {
constexpr std::size_t kMaxBitmap = std::size_t{1} << 22;  // 4 Mi ids = 4 MiB of flags
}

CompressionConfig::CompressionConfig(const LzwConfig& c)
    : v_(c.initial_vocab_size), k_(c.max_codebook_size), s_(c.max_subtokens), pad_(c.pad_token_id) {
  if (v_ <= 0 || v_ > std::numeric_limits<std::int32_t>::max())
    fail("lzw config: initial_vocab_size must be in 1..2147483647, got {}", v_);
  if (k_ < 0) fail("lzw config: max_codebook_size must be >= 0, got {}", k_);
  if (s_ < 1 || s_ > 65535) fail("lzw config: max_subtokens must be in 1..65535, got {}", s_);
  if (pad_ < 0) fail("lzw config: pad_token_id must be >= 0, got {}", pad_);
  limit_ = std::min<std::int64_t>(v_ + std::min<std::int64_t>(k_, LzwConfig::kUnlimited),
                                  std::int64_t{std::numeric_limits<std::int32_t>::max()} + 1);
  auto set = std::make_shared<DisabledSet>();
  std::vector<TokenId>& ids = set->ids;
  ids = c.disabled_ids;
  for (TokenId id : ids)
    if (id < 0) fail("lzw config: disabled_ids must be >= 0, got {}", id);
  ids.push_back(pad_);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());

  min_disabled_ = ids.front();
  bitmap_bits_ = std::min<std::size_t>(static_cast<std::size_t>(ids.back()) + 1, kMaxBitmap);
  set->bitmap.assign((bitmap_bits_ + 63) / 64, 0);
  for (TokenId id : ids) {
    const auto u = static_cast<std::size_t>(id);
    if (u < bitmap_bits_)
      set->bitmap[u >> 6] |= std::uint64_t{1} << (u & 63);
    else
      bitmap_is_complete_ = false;
  }
  bitmap_ = set->bitmap.data();  // stays valid: the set is never modified and lives as long as any copy
  disabled_ = std::move(set);
}

bool CompressionConfig::is_disabled_slow(TokenId id) const {
  return std::binary_search(disabled_->ids.begin(), disabled_->ids.end(), id);
}

LzwConfig CompressionConfig::to_lzw_config() const { return LzwConfig{v_, k_, s_, pad_, disabled_->ids}; }

std::string CompressionConfig::describe() const {
  std::string k = k_ >= LzwConfig::kUnlimited ? std::string("unlimited") : std::to_string(k_);
  return fmt::format("V={} K={} S={} pad={} disabled={{{}}}", v_, k, s_, pad_, fmt::join(disabled_->ids, ","));
}

}  // namespace z2z::lzw
