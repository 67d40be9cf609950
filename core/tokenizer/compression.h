// Token efficiency of zip2zip on a text: tokenize with a Tokenizer, LZW-encode the base ids, count.
// The LZW setup for a tokenizer (lzw_config_for): V = vocab_size() (max id + 1, added tokens
// included), disabled ids (never merged, hard boundaries) = every added token (special or not, as
// the reference's v2 export does; default) or only the special ones, pad = the first special token
// of added_tokens (else the first added token, else 0; always disabled).
// Gemma-3's "\n" and whitespace runs are non-special added tokens: disabling them cuts LZW at every
// newline. This is what `z2z compress` and the
// token-efficiency table use (paper, reference §5: K = unlimited, S = 4, the whole text one chunk).
// Not the codec itself (core/lzw/).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/lzw/config.h"
#include "core/tokenizer/tokenizer.h"

namespace z2z::tok {

enum class DisabledSet { Added, Special, None };  // None: only the pad id

lzw::LzwConfig lzw_config_for(const Tokenizer& tokenizer, std::int64_t max_codebook_size, std::int32_t max_subtokens,
                              DisabledSet disabled = DisabledSet::Added);

struct CompressionStats {
  std::size_t bytes = 0;             // UTF-8 bytes of the text
  std::size_t base_tokens = 0;       // tokenizer ids
  std::size_t codes = 0;             // LZW codes
  std::size_t hypertokens_used = 0;  // codes that are hypertokens (id >= V, not disabled)
  std::size_t codebook_size = 0;     // entries created
  double bytes_per_token_base() const { return base_tokens ? double(bytes) / double(base_tokens) : 0.0; }
  double bytes_per_token_zip() const { return codes ? double(bytes) / double(codes) : 0.0; }
  double compression_rate() const { return base_tokens ? double(codes) / double(base_tokens) : 1.0; }
};

CompressionStats compress_stats(const Tokenizer& tokenizer, std::string_view text, const lzw::CompressionConfig& config,
                                const EncodeOptions& options = {});

}  // namespace z2z::tok
