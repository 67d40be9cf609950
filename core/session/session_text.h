// Sessions without a model: from_text() tokenizes a text and encodes its ids with canonical LZW, one
// step per code (insertions reported as the streaming decoder makes them, like a model run), so
// every view works on any text. theory_vs_actual() compares a generated session with the canonical
// LZW of the same base ids. Not a generator: no probabilities, no timings.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/lzw/config.h"
#include "core/session/session.h"
#include "core/tokenizer/tokenizer.h"

namespace z2z::session {

// `text` that is not valid UTF-8 is made valid first (each bad byte -> U+FFFD). `tokenizer_name`
// goes to RunInfo::tokenizer.
Session from_text(const tok::Tokenizer& tokenizer, std::string_view text, const lzw::CompressionConfig& config,
                  std::string tokenizer_name = {});
// The same from base ids alone (no text); ids must be valid encoder input for `config`.
Session from_ids(std::span<const TokenId> ids, const lzw::CompressionConfig& config);

// Canonical LZW of the base ids of the whole session (prompt + steps) next to what was emitted.
struct TheoryVsActual {
  std::int64_t base_tokens = 0;
  std::int64_t actual_codes = 0;       // prompt codes + emitted codes
  std::int64_t canonical_codes = 0;    // lzw::encode of the same base ids with the same config
  std::int64_t first_difference = -1;  // first code index (prompt codes first) where the streams differ
  std::vector<TokenId> canonical;      // the canonical code stream
  std::string error;                   // why the canonical stream could not be computed ("" = ok)
  double actual_rate() const { return base_tokens ? double(actual_codes) / double(base_tokens) : 1.0; }
  double canonical_rate() const { return base_tokens ? double(canonical_codes) / double(base_tokens) : 1.0; }
};
TheoryVsActual theory_vs_actual(const Session& s);

}  // namespace z2z::session
