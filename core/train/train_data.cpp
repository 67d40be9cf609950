// Window building (plain and LZW-compressed) and the on-disk cache.
#include "core/train/train_data.h"

#include <cstring>
#include <fstream>

#include "core/lzw/codebook_manager.h"
#include "core/lzw/codec.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"

namespace z2z::train {

namespace {
constexpr char kMagic[4] = {'Z', '2', 'Z', 'W'};
constexpr std::uint32_t kVersion = 1;
}  // namespace

Windows Windows::slice(std::int64_t begin, std::int64_t end) const {
  Windows w;
  w.count = end - begin;
  w.seq_len = seq_len;
  w.K = K;
  w.S = S;
  w.pad = pad;
  auto cut = [&](const auto& v, std::int64_t per) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    if (v.empty()) return std::vector<T>{};
    return std::vector<T>(v.begin() + begin * per, v.begin() + end * per);
  };
  w.codes = cut(codes, seq_len + 1);
  w.rows = cut(rows, K * S);
  w.created_at = cut(created_at, K);
  w.target_bytes = cut(target_bytes, seq_len);
  return w;
}

Windows build_windows(const std::vector<std::int32_t>& stream, const std::vector<float>& token_bytes,
                      const WindowOptions& opt) {
  if (opt.seq_len < 2) fail("train: seq_len must be >= 2");
  Windows w;
  w.seq_len = opt.seq_len;
  const std::int64_t L1 = opt.seq_len + 1;
  auto bytes_of = [&](std::int32_t id) {
    return id >= 0 && static_cast<std::size_t>(id) < token_bytes.size() ? token_bytes[static_cast<std::size_t>(id)] : 0.0f;
  };
  if (!opt.zip) {
    w.pad = 0;
    for (std::size_t start = 0; start + static_cast<std::size_t>(L1) <= stream.size(); start += static_cast<std::size_t>(opt.seq_len)) {
      w.codes.insert(w.codes.end(), stream.begin() + static_cast<std::ptrdiff_t>(start),
                     stream.begin() + static_cast<std::ptrdiff_t>(start) + L1);
      for (std::int64_t t = 1; t < L1; ++t) w.target_bytes.push_back(bytes_of(stream[start + static_cast<std::size_t>(t)]));
      w.base_tokens += opt.seq_len;
      ++w.count;
    }
    return w;
  }
  if (!opt.lzw) fail("train: zip windows need an LZW config");
  const lzw::CompressionConfig cfg(*opt.lzw);
  if (cfg.K() >= lzw::LzwConfig::kUnlimited) fail("train: K must be finite");
  w.K = cfg.K();
  w.S = cfg.S();
  w.pad = cfg.pad();
  lzw::EncodeOptions eo;
  eo.truncation = true;
  eo.max_length = L1;
  std::size_t offset = 0;
  while (offset < stream.size()) {
    lzw::EncodeResult e = lzw::encode(cfg, stream, eo, offset);
    const std::size_t consumed = e.next_offset - offset;
    offset = e.next_offset;
    if (static_cast<std::int64_t>(e.codes.size()) < 2) break;
    // Replay the streaming decoder: which slot is installed by which code, and spans for bytes.
    lzw::DecoderState st(cfg);
    std::vector<std::int32_t> created(static_cast<std::size_t>(w.K), -1);
    std::vector<float> tb;
    std::vector<std::int32_t> scratch;
    std::int64_t base = 0;
    for (std::size_t t = 0; t < e.codes.size(); ++t) {
      scratch.clear();
      st.push(e.codes[t], scratch);
      for (std::int32_t id : st.take_created()) {
        const std::int64_t slot = id - cfg.V();
        if (slot >= 0 && slot < w.K) created[static_cast<std::size_t>(slot)] = static_cast<std::int32_t>(t);
      }
      float b = 0;
      for (std::int32_t x : scratch) b += bytes_of(x);
      if (t > 0) tb.push_back(b);
      base += static_cast<std::int64_t>(scratch.size());
    }
    std::vector<std::int32_t> codes = e.codes;
    codes.resize(static_cast<std::size_t>(L1), cfg.pad());
    tb.resize(static_cast<std::size_t>(opt.seq_len), 0.0f);
    w.codes.insert(w.codes.end(), codes.begin(), codes.end());
    w.target_bytes.insert(w.target_bytes.end(), tb.begin(), tb.end());
    w.created_at.insert(w.created_at.end(), created.begin(), created.end());
    std::vector<std::int32_t> rows(static_cast<std::size_t>(w.K * w.S), cfg.pad());
    e.codebook.for_each_entry([&](std::int32_t id, std::span<const std::int32_t> seq) {
      const std::int64_t slot = id - cfg.V();
      if (slot < 0 || slot >= w.K) return;
      std::copy(seq.begin(), seq.end(), rows.begin() + slot * w.S);
    });
    w.rows.insert(w.rows.end(), rows.begin(), rows.end());
    w.base_tokens += base;
    ++w.count;
    (void)consumed;
  }
  return w;
}

void save_windows(const std::filesystem::path& path, const Windows& w) {
  std::string out(kMagic, 4);
  auto put = [&](const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); };
  auto put_vec = [&](const auto& v) {
    std::uint64_t n = v.size();
    put(&n, 8);
    put(v.data(), v.size() * sizeof(v[0]));
  };
  put(&kVersion, 4);
  std::int64_t hdr[6] = {w.count, w.seq_len, w.K, w.S, w.pad, w.base_tokens};
  put(hdr, sizeof hdr);
  put_vec(w.codes);
  put_vec(w.rows);
  put_vec(w.created_at);
  put_vec(w.target_bytes);
  std::filesystem::create_directories(path.parent_path());
  write_file_atomic(path, out);
}

std::optional<Windows> load_windows(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t pos = 0;
  auto get = [&](void* p, std::size_t n) {
    if (pos + n > data.size()) return false;
    std::memcpy(p, data.data() + pos, n);
    pos += n;
    return true;
  };
  auto get_vec = [&](auto& v) {
    std::uint64_t n = 0;
    if (!get(&n, 8) || n > (data.size() - pos) / sizeof(v[0])) return false;
    v.resize(n);
    return get(v.data(), n * sizeof(v[0]));
  };
  char magic[4];
  std::uint32_t version = 0;
  std::int64_t hdr[6];
  Windows w;
  if (!get(magic, 4) || std::memcmp(magic, kMagic, 4) != 0 || !get(&version, 4) || version != kVersion || !get(hdr, sizeof hdr))
    return std::nullopt;
  w.count = hdr[0], w.seq_len = hdr[1], w.K = hdr[2], w.S = hdr[3], w.pad = static_cast<std::int32_t>(hdr[4]), w.base_tokens = hdr[5];
  if (!get_vec(w.codes) || !get_vec(w.rows) || !get_vec(w.created_at) || !get_vec(w.target_bytes)) return std::nullopt;
  if (static_cast<std::int64_t>(w.codes.size()) != w.count * (w.seq_len + 1)) return std::nullopt;
  return w;
}

}  // namespace z2z::train
