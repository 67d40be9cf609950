// Regression tests for inputs found by the libFuzzer targets (tests/fuzz/fuzz_lzw.cpp, docs/reliability.md).
#include <gtest/gtest.h>

#include <map>

#include "core/lzw/codebook_manager.h"
#include "core/lzw/codec.h"

using namespace z2z::lzw;
using Ids = std::vector<TokenId>;
using CbMap = std::map<TokenId, Ids>;

namespace {

CbMap as_map(const Codebook& cb) {
  CbMap m;
  for (auto& [id, seq] : cb.entries()) m[id] = seq;
  return m;
}

// Encode, check codes and codebook, decode (offline and streaming) and check the round trip.
void check_roundtrip(const LzwConfig& lc, const Ids& input, const Ids& codes, const CbMap& cb) {
  const CompressionConfig c(lc);
  const EncodeResult e = encode(c, input);
  EXPECT_EQ(e.codes, codes) << c.describe();
  EXPECT_EQ(as_map(e.codebook), cb) << c.describe();
  const DecodeResult d = decode(c, e.codes);
  EXPECT_EQ(d.ids, input) << c.describe();
  EXPECT_EQ(as_map(d.codebook), cb) << c.describe();
  CodebookManager m(c);
  const auto ups = m.update({e.codes});
  ASSERT_EQ(ups.size(), 1u);
  Ids created(ups[0].ids.begin(), ups[0].ids.end());
  Ids expected;
  for (const auto& [id, seq] : cb) expected.push_back(id);
  EXPECT_EQ(created, expected) << c.describe();
}

}  // namespace

// A disabled id inside the hypertoken range [V, V+K) is never handed out as an entry id: the decoder
// reads that code as a special token, so the encoder used to emit streams it could not decode
// (fuzz_lzw: V=2 pad=1 disabled {2}, [0,0,0] encoded as [0,2] and decoded as [0,2]).
TEST(LzwFuzzRegressions, DisabledIdAtVIsNotAnEntryId) {
  check_roundtrip(LzwConfig{2, 7, 8, 1, {2, 2}}, {0, 0, 0}, {0, 3}, {{3, {0, 0}}});
  check_roundtrip(LzwConfig{3, 25, 6, 2, {3}}, {1, 1, 1}, {1, 4}, {{4, {1, 1}}});
}

TEST(LzwFuzzRegressions, DisabledIdsInsideTheRangeAreSkipped) {
  // TV6's configuration (pad 99 with V=6) with the pad moved to where entries are created.
  Ids in;
  for (int r = 0; r < 2; ++r)
    for (TokenId i = 0; i < 6; ++i) in.push_back(i);
  check_roundtrip(LzwConfig{6, 1000, 4, 7, {9}}, in, {0, 1, 2, 3, 4, 5, 6, 10, 12},
                  {{6, {0, 1}},
                   {8, {1, 2}},
                   {10, {2, 3}},
                   {11, {3, 4}},
                   {12, {4, 5}},
                   {13, {5, 0}},
                   {14, {0, 1, 2}},
                   {15, {2, 3, 4}}});
  // The last id of a finite range disabled: one entry fewer fits.
  check_roundtrip(LzwConfig{10, 2, 4, 11, {}}, {1, 2, 3, 1, 2, 3}, {1, 2, 3, 10, 3}, {{10, {1, 2}}});
}
