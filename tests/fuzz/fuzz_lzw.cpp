// Fuzz target: the LZW codec with a random configuration. Input layout (see read_config):
//   bytes 0..4  V, K, S, pad and the disabled-id count (then 2 bytes per disabled id), 1 byte of options,
//   the rest    a code stream (1 byte per code when V+K is small, else 2; see read_codes), codes may be
//               negative or out of range.
// The code stream goes into the offline decoder, the streaming DecoderState (one code at a time,
// continuing after rejected codes), and the CodebookManager (1-3 rows, chunked, plain and padded
// layouts). The same values, reduced to base ids, go through the encoder (plain, truncated, padded,
// batch, continuous) and must round-trip through the decoder.
// Expected outcome for bad input: z2z::Error. Anything else, or a broken round trip, is a bug.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/lzw/batch.h"
#include "core/lzw/codebook_manager.h"
#include "core/lzw/codec.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_util.h"

using namespace z2z::lzw;
using z2z::fuzz::Reader;
using Ids = std::vector<TokenId>;

namespace {

// Small V, K and S most of the time: long repeats, full codebooks and forced flushes are frequent.
LzwConfig read_config(Reader& in) {
  LzwConfig c;
  const std::uint8_t v = in.byte();
  c.initial_vocab_size = (v & 0x80) ? 1 + in.u16() : 1 + (v % 24);
  const std::uint8_t k = in.byte();
  c.max_codebook_size = (k % 8 == 0) ? LzwConfig::kUnlimited : (k & 0x80) ? in.u16() : k % 40;
  c.max_subtokens = 1 + in.byte() % 8;
  c.pad_token_id = static_cast<TokenId>(in.byte() % c.initial_vocab_size);
  const int disabled = in.byte() % 4;
  for (int i = 0; i < disabled; ++i)
    c.disabled_ids.push_back(static_cast<TokenId>(in.u16() % (c.initial_vocab_size + 4)));
  return c;
}

// Codes span [-2, V + min(K, 1024) + 2); 0xFF / 0xFFFF is INT32_MAX and, in the 2-byte form, 0xFFFE
// the last id of the range (far ahead: the codebook's sparse slots) — without filling huge dense tables.
Ids read_codes(Reader& in, const CompressionConfig& cfg) {
  Ids codes;
  const std::int64_t span = cfg.V() + std::min<std::int64_t>(cfg.K(), 1024) + 4;
  const bool wide = span > 250;
  while (!in.empty()) {
    const std::int64_t raw = wide ? in.u16() : in.byte();
    if (raw == (wide ? 0xFFFF : 0xFF))
      codes.push_back(TokenId{0x7FFFFFFF});
    else if (wide && raw == 0xFFFE)
      codes.push_back(static_cast<TokenId>(cfg.id_limit() - 1));
    else
      codes.push_back(static_cast<TokenId>(raw % span - 2));
  }
  return codes;
}

void fuzz_decoders(const CompressionConfig& cfg, const Ids& codes, std::uint8_t opts) {
  // Offline decode of the whole stream, and the streaming state fed one code at a time: a rejected
  // code leaves the state unchanged, so the stream continues after it.
  std::optional<DecodeResult> offline;
  try {
    offline = decode(cfg, codes);
  } catch (const z2z::Error&) {
  }
  DecoderState state(cfg);
  Ids out;
  bool rejected = false;
  for (TokenId c : codes) {
    const std::size_t before = out.size();
    try {
      state.push(c, out);
    } catch (const z2z::Error&) {
      rejected = true;
      Z2Z_FUZZ_CHECK(out.size() == before);
    }
  }
  Z2Z_FUZZ_CHECK(rejected == !offline.has_value());
  if (offline) Z2Z_FUZZ_CHECK(offline->ids == out);

  // The manager with 1-3 rows, each update handing every row the next 1-4 codes.
  const std::size_t rows = 1 + opts % 3;
  CodebookManager manager(cfg), padded(cfg);
  std::size_t pos = 0, chunk = 1 + (opts >> 2) % 4;
  try {
    while (pos < codes.size()) {
      std::vector<Ids> batch(rows);
      for (auto& row : batch)
        for (std::size_t i = 0; i < chunk && pos < codes.size(); ++i) row.push_back(codes[pos++]);
      const auto ups = manager.update(batch);
      Z2Z_FUZZ_CHECK(ups.size() == rows);
      for (const auto& u : ups) {
        Z2Z_FUZZ_CHECK(std::is_sorted(u.ids.begin(), u.ids.end()) && u.ids.size() == u.entries.size());
        for (std::size_t i = 0; i < u.ids.size(); ++i)
          Z2Z_FUZZ_CHECK(u.entries[i].size() >= 2 && u.entries[i].size() <= static_cast<std::size_t>(cfg.S()));
      }
      if (cfg.K() * cfg.S() <= 4096) {
        const auto p = padded.update_padded(batch);
        Z2Z_FUZZ_CHECK(p.flat.size() == rows && p.indices.size() == rows);
      }
      for (std::size_t r = 0; r < rows; ++r) (void)manager.subtokens(static_cast<TokenId>(cfg.V()), r);
    }
  } catch (const z2z::Error&) {
  }
}

void fuzz_encoder(const CompressionConfig& cfg, const Ids& values, std::uint8_t opts) {
  // Base ids: values folded into [0, V) (disabled ids among them stay hard boundaries).
  Ids ids;
  ids.reserve(values.size());
  for (TokenId v : values) ids.push_back(static_cast<TokenId>((v < 0 ? -std::int64_t{v} : v) % cfg.V()));

  const EncodeResult e = encode(cfg, ids);
  Z2Z_FUZZ_CHECK(e.codes.size() <= ids.size() && e.next_offset == ids.size());
  Z2Z_FUZZ_CHECK(static_cast<std::int64_t>(e.codebook.size()) <= cfg.K());
  const DecodeResult d = decode(cfg, e.codes);
  Z2Z_FUZZ_CHECK(d.ids == ids);
  Z2Z_FUZZ_CHECK(d.codebook.entries() == e.codebook.entries());
  Z2Z_FUZZ_CHECK(encode_trace(cfg, ids).result.codes == e.codes);

  const std::int64_t max_length = 1 + (opts >> 4);
  EncodeOptions o;
  o.truncation = true;
  o.max_length = max_length;
  o.padding = (opts & 8) ? Padding::MaxLength : Padding::None;
  const EncodeResult t = encode(cfg, ids, o);
  Z2Z_FUZZ_CHECK(static_cast<std::int64_t>(t.codes.size()) <= max_length);
  if (o.padding == Padding::MaxLength) Z2Z_FUZZ_CHECK(static_cast<std::int64_t>(t.codes.size()) == max_length);
  if (cfg.K() * cfg.S() <= 4096) (void)codebook_to_rows(cfg, e.codebook, /*use_padding=*/true);

  const std::size_t half = ids.size() / 2;
  const std::vector<Ids> docs{Ids(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(half)),
                              Ids(ids.begin() + static_cast<std::ptrdiff_t>(half), ids.end())};
  const auto b = batch_encode(cfg, docs, {.padding = Padding::Longest});
  Z2Z_FUZZ_CHECK(b.codes.size() == 2 && b.codes[0].size() == b.codes[1].size());
  const auto chunks = continuous_encode(cfg, docs, max_length, /*min_length=*/opts & 3, (opts & 4) != 0);
  Z2Z_FUZZ_CHECK(chunks.size() == 2);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Reader in(data, size);
  std::optional<CompressionConfig> cfg;
  try {
    cfg.emplace(read_config(in));
  } catch (const z2z::Error&) {
    return 0;
  }
  const std::uint8_t opts = in.byte();
  const Ids codes = read_codes(in, *cfg);
  fuzz_decoders(*cfg, codes, opts);
  fuzz_encoder(*cfg, codes, opts);
  return 0;
}
