// Safetensors reading/writing: write -> open -> to_f32 round trips for F32/F16/BF16/F64, metadata, layout
// (sorted, 8-byte aligned header), zero-size tensors, sharded indexes, TensorStore lookups, writer errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "core/model/format/safetensors.h"
#include "format_test_util.h"

using namespace z2z::model;
using z2z::test::expect_error;
using z2z::test::TempDir;

namespace {

std::vector<float> sample_values() {
  return {0.0f,
          -0.0f,
          1.0f,
          -1.5f,
          3.14159265f,
          1e-3f,
          65504.0f,
          -7.25f,
          std::ldexp(1.0f, -20),
          1e30f,
          std::numeric_limits<float>::infinity(),
          0.1f};
}

}  // namespace

TEST(Safetensors, RoundTripFloatDtypes) {
  TempDir tmp;
  const auto values = sample_values();
  std::vector<TensorToWrite> ts;
  for (DType d : {DType::F32, DType::F16, DType::BF16, DType::F64})
    ts.push_back(make_tensor(std::string("t.") + std::string(dtype_name(d)), d, {3, 4}, values));
  write_safetensors(tmp / "m.safetensors", ts, {{"format", "pt"}});

  auto f = SafetensorsFile::open(tmp / "m.safetensors");
  EXPECT_EQ(f->names(), (std::vector<std::string>{"t.BF16", "t.F16", "t.F32", "t.F64"}));
  EXPECT_EQ(f->metadata().at("format"), "pt");
  for (DType d : {DType::F32, DType::F16, DType::BF16, DType::F64}) {
    const TensorView& v = f->at(std::string("t.") + std::string(dtype_name(d)));
    EXPECT_EQ(v.dtype, d);
    EXPECT_EQ(v.shape, (std::vector<std::int64_t>{3, 4}));
    EXPECT_EQ(v.numel(), 12);
    EXPECT_EQ(v.nbytes, 12 * dtype_size(d));
    const auto got = to_f32(v);
    ASSERT_EQ(got.size(), values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      const float want = values[i];
      if (d == DType::F32 || d == DType::F64) {
        EXPECT_EQ(std::memcmp(&got[i], &want, 4), 0) << dtype_name(d) << " " << i;
      } else if (std::isinf(want) || (d == DType::F16 && std::fabs(want) > 65520.0f)) {
        EXPECT_TRUE(std::isinf(got[i])) << dtype_name(d) << " " << i;
      } else {
        const float tol = d == DType::BF16 ? std::ldexp(std::fabs(want), -8) : std::ldexp(std::fabs(want), -11);
        EXPECT_NEAR(got[i], want, std::max(tol, d == DType::F16 ? 6e-8f : 0.0f)) << dtype_name(d) << " " << i;
      }
    }
  }
  EXPECT_EQ(to_f32(f->at("t.BF16"))[4], 3.140625f);  // pi in bf16, round to nearest even
  EXPECT_EQ(to_f32(f->at("t.F16"))[4], 3.140625f);   // pi in f16
  EXPECT_EQ(to_f32(f->at("t.F16"))[6], 65504.0f);
}

TEST(Safetensors, BitExactBf16NanAndDenormalsThroughFile) {
  TempDir tmp;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float denorm = std::bit_cast<float>(0x00018000u);
  const std::vector<float> vals{nan, -std::numeric_limits<float>::infinity(), denorm};
  write_safetensors(tmp / "a.safetensors", {make_tensor("x", DType::BF16, {3}, vals)});
  auto f = SafetensorsFile::open(tmp / "a.safetensors");
  const TensorView& v = f->at("x");
  std::uint16_t raw[3];
  std::memcpy(raw, v.data, 6);
  EXPECT_EQ(raw[0], 0x7fc0);
  EXPECT_EQ(raw[1], 0xff80);
  EXPECT_EQ(raw[2], 0x0002);
  const auto back = to_f32(v);
  EXPECT_TRUE(std::isnan(back[0]));
  EXPECT_EQ(std::bit_cast<std::uint32_t>(back[2]), 0x00020000u);
}

