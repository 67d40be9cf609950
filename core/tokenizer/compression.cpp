// compress_stats(): tokenize + LZW encode + counts; lzw_config_for(): the tokenizer's LZW setup.
#include "core/tokenizer/compression.h"

#include "core/lzw/codec.h"

namespace z2z::tok {

lzw::LzwConfig lzw_config_for(const Tokenizer& tokenizer, std::int64_t max_codebook_size, std::int32_t max_subtokens,
                              DisabledSet disabled) {
  lzw::LzwConfig c;
  c.initial_vocab_size = tokenizer.vocab_size();
  c.max_codebook_size = max_codebook_size;
  c.max_subtokens = max_subtokens;
  const auto& added = tokenizer.added_tokens();
  c.pad_token_id = 0;
  bool have_pad = false;
  for (const auto& a : added)
    if (a.special && !have_pad) {
      c.pad_token_id = a.id;
      have_pad = true;
    }
  if (!have_pad && !added.empty()) c.pad_token_id = added.front().id;
  for (const auto& a : added)
    if (disabled == DisabledSet::Added || (disabled == DisabledSet::Special && a.special))
      c.disabled_ids.push_back(a.id);
  return c;
}

CompressionStats compress_stats(const Tokenizer& tokenizer, std::string_view text, const lzw::CompressionConfig& config,
                                const EncodeOptions& options) {
  CompressionStats s;
  s.bytes = text.size();
  const std::vector<std::int32_t> ids = tokenizer.encode_ids(text, options);
  s.base_tokens = ids.size();
  const lzw::EncodeResult r = lzw::encode(config, ids);
  s.codes = r.codes.size();
  for (std::int32_t c : r.codes) s.hypertokens_used += c >= config.V() && !config.is_disabled(c);
  s.codebook_size = r.codebook.size();
  return s;
}

}  // namespace z2z::tok
