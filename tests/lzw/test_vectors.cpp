// Reference test vectors TV1-TV10 (reference-zip2zip.md §8), produced by the reference codec.
#include <gtest/gtest.h>

#include <map>

#include "core/lzw/batch.h"
#include "core/lzw/codebook_manager.h"
#include "core/lzw/codec.h"
#include "core/util/error.h"

using namespace z2z::lzw;
using Ids = std::vector<TokenId>;
using CbMap = std::map<TokenId, Ids>;

namespace {

CompressionConfig cfg(std::int64_t V, std::int64_t K, int S, TokenId pad, Ids disabled) {
  return CompressionConfig(LzwConfig{V, K, S, pad, std::move(disabled)});
}

CbMap as_map(const Codebook& cb) {
  CbMap m;
  for (auto& [id, seq] : cb.entries()) m[id] = seq;
  return m;
}

Ids repeat(const Ids& v, int n) {
  Ids out;
  for (int i = 0; i < n; ++i) out.insert(out.end(), v.begin(), v.end());
  return out;
}

// Encode, check codes and codebook, then decode and check round trip + decoder codebook.
void check_roundtrip(const CompressionConfig& c, const Ids& input, const Ids& codes, const CbMap& cb) {
  EncodeResult e = encode(c, input);
  EXPECT_EQ(e.codes, codes);
  EXPECT_EQ(as_map(e.codebook), cb);
  DecodeResult d = decode(c, e.codes);
  EXPECT_EQ(d.ids, input);
  EXPECT_EQ(as_map(d.codebook), cb);
}

}  // namespace

TEST(LzwVectors, TV1_ReferenceUnitTest) {
  auto c = cfg(27, 100, 5, 0, {0, 26});
  check_roundtrip(c, repeat({1, 2, 3, 4, 5}, 3), {1, 2, 3, 4, 5, 27, 29, 31, 28, 30},
                  {{27, {1, 2}}, {28, {2, 3}}, {29, {3, 4}}, {30, {4, 5}}, {31, {5, 1}},
                   {32, {1, 2, 3}}, {33, {3, 4, 5}}, {34, {5, 1, 2}}, {35, {2, 3, 4}}});
  // Codebook test: inserting slots 0,1,2 gives ids 27,28,29.
  Codebook cb(27);
  cb.insert(Ids{1, 2}, 27);
  cb.insert(Ids{2, 3}, 28);
  cb.insert(Ids{3, 4}, 29);
  EXPECT_EQ(as_map(cb), (CbMap{{27, {1, 2}}, {28, {2, 3}}, {29, {3, 4}}}));
  EXPECT_TRUE(cb.contains(Ids{2, 3}));
  EXPECT_FALSE(cb.contains(Ids{1, 3}));
}

TEST(LzwVectors, TV2_Tobeornot) {
  // A=0..Z=25
  std::string s = "TOBEORNOTTOBEORTOBEORNOT";
  Ids input;
  for (char ch : s) input.push_back(ch - 'A');
  CbMap cb6{{27, {19, 14}},     {28, {14, 1}},     {29, {1, 4}},         {30, {4, 14}},     {31, {14, 17}},
            {32, {17, 13}},     {33, {13, 14}},    {34, {14, 19}},       {35, {19, 19}},    {36, {19, 14, 1}},
            {37, {1, 4, 14}},   {38, {14, 17, 19}}, {39, {19, 14, 1, 4}}, {40, {4, 14, 17}}, {41, {17, 13, 14}}};
  Ids codes{19, 14, 1, 4, 14, 17, 13, 14, 19, 27, 29, 31, 36, 30, 32, 34};
  check_roundtrip(cfg(27, 1024, 6, 26, {}), input, codes, cb6);
  EXPECT_EQ(cb6.size(), 15u);
  // S=3: identical codes; entries 39/40 become [4,14,17], [17,13,14] (no 4-token entry).
  CbMap cb3 = cb6;
  cb3.erase(41);
  cb3[39] = {4, 14, 17};
  cb3[40] = {17, 13, 14};
  check_roundtrip(cfg(27, 1024, 3, 26, {}), input, codes, cb3);
}

TEST(LzwVectors, TV3_RunsKwKwK) {
  Ids twelve(12, 1);
  check_roundtrip(cfg(10, 20, 4, 0, {0}), twelve, {1, 10, 11, 12, 10}, {{10, {1, 1}}, {11, {1, 1, 1}}, {12, {1, 1, 1, 1}}});
  check_roundtrip(cfg(10, 20, 3, 0, {0}), twelve, {1, 10, 11, 11, 11}, {{10, {1, 1}}, {11, {1, 1, 1}}});
  DecodeResult d = decode(cfg(10, 20, 4, 0, {0}), Ids{1, 10, 11});
  EXPECT_EQ(d.ids, Ids(6, 1));
}

