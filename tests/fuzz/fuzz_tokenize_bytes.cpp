// Fuzz target: arbitrary bytes through every shipped tokenizer. The tokenizers are loaded once at
// startup: resources/models/demo-base/tokenizer.json and ../shared/data/tokenizers/*.json (relative to
// the source dir), or the ':'-separated list in $Z2Z_FUZZ_TOKENIZERS. Input: byte 0 picks the
// tokenizer, byte 1 the options, the rest is the text. Encoding must give spans inside the text and
// ids the tokenizer can decode and display; InvalidUtf8::Reject may throw z2z::Error (expected).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenizer/display.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_util.h"

using namespace z2z::tok;
namespace fs = std::filesystem;

namespace {

std::vector<Tokenizer> g_tokenizers;

std::vector<fs::path> tokenizer_files() {
  std::vector<fs::path> files;
  if (const char* env = std::getenv("Z2Z_FUZZ_TOKENIZERS"); env && *env) {
    std::string list = env;
    for (std::size_t b = 0; b <= list.size();) {
      const std::size_t e = std::min(list.find(':', b), list.size());
      if (e > b) files.emplace_back(list.substr(b, e - b));
      b = e + 1;
    }
    return files;
  }
  const fs::path src = Z2Z_SOURCE_DIR;
  files.push_back(src / "resources/models/demo-base/tokenizer.json");
  std::vector<fs::path> shared;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(src / "../shared/data/tokenizers", ec))
    if (e.path().extension() == ".json" && e.path().filename() != "INDEX.json") shared.push_back(e.path());
  std::sort(shared.begin(), shared.end());  // stable tokenizer numbering across runs
  files.insert(files.end(), shared.begin(), shared.end());
  return files;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  for (const fs::path& f : tokenizer_files()) {
    try {
      g_tokenizers.push_back(Tokenizer::from_file(f.string()));
      std::fprintf(stderr, "fuzz_tokenize_bytes: tokenizer %zu = %s\n", g_tokenizers.size() - 1, f.c_str());
    } catch (const z2z::Error& e) {
      std::fprintf(stderr, "fuzz_tokenize_bytes: cannot load %s: %s\n", f.c_str(), e.what());
      std::abort();
    }
  }
  if (g_tokenizers.empty()) {
    std::fprintf(stderr, "fuzz_tokenize_bytes: no tokenizers (set Z2Z_FUZZ_TOKENIZERS)\n");
    std::abort();
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  z2z::fuzz::Reader in(data, size);
  const Tokenizer& t = g_tokenizers[in.byte() % g_tokenizers.size()];
  const std::uint8_t flags = in.byte();
  const std::string_view text = in.rest();
  EncodeOptions options;
  options.add_special_tokens = flags & 1;
  options.split_special_tokens = flags & 2;
  options.invalid_utf8 = (flags & 4) ? InvalidUtf8::Reject : InvalidUtf8::Replace;

  std::vector<Token> tokens;
  try {
    tokens = t.encode(text, options);
  } catch (const z2z::Error&) {
    Z2Z_FUZZ_CHECK(options.invalid_utf8 == InvalidUtf8::Reject);  // the only documented encode error
    return 0;
  }
  std::vector<std::int32_t> ids;
  ids.reserve(tokens.size());
  for (const Token& k : tokens) {
    Z2Z_FUZZ_CHECK(k.begin <= k.end && k.end <= text.size());
    Z2Z_FUZZ_CHECK(k.id >= 0 && k.id < t.vocab_size());
    ids.push_back(k.id);
  }
  // Shipped tokenizers know every id they produce: decode must not throw.
  const std::string decoded = t.decode(ids, /*skip_special_tokens=*/flags & 8);
  (void)decoded;
  if (flags & 16) {
    const auto segments = display_segments(t, text, tokens, {.visible_whitespace = bool(flags & 32)});
    std::size_t covered = 0;
    for (const auto& s : segments) {
      Z2Z_FUZZ_CHECK(s.first_token == covered && s.last_token > s.first_token);
      covered = s.last_token;
    }
    Z2Z_FUZZ_CHECK(covered == tokens.size());
  } else {
    for (std::int32_t id : ids) (void)token_display_text(t, id);
  }
  return 0;
}
