// Fuzz target: tokenizer.json text through Tokenizer::from_json; when it loads, the tokenizer must
// encode a few fixed texts (ASCII, Unicode, invalid UTF-8, special-token spellings) and the start of
// the input itself, with spans inside the text, and decode its own ids (no specials added) without error.
// Expected outcome for bad input: z2z::Error from from_json. Anything else is a bug.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_util.h"

using namespace z2z::tok;

namespace {

const std::string_view kTexts[] = {
    "Hello world! 123 foo_bar  \n\tdone.",
    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x98\x80 \xe2\x96\x81x \xc4\xa0y",
    "bad \xff\xfe utf8 \xc3 \xe2\x82 end",
    "<s></s><unk><|endoftext|><|im_start|>user<pad>[CLS]",
    "",
};

void check_encoding(const Tokenizer& t, std::string_view text, const EncodeOptions& options) {
  const std::vector<Token> tokens = t.encode(text, options);
  std::vector<std::int32_t> ids;
  for (const Token& k : tokens) {
    Z2Z_FUZZ_CHECK(k.begin <= k.end && k.end <= text.size());
    Z2Z_FUZZ_CHECK(k.id >= 0 && k.id < t.vocab_size());
    (void)t.id_to_token(k.id);
    (void)t.token_bytes(k.id);
    ids.push_back(k.id);
  }
  Z2Z_FUZZ_CHECK(t.encode_ids(text, options) == ids);
  if (!options.add_special_tokens) {
    (void)t.decode(ids);  // its own ids are known: a z2z::Error here escapes the target as a bug
    (void)t.decode(ids, /*skip_special_tokens=*/true);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  std::optional<Tokenizer> t;
  try {
    t.emplace(Tokenizer::from_json(json, "fuzz/tokenizer.json"));
  } catch (const z2z::Error&) {
    return 0;
  }
  for (std::string_view text : kTexts) {
    check_encoding(*t, text, {});
    check_encoding(*t, text, {.add_special_tokens = false, .split_special_tokens = true});
    try {
      check_encoding(*t, text, {.add_special_tokens = true});
    } catch (const z2z::Error&) {  // e.g. a post-processor naming an unknown special token
    }
  }
  check_encoding(*t, json.substr(0, 256), {});
  return 0;
}