TEST(Safetensors, LayoutIsHfCompatible) {
  TempDir tmp;
  std::vector<float> v3{1, 2, 3};
  write_safetensors(tmp / "l.safetensors",
                    {make_tensor("b", DType::F32, {3}, v3), make_tensor("a", DType::F16, {3}, v3)});
  const std::string bytes = z2z::test::read_file(tmp / "l.safetensors");
  std::uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  EXPECT_EQ(n % 8, 0u);
  const std::string header = bytes.substr(8, n);
  const auto last = header.find_last_not_of(' ');
  EXPECT_EQ(header[last], '}');
  EXPECT_LT(n - (last + 1), 8u);  // padded with spaces to the next multiple of 8
  EXPECT_NE(header.find(R"("a":{"data_offsets":[0,6],"dtype":"F16","shape":[3]})"), std::string::npos) << header;
  EXPECT_NE(header.find(R"("b":{"data_offsets":[6,18],"dtype":"F32","shape":[3]})"), std::string::npos) << header;
  EXPECT_EQ(bytes.size(), 8 + n + 18);
  EXPECT_EQ(header.find("__metadata__"), std::string::npos);  // omitted when empty
}

TEST(Safetensors, ZeroSizeAndScalarTensors) {
  TempDir tmp;
  std::vector<float> one{42};
  write_safetensors(tmp / "z.safetensors",
                    {make_tensor("empty", DType::F32, {0, 5}, {}), make_tensor("scalar", DType::BF16, {}, one),
                     TensorToWrite{"ids", DType::I64, {2}, std::vector<std::byte>(16, std::byte{1})}});
  auto f = SafetensorsFile::open(tmp / "z.safetensors");
  EXPECT_EQ(f->at("empty").nbytes, 0u);
  EXPECT_EQ(f->at("empty").numel(), 0);
  EXPECT_TRUE(to_f32(f->at("empty")).empty());
  EXPECT_EQ(f->at("scalar").numel(), 1);
  EXPECT_EQ(to_f32(f->at("scalar"))[0], 42.0f);
  EXPECT_EQ(f->at("ids").dtype, DType::I64);
  expect_error([&] { to_f32(f->at("ids")); }, "tensor 'ids': cannot convert I64 to f32");
  EXPECT_EQ(f->find("nope"), nullptr);
  expect_error([&] { f->at("nope"); }, "z.safetensors: tensor 'nope' not found");
}

TEST(Safetensors, EmptyFileWithOnlyHeaderOpens) {
  TempDir tmp;
  write_safetensors(tmp / "e.safetensors", {});
  EXPECT_TRUE(SafetensorsFile::open(tmp / "e.safetensors")->names().empty());
}

TEST(Safetensors, WriteIsAtomicAndReplaces) {
  TempDir tmp;
  std::vector<float> a{1, 2}, b{3, 4, 5};
  write_safetensors(tmp / "w.safetensors", {make_tensor("x", DType::F32, {2}, a)});
  write_safetensors(tmp / "w.safetensors", {make_tensor("x", DType::F32, {3}, b)});
  EXPECT_EQ(to_f32(SafetensorsFile::open(tmp / "w.safetensors")->at("x")), b);
  std::size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(tmp.path())) n += (void(e), 1);
  EXPECT_EQ(n, 1u);  // no temp file left behind
}

TEST(Safetensors, WriterRejectsBadTensors) {
  TempDir tmp;
  const auto p = tmp / "bad.safetensors";
  std::vector<float> v{1, 2};
  expect_error(
      [&] {
        write_safetensors(p, {TensorToWrite{"x", DType::F32, {3}, std::vector<std::byte>(8)}});
      },
      "tensor 'x' has 8 bytes but shape [3] x F32 needs 12");
  expect_error(
      [&] {
        write_safetensors(p, {make_tensor("x", DType::F32, {2}, v), make_tensor("x", DType::F16, {2}, v)});
      },
      "tensor 'x' given twice");
  expect_error([&] { write_safetensors(p, {make_tensor("__metadata__", DType::F32, {2}, v)}); },
               "invalid tensor name '__metadata__'");
  expect_error([&] { make_tensor("y", DType::F32, {3}, v); }, "make_tensor 'y': shape [3] needs 3 values, got 2");
  expect_error([&] { make_tensor("y", DType::I32, {2}, v); }, "dtype must be F32, F16, BF16 or F64, got I32");
  EXPECT_FALSE(std::filesystem::exists(p));
  expect_error([&] { write_safetensors(tmp / "no_such_dir" / "x.safetensors", {}); }, "cannot create temp file");
}