TEST(LzwVectors, TV4_DisabledIds) {
  check_roundtrip(cfg(10, 20, 4, 0, {0, 9}), {1, 2, 1, 2, 9, 1, 2, 1, 2, 3, 9, 9, 1, 2}, {1, 2, 10, 9, 10, 10, 3, 9, 9, 10},
                  {{10, {1, 2}}, {11, {2, 1}}, {12, {1, 2, 1}}, {13, {1, 2, 3}}});
}

TEST(LzwVectors, TV5_CodebookFull) {
  check_roundtrip(cfg(10, 2, 4, 0, {}), repeat({1, 2, 3}, 3), {1, 2, 3, 10, 3, 10, 3}, {{10, {1, 2}}, {11, {2, 3}}});
  check_roundtrip(cfg(10, 0, 4, 0, {}), repeat({1, 2, 3}, 3), repeat({1, 2, 3}, 3), {});
  check_roundtrip(cfg(10, 20, 1, 0, {}), repeat({1, 2, 3}, 3), repeat({1, 2, 3}, 3), {});
}

TEST(LzwVectors, TV6_OldReadme) {
  Ids in = repeat({0, 1, 2, 3, 4, 5}, 2);
  check_roundtrip(cfg(6, 1000, 4, 99, {}), in, {0, 1, 2, 3, 4, 5, 6, 8, 10},
                  {{6, {0, 1}}, {7, {1, 2}}, {8, {2, 3}}, {9, {3, 4}}, {10, {4, 5}}, {11, {5, 0}}, {12, {0, 1, 2}},
                   {13, {2, 3, 4}}});
  check_roundtrip(cfg(6, 1000, 4, 99, {0}), in, {0, 1, 2, 3, 4, 5, 0, 6, 8, 5},
                  {{6, {1, 2}}, {7, {2, 3}}, {8, {3, 4}}, {9, {4, 5}}, {10, {1, 2, 3}}, {11, {3, 4, 5}}});
  check_roundtrip(cfg(10, 1000, 2, 0, {}), {1, 2, 1, 2, 1, 2, 1, 2, 3}, {1, 2, 10, 10, 10, 3}, {{10, {1, 2}}, {11, {2, 1}}});
}

TEST(LzwVectors, TV7_StreamingManagerNonCanonical) {
  auto c = cfg(10, 20, 4, 0, {0});
  CodebookManager m(c);
  PaddedUpdates p = m.update_padded({{1, 2, 1, 2}});
  ASSERT_EQ(p.flat.size(), 1u);
  ASSERT_EQ(p.flat[0].size(), 80u);
  Ids expect_flat(80, 0);
  expect_flat[0] = 1, expect_flat[1] = 2, expect_flat[4] = 2, expect_flat[5] = 1;
  EXPECT_EQ(p.flat[0], expect_flat);
  EXPECT_EQ(p.indices[0], (std::vector<std::int64_t>{0, 1}));

  struct Step {
    TokenId code;
    Ids flat;
    std::vector<std::int64_t> idx;
  };
  std::vector<Step> steps{{10, {1, 2, 1, 0}, {2}}, {12, {1, 2, 1, 2}, {3}}, {3, {2, 1, 3, 0}, {4}},
                          {13, {3, 1, 0, 0}, {5}}, {11, {}, {}}};
  for (const auto& s : steps) {
    PaddedUpdates u = m.update_padded({{s.code}});
    EXPECT_EQ(u.flat[0], s.flat) << "code " << s.code;
    EXPECT_EQ(u.indices[0], s.idx) << "code " << s.code;
  }
  CbMap final_cb{{10, {1, 2}}, {11, {2, 1}}, {12, {1, 2, 1}}, {13, {1, 2, 1, 2}}, {14, {2, 1, 3}}, {15, {3, 1}}};
  EXPECT_EQ(as_map(m.state(0).codebook()), final_cb);

  Ids stream{1, 2, 1, 2, 10, 12, 3, 13, 11};
  DecodeResult d = decode(c, stream);
  Ids base{1, 2, 1, 2, 1, 2, 1, 2, 1, 3, 1, 2, 1, 2, 2, 1};
  EXPECT_EQ(d.ids, base);
  EXPECT_EQ(as_map(d.codebook), final_cb);
  EXPECT_EQ(m.decoded(0), base);  // streaming == offline
  EXPECT_EQ(encode(c, base).codes, (Ids{1, 2, 10, 12, 11, 3, 13, 11}));
}

