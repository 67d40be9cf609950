// Hostile safetensors inputs: a table of malformed files/indexes, each with the exact error substring it
// must produce, and a mutation fuzz loop (every mutant either opens or throws z2z::Error, never crashes).
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <random>

#include <unistd.h>

#include "core/model/format/safetensors.h"
#include "format_test_util.h"

using namespace z2z::model;
using z2z::test::expect_error;
using z2z::test::safetensors_bytes;
using z2z::test::TempDir;
using z2z::test::write_file;

namespace {

struct HostileCase {
  const char* label;
  std::string bytes;
  const char* expected;
};

std::string with_length(std::uint64_t n, std::string_view rest) {
  std::string out(8, '\0');
  std::memcpy(out.data(), &n, 8);
  return out + std::string(rest);
}

std::string nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

}  // namespace

TEST(Hostile, MalformedSafetensorsFiles) {
  const std::vector<HostileCase> cases = {
      {"empty file", "", "h.safetensors: file is 0 bytes, too short for a safetensors header (needs at least 8)"},
      {"truncated length", std::string(5, '\x10'), "file is 5 bytes, too short for a safetensors header"},
      {"header longer than file", with_length(1000, "{}"),
       "header length 1000 exceeds the file size (10 bytes): truncated or not a safetensors file"},
      {"absurd header length", with_length(~0ull, "{}"), "header length 18446744073709551615 exceeds the file size"},
      {"header not JSON", safetensors_bytes("{not json", 0), "h.safetensors: header: not valid JSON:"},
      {"header is an array", safetensors_bytes("[1, 2]", 0), "h.safetensors: header must be a JSON object, got [1,2]"},
      {"header bad UTF-8", safetensors_bytes("{\"x\xff\": 1}", 0), "header: not valid JSON:"},
      {"deeply nested header", safetensors_bytes("{\"a\":" + nested(100000) + "}", 0),
       "header: JSON nested deeper than 64 levels"},
      {"duplicate tensor key",
       safetensors_bytes(R"({"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},)"
                         R"("w":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}})",
                         2),
       "header: duplicate key 'w' at top level"},
      {"entry not an object", safetensors_bytes(R"({"w": 3})", 0), "tensor 'w': entry must be a JSON object, got 3"},
      {"missing dtype", safetensors_bytes(R"({"w":{"shape":[1],"data_offsets":[0,4]}})", 4),
       "tensor 'w': missing 'dtype'"},
      {"missing shape", safetensors_bytes(R"({"w":{"dtype":"F32","data_offsets":[0,4]}})", 4),
       "tensor 'w': missing 'shape'"},
      {"missing offsets", safetensors_bytes(R"({"w":{"dtype":"F32","shape":[1]}})", 4),
       "tensor 'w': missing 'data_offsets'"},
      {"dtype wrong type", safetensors_bytes(R"({"w":{"dtype":4,"shape":[1],"data_offsets":[0,4]}})", 4),
       "tensor 'w': 'dtype' must be a string, got 4"},
      {"unknown dtype", safetensors_bytes(R"({"w":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}})", 1),
       "tensor 'w': unknown dtype 'F8_E4M3' (supported: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL)"},
      {"shape not array", safetensors_bytes(R"({"w":{"dtype":"F32","shape":"1","data_offsets":[0,4]}})", 4),
       "tensor 'w': 'shape' must be an array of integers, got \"1\""},
      {"float dimension", safetensors_bytes(R"({"w":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}})", 4),
       "tensor 'w': 'shape' must be an array of integers, got [1.0]"},
      {"negative shape", safetensors_bytes(R"({"w":{"dtype":"F32","shape":[2,-3],"data_offsets":[0,4]}})", 4),
       "tensor 'w': negative dimension -3 in shape [2, -3]"},
      {"shape overflow",
       safetensors_bytes(R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}})", 4),
       "tensor 'w': shape [4294967296, 4294967296] is too large (element count overflows)"},
      {"byte size overflow",
       safetensors_bytes(R"({"w":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,4]}})", 4),
       "tensor 'w': shape [4611686018427387904] is too large (byte size overflows)"},
      {"offsets wrong arity", safetensors_bytes(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", 4),
       "tensor 'w': 'data_offsets' must be [begin, end] (non-negative integers), got [0]"},
      {"negative offset", safetensors_bytes(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}})", 4),
       "'data_offsets' must be [begin, end] (non-negative integers), got [-4,0]"},
      {"end before begin", safetensors_bytes(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}})", 8),
       "tensor 'w': data_offsets [8, 4] end before begin"},
      {"out of bounds", safetensors_bytes(R"({"w":{"dtype":"F32","shape":[64],"data_offsets":[0,256]}})", 100),
       "tensor 'w': data_offsets [0, 256] out of the data section (100 bytes)"},
      {"size mismatch",
       safetensors_bytes(R"({"model.norm.weight":{"dtype":"F32","shape":[64],"data_offsets":[0,100]}})", 256),
       "h.safetensors: tensor 'model.norm.weight': data_offsets [0, 100] but shape [64] x F32 needs 256 bytes"},
      {"overlap",
       safetensors_bytes(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
                         R"("b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}})",
                         24),
       "h.safetensors: tensors 'a' [0, 16] and 'b' [8, 24] overlap"},
      {"metadata not object", safetensors_bytes(R"({"__metadata__": [1]})", 0),
       "'__metadata__' must be an object of strings"},
      {"metadata value not string", safetensors_bytes(R"({"__metadata__": {"step": 7}})", 0),
       "'__metadata__' must be an object of strings ('step' is not)"},
  };
  TempDir tmp;
  const auto path = tmp / "h.safetensors";
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    write_file(path, c.bytes);
    expect_error([&] { SafetensorsFile::open(path); }, c.expected);
  }
}