TEST(Safetensors, DTypeHelpers) {
  EXPECT_EQ(dtype_size(DType::BF16), 2u);
  EXPECT_EQ(dtype_size(DType::I64), 8u);
  EXPECT_EQ(dtype_size(DType::BOOL), 1u);
  EXPECT_EQ(dtype_name(DType::U8), "U8");
  EXPECT_EQ(parse_dtype("F64"), DType::F64);
  EXPECT_EQ(parse_dtype("F8_E4M3"), std::nullopt);
  const std::vector<std::int64_t> s{2, 3};
  EXPECT_EQ(format_shape(s), "[2, 3]");
}

// --- sharded ---------------------------------------------------------------------------------------

namespace {

void write_sharded(const TempDir& tmp) {
  std::vector<float> a{1, 2, 3, 4}, b{5, 6}, c{7};
  write_safetensors(tmp / "model-00001-of-00002.safetensors",
                    {make_tensor("model.embed_tokens.weight", DType::BF16, {2, 2}, a),
                     make_tensor("model.norm.weight", DType::F32, {2}, b)});
  write_safetensors(tmp / "model-00002-of-00002.safetensors", {make_tensor("lm_head.weight", DType::F16, {1, 1}, c)});
  z2z::test::write_file(tmp / "model.safetensors.index.json", R"({
    "metadata": {"total_size": 14},
    "weight_map": {
      "lm_head.weight": "model-00002-of-00002.safetensors",
      "model.embed_tokens.weight": "model-00001-of-00002.safetensors",
      "model.norm.weight": "model-00001-of-00002.safetensors"
    }})");
}

}  // namespace

TEST(TensorStore, ShardedIndex) {
  TempDir tmp;
  write_sharded(tmp);
  const TensorStore s = TensorStore::open_dir(tmp.path());
  EXPECT_EQ(s.names(), (std::vector<std::string>{"lm_head.weight", "model.embed_tokens.weight", "model.norm.weight"}));
  EXPECT_EQ(s.files().size(), 2u);
  EXPECT_EQ(to_f32(s.at("model.embed_tokens.weight")), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(to_f32(s.at("lm_head.weight")), (std::vector<float>{7}));
  EXPECT_EQ(s.file_of("lm_head.weight"), (tmp / "model-00002-of-00002.safetensors").string());
  EXPECT_EQ(s.find("missing"), nullptr);
  expect_error([&] { s.at("missing"); }, "model.safetensors.index.json: tensor 'missing' not found");
  expect_error([&] { s.file_of("missing"); }, "tensor 'missing' not found");

  // A copy shares the files; views stay valid after the original goes away.
  std::optional<TensorStore> copy;
  {
    const TensorStore tmp_store = TensorStore::open_file(tmp / "model.safetensors.index.json");
    copy = tmp_store;
  }
  EXPECT_EQ(to_f32(copy->at("model.norm.weight")), (std::vector<float>{5, 6}));
}

TEST(TensorStore, SingleFilePreferredAndStem) {
  TempDir tmp;
  write_sharded(tmp);
  std::vector<float> x{9};
  write_safetensors(tmp / "model.safetensors", {make_tensor("only", DType::F32, {1}, x)});
  write_safetensors(tmp / "adapter_model.safetensors", {make_tensor("lora", DType::F32, {1}, x)});
  EXPECT_EQ(TensorStore::open_dir(tmp.path()).names(), (std::vector<std::string>{"only"}));
  EXPECT_EQ(TensorStore::open_dir(tmp.path(), "adapter_model").names(), (std::vector<std::string>{"lora"}));
  const TensorStore one = TensorStore::open_file(tmp / "model.safetensors");
  EXPECT_EQ(one.file_of("only"), (tmp / "model.safetensors").string());
}

TEST(TensorStore, OpenDirWithoutWeights) {
  TempDir tmp;
  expect_error([&] { TensorStore::open_dir(tmp.path()); }, "no model.safetensors or model.safetensors.index.json");
  z2z::test::write_file(tmp / "pytorch_model.bin", "x");
  expect_error([&] { TensorStore::open_dir(tmp.path()); }, "found pytorch_model.bin: only safetensors weights");
}