TEST(LzwVectors, TV7b_DecoderDivergesFromCanonical) {
  for (int S : {3, 4}) {
    auto c = cfg(3, 1000, S, 0, {0});
    Ids base{2, 1, 2, 1, 1, 2, 1, 1};
    EncodeResult e = encode(c, base);
    EXPECT_EQ(e.codes, (Ids{2, 1, 3, 4, 1, 1}));
    EXPECT_EQ(as_map(e.codebook), (CbMap{{3, {2, 1}}, {4, {1, 2}}, {5, {2, 1, 1}}, {6, {1, 2, 1}}, {7, {1, 1}}}));
    DecodeResult d = decode(c, Ids{2, 1, 3, 1, 5});
    EXPECT_EQ(d.ids, base);
    EXPECT_EQ(as_map(d.codebook), (CbMap{{3, {2, 1}}, {4, {1, 2}}, {5, {2, 1, 1}}, {6, {1, 2, 1}}}));
  }
}

TEST(LzwVectors, TV8_TruncationPaddingContinuous) {
  auto c = cfg(27, 100, 5, 0, {0, 26});
  Ids in = repeat({1, 2, 3, 4, 5}, 2);
  EncodeOptions trunc;
  trunc.truncation = true;
  trunc.max_length = 6;
  EXPECT_EQ(encode(c, in, trunc).codes, (Ids{1, 2, 3, 4, 5, 27}));
  EncodeOptions pad;
  pad.padding = Padding::MaxLength;
  pad.max_length = 12;
  EXPECT_EQ(encode(c, in, pad).codes, (Ids{0, 0, 0, 0, 1, 2, 3, 4, 5, 27, 29, 5}));

  auto chunks = continuous_encode(c, {repeat({1, 2, 3, 4, 5}, 4)}, 6);
  ASSERT_EQ(chunks.size(), 1u);
  ASSERT_EQ(chunks[0].size(), 3u);
  EXPECT_EQ(chunks[0][0].codes, (Ids{1, 2, 3, 4, 5, 27}));
  EXPECT_EQ(chunks[0][0].next_offset, 8u);
  EXPECT_EQ(chunks[0][1].codes, (Ids{4, 5, 1, 2, 3, 27}));
  EXPECT_EQ(chunks[0][1].next_offset, 16u);
  EXPECT_EQ(chunks[0][2].codes, (Ids{0, 0, 2, 3, 4, 5}));
  EXPECT_EQ(chunks[0][2].next_offset, 20u);
}

TEST(LzwVectors, TV9_BatchManager) {
  CodebookManager m(cfg(10, 20, 4, 0, {0}));
  PaddedUpdates p = m.update_padded({{1, 2, 1, 2}, {0, 0, 3, 3}});
  ASSERT_EQ(p.flat.size(), 2u);
  EXPECT_EQ(p.flat[0].size(), 80u);
  EXPECT_EQ(p.flat[1].size(), 80u);
  EXPECT_EQ(p.indices[0], (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(p.indices[1], (std::vector<std::int64_t>{0}));
  Ids row1(80, 0);
  row1[0] = 3, row1[1] = 3;
  EXPECT_EQ(p.flat[1], row1);

  p = m.update_padded({{10}, {0}});
  EXPECT_EQ(p.flat, (std::vector<Ids>{{1, 2, 1, 0}, {0, 0, 0, 0}}));
  EXPECT_EQ(p.indices, (std::vector<std::vector<std::int64_t>>{{2}, {}}));
  p = m.update_padded({{3}, {3}});
  EXPECT_EQ(p.flat, (std::vector<Ids>{{1, 2, 3, 0}, {0, 0, 0, 0}}));
  EXPECT_EQ(p.indices, (std::vector<std::vector<std::int64_t>>{{3}, {}}));
  EXPECT_THROW(m.update_padded({{3}}), z2z::Error);  // batch size frozen at the first call
}

TEST(LzwVectors, TV10_OutOfOrderUnknownId) {
  auto c = cfg(10, 20, 4, 0, {0});
  DecodeResult d = decode(c, Ids{1, 2, 15, 3});
  EXPECT_EQ(d.ids, (Ids{1, 2, 2, 2, 3}));
  EXPECT_EQ(as_map(d.codebook), (CbMap{{10, {1, 2}}, {15, {2, 2}}, {12, {2, 2, 3}}}));
  EXPECT_EQ(d.next_id, 13);
  DecodeResult d2 = decode(c, Ids{1, 2, 11, 3});
  EXPECT_EQ(as_map(d2.codebook), (CbMap{{10, {1, 2}}, {11, {2, 2}}, {12, {2, 2, 3}}}));
}