TEST(Hostile, AcceptedOddities) {
  TempDir tmp;
  const auto path = tmp / "ok.safetensors";
  // Zero-size tensors may sit anywhere (even inside another's range); gaps and trailing bytes are tolerated;
  // unknown fields in an entry are ignored; header need not be 8-aligned (data then unaligned).
  write_file(path, safetensors_bytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                     R"("z":{"dtype":"BF16","shape":[0,3],"data_offsets":[4,4],"x":1},)"
                                     R"("b":{"dtype":"U8","shape":[3],"data_offsets":[12,15]}})",
                                     20));
  auto f = SafetensorsFile::open(path);
  EXPECT_EQ(f->names(), (std::vector<std::string>{"a", "b", "z"}));
  EXPECT_EQ(f->at("b").nbytes, 3u);
  EXPECT_EQ(to_f32(f->at("a")), (std::vector<float>{0, 0}));
}

TEST(Hostile, NotAFile) {
  TempDir tmp;
  expect_error([&] { SafetensorsFile::open(tmp / "absent.safetensors"); }, "absent.safetensors: cannot open:");
  expect_error([&] { SafetensorsFile::open(tmp.path()); }, "not a regular file");
}

TEST(Hostile, MalformedShardIndexes) {
  TempDir tmp;
  std::vector<float> v{1, 2};
  write_safetensors(tmp / "s1.safetensors", {make_tensor("a", DType::F32, {2}, v)});
  struct IndexCase {
    const char* label;
    const char* json;
    const char* expected;
  };
  const std::vector<IndexCase> cases = {
      {"not JSON", "{", "model.safetensors.index.json: not valid JSON"},
      {"no weight_map", R"({"metadata": {}})", "model.safetensors.index.json: missing 'weight_map'"},
      {"weight_map wrong type", R"({"weight_map": []})",
       "'weight_map' must be an object mapping tensor names to shard file names"},
      {"shard name not a string", R"({"weight_map": {"a": 1}})", "('a' maps to 1)"},
      {"missing shard", R"({"weight_map": {"a": "s1.safetensors", "b": "s2.safetensors"}})",
       "model.safetensors.index.json: shard 's2.safetensors' (holding tensor 'b') not found: "},
      {"tensor absent from shard", R"({"weight_map": {"a": "s1.safetensors", "c": "s1.safetensors"}})",
       "tensor 'c' is mapped to shard 's1.safetensors' but that file does not contain it"},
      {"duplicate tensor", R"({"weight_map": {"a": "s1.safetensors", "a": "s1.safetensors"}})",
       "model.safetensors.index.json: duplicate key 'a' in 'weight_map'"},
      {"escaping shard path", R"({"weight_map": {"a": "../s1.safetensors"}})",
       "shard '../s1.safetensors' must be a relative path inside the index's directory"},
      {"absolute shard path", R"({"weight_map": {"a": "/etc/passwd"}})", "must be a relative path"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    write_file(tmp / "model.safetensors.index.json", c.json);
    expect_error([&] { TensorStore::open_dir(tmp.path()); }, c.expected);
  }
  // A broken shard reports the shard's own file name.
  write_file(tmp / "s2.safetensors", "junk");
  write_file(tmp / "model.safetensors.index.json", R"({"weight_map": {"b": "s2.safetensors"}})");
  expect_error([&] { TensorStore::open_dir(tmp.path()); }, "s2.safetensors: file is 4 bytes, too short");
}

TEST(Hostile, RandomMutationsNeverCrash) {
  TempDir tmp;
  std::vector<float> v{1, 2, 3, 4, 5, 6};
  write_safetensors(tmp / "seed.safetensors",
                    {make_tensor("model.norm.weight", DType::BF16, {6}, v), make_tensor("w", DType::F32, {2, 3}, v),
                     make_tensor("z", DType::F16, {0}, {})},
                    {{"format", "pt"}});
  const std::string seed = z2z::test::read_file(tmp / "seed.safetensors");
  std::mt19937 rng(1234);
  // Mutants go to tmpfs when there is one: disk writes under load made this loop take seconds.
  std::error_code ec;
  const bool shm = std::filesystem::is_directory("/dev/shm", ec);
  const auto path =
      shm ? std::filesystem::path("/dev/shm") / ("z2z_format_fuzz_" + std::to_string(::getpid()) + ".safetensors")
          : tmp / "mut.safetensors";
  int opened = 0, rejected = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 2000; ++i) {
    std::string m = seed;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      switch (rng() % 5) {
        case 0:  // flip a byte, biased to the header where the structure is
          m[rng() % std::min<std::size_t>(m.size(), 160)] = static_cast<char>(rng());
          break;
        case 1:
          m[rng() % m.size()] = static_cast<char>(rng());
          break;
        case 2:  // truncate
          m.resize(rng() % (m.size() + 1));
          break;
        case 3:  // replace a byte with a digit (perturbs numbers in offsets/shapes)
          if (m.size() > 8) m[8 + rng() % (m.size() - 8)] = static_cast<char>('0' + rng() % 10);
          break;
        default:  // insert or remove a byte
          if (!m.empty() && (rng() & 1))
            m.erase(rng() % m.size(), 1);
          else
            m.insert(m.begin() + static_cast<long>(rng() % (m.size() + 1)), static_cast<char>(rng()));
      }
      if (m.empty()) break;
    }
    write_file(path, m);
    try {
      auto f = SafetensorsFile::open(path);
      for (const auto& name : f->names()) {
        const TensorView& t = f->at(name);
        if (is_float_dtype(t.dtype)) (void)to_f32(t);
      }
      ++opened;
    } catch (const z2z::Error&) {
      ++rejected;
    }
  }
  if (shm) std::filesystem::remove(path, ec);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(opened + rejected, 2000);
  EXPECT_GT(rejected, 100);
  EXPECT_GT(opened, 20);  // mutations in the data section or padding keep the file valid
  EXPECT_LT(ms, 2000) << "fuzz loop too slow";
  RecordProperty("opened", opened);
}
