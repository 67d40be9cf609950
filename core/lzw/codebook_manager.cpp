// CodebookManager: per-row streaming decoders and their update lists.
#include "core/lzw/codebook_manager.h"

#include <algorithm>

#include "core/util/error.h"

namespace z2z::lzw {

CodebookManager::CodebookManager(const CompressionConfig& config) : config_(config) {}

void CodebookManager::reset() {
  states_.clear();
  decoded_.clear();
  first_padded_call_ = true;
}

std::vector<RowUpdates> CodebookManager::update(const std::vector<std::vector<TokenId>>& ids) {
  if (states_.empty()) {
    if (ids.empty()) fail("lzw manager: empty batch");
    states_.assign(ids.size(), DecoderState(config_));
    decoded_.assign(ids.size(), {});
  } else if (ids.size() != states_.size()) {
    fail("lzw manager: batch size {} differs from the first call's {}", ids.size(), states_.size());
  }
  std::vector<RowUpdates> out(ids.size());
  for (std::size_t b = 0; b < ids.size(); ++b) {
    const auto& row = ids[b];
    if (row.size() == 1 && row[0] == config_.pad()) continue;  // finished sequence
    DecoderState& st = states_[b];
    st.push(row, decoded_[b]);
    std::vector<TokenId> created = st.take_created();
    std::sort(created.begin(), created.end());
    out[b].ids = created;
    out[b].entries.reserve(created.size());
    for (TokenId id : created) {
      auto e = st.codebook().expansion(id);
      out[b].entries.emplace_back(e.begin(), e.end());
    }
  }
  return out;
}

PaddedUpdates CodebookManager::update_padded(const std::vector<std::vector<TokenId>>& ids) {
  std::vector<RowUpdates> ups = update(ids);
  const auto S = static_cast<std::size_t>(config_.S());
  std::size_t rows_per_batch = 0;
  if (first_padded_call_) {
    if (config_.K() >= LzwConfig::kUnlimited || config_.K() * config_.S() > (std::int64_t{1} << 31))
      fail("lzw manager: padded updates need a finite K with K*S <= 2^31");
    rows_per_batch = static_cast<std::size_t>(config_.K());
    first_padded_call_ = false;
  } else {
    for (const auto& u : ups) rows_per_batch = std::max(rows_per_batch, u.ids.size());
  }
  PaddedUpdates p;
  p.flat.assign(ups.size(), std::vector<TokenId>(rows_per_batch * S, config_.pad()));
  p.indices.resize(ups.size());
  for (std::size_t b = 0; b < ups.size(); ++b) {
    for (std::size_t i = 0; i < ups[b].ids.size() && i < rows_per_batch; ++i) {
      std::copy(ups[b].entries[i].begin(), ups[b].entries[i].end(),
                p.flat[b].begin() + static_cast<std::ptrdiff_t>(i * S));
      p.indices[b].push_back(ups[b].ids[i] - config_.V());
    }
  }
  return p;
}

std::vector<TokenId> CodebookManager::subtokens(TokenId id, std::size_t row) const {
  const DecoderState& st = states_.at(row);
  auto e = st.codebook().expansion(id);
  if (e.empty()) return {id};
  return {e.begin(), e.end()};
}

}  // namespace z2z::lzw
