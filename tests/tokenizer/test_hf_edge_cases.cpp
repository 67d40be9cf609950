// Parity with HF tokenizers 0.23.2 on 300 generated edge-case texts (tests/data/tokenizer/
// hf_edge_cases.jsonl, see gen_hf_edge_cases.cjs): ids with and without add_special_tokens, and decode.
#include <gtest/gtest.h>

#include <fstream>

#include "tokenizer/shared_tokenizers.h"

using namespace z2z;

TEST(HfEdgeCases, IdsAddSpecialTokensAndDecodeMatch) {
  std::ifstream in(std::string(Z2Z_SOURCE_DIR) + "/tests/data/tokenizer/hf_edge_cases.jsonl");
  ASSERT_TRUE(in.good());
  std::vector<nlohmann::json> rows;
  std::string line;
  while (std::getline(in, line)) rows.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(rows.size(), 300u);
  tok::EncodeOptions special;
  special.add_special_tokens = true;
  for (const auto& st : test::shared_tokenizers()) {
    const tok::Tokenizer& t = test::shared_tokenizer(st.name);
    int mismatches = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::string text = rows[i]["text"];
      const auto want = rows[i]["ids"][st.name].get<std::vector<std::int32_t>>();
      const auto got = t.encode_ids(text);
      if (got != want) {
        ++mismatches;
        ADD_FAILURE() << st.name << " #" << i << " " << nlohmann::json(text).dump();
      }
      EXPECT_EQ(t.encode_ids(text, special), rows[i]["ids_special"][st.name].get<std::vector<std::int32_t>>())
          << st.name << " #" << i;
      EXPECT_EQ(t.decode(want), rows[i]["decoded"][st.name].get<std::string>()) << st.name << " #" << i;
    }
    EXPECT_EQ(mismatches, 0) << st.name;
  }
}
