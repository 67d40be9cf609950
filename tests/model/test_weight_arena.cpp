// WeightArena (one 2 MiB-page mapping for the weights a decode step streams) and move_into_arena,
// which re-homes tensors there without changing their values or their sharing.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdint>
#include <string>

#include "core/model/torch_util.h"
#include "core/model/weight_arena.h"
#include "core/util/error.h"

using z2z::model::move_into_arena;
using z2z::model::WeightArena;

TEST(WeightArena, HandsOutAlignedZeroedBlocksAndRefusesToOverflow) {
  WeightArena a(100);
  EXPECT_EQ(a.capacity(), std::size_t{2} << 20);  // whole 2 MiB pages
  auto* p = static_cast<unsigned char*>(a.take(10));
  auto* q = static_cast<unsigned char*>(a.take(100));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % (std::size_t{2} << 20), 0u);  // the first block starts a page
  EXPECT_EQ(q - p, 64);                                                         // blocks are 64-byte aligned
  EXPECT_EQ(a.used(), 64u + 128u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(q[i], 0);
  try {
    a.take(a.capacity());
    FAIL() << "an over-full arena must throw";
  } catch (const z2z::Error& e) {
    EXPECT_NE(std::string(e.what()).find("weight arena"), std::string::npos) << e.what();
  }
}

TEST(WeightArena, AMappingThatCannotBeMadeIsAClearError) {
  try {
    WeightArena a(std::size_t{1} << 60);  // 1 EiB: more address space than the process has
    FAIL() << "mapping 1 EiB should fail";
  } catch (const z2z::Error& e) {
    EXPECT_NE(std::string(e.what()).find("weight arena: cannot map"), std::string::npos) << e.what();
  }
}

TEST(WeightArena, MoveKeepsValuesShapesAndTiedStorage) {
  torch::Tensor embed = torch::randn({7, 5}), head = embed, w = torch::randn({3, 4}), none;
  torch::Tensor bias = torch::randn({4});
  const torch::Tensor embed0 = embed.clone(), w0 = w.clone(), bias0 = bias.clone();
  auto arena = move_into_arena({&embed, &head, &w, &bias, &none});
  ASSERT_TRUE(arena);
  EXPECT_EQ(arena->used(), WeightArena::footprint(7 * 5 * 4) + WeightArena::footprint(3 * 4 * 4) +
                               WeightArena::footprint(4 * 4));  // the tied pair is copied once
  EXPECT_TRUE(torch::equal(embed, embed0));
  EXPECT_TRUE(torch::equal(w, w0));
  EXPECT_TRUE(torch::equal(bias, bias0));
  EXPECT_EQ(embed.data_ptr(), head.data_ptr());  // still one storage
  EXPECT_EQ(w.sizes(), (std::vector<std::int64_t>{3, 4}));
  EXPECT_FALSE(none.defined());
  // The tensors keep the arena alive after the caller drops it, and stay writable.
  arena.reset();
  w.add_(1.0f);
  EXPECT_TRUE(torch::equal(w, w0 + 1.0f));
  EXPECT_FALSE(move_into_arena({&none}));  // nothing to move
}
