// CodebookManager — the streaming codebook state used during generation (reference §1.5).
//
// One DecoderState per batch row, created on the first update (the batch size is fixed then).
// Each update decodes the new codes of every row (rows that are exactly [pad] are skipped: the
// sequence has finished) and reports the entries created, sorted by id. The model embeds exactly
// these entries and scatters them into its hyper caches at slot = id - V.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/lzw/codec.h"

namespace z2z::lzw {

struct RowUpdates {
  std::vector<TokenId> ids;                   // new entry ids, ascending
  std::vector<std::vector<TokenId>> entries;  // their base ids (unpadded)
};

// The reference's padded layout: per row a flat list of S-wide rows (right-padded with pad) and
// the slot indices (id - V). First call: K*S long per row; later: padded to the batch's longest row.
struct PaddedUpdates {
  std::vector<std::vector<TokenId>> flat;
  std::vector<std::vector<std::int64_t>> indices;
};

class CodebookManager {
 public:
  explicit CodebookManager(const CompressionConfig& config);

  // Decode the new codes of every row; returns the entries each row created.
  // Throws z2z::Error for a batch size different from the first call or an invalid code (the
  // rows before the bad one keep their update; nothing is half-applied within a row's code).
  std::vector<RowUpdates> update(const std::vector<std::vector<TokenId>>& ids);
  // Same, in the reference's padded layout (use_padding = first call, as the reference runtime does).
  PaddedUpdates update_padded(const std::vector<std::vector<TokenId>>& ids);

  bool initialized() const { return !states_.empty(); }
  std::size_t batch_size() const { return states_.size(); }
  const DecoderState& state(std::size_t row) const { return states_.at(row); }
  // Subtokens of `id` in `row`: its entry, or [id] for base/unknown ids.
  std::vector<TokenId> subtokens(TokenId id, std::size_t row) const;
  // Base ids decoded so far per row (kept for views; the reference does not keep them).
  const std::vector<TokenId>& decoded(std::size_t row) const { return decoded_.at(row); }
  void reset();

 private:
  CompressionConfig config_;
  std::vector<DecoderState> states_;
  std::vector<std::vector<TokenId>> decoded_;
  bool first_padded_call_ = true;
};

}  // namespace z2z::lzw
