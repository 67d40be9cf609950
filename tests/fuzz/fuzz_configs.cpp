// Fuzz target: one JSON text through each model-config parser — the base decoder's config.json
// (parse_decoder_config), zip2zip_config.json (parse_zip2zip_config) and PEFT adapter_config.json
// (parse_adapter_config). They only take a path, so the input goes to a scratch file first (in
// /dev/shm when available). Seeds are plain config files; all three parsers see each of them.
// Expected outcome for bad input: z2z::Error. Anything else is a bug.
#include <cmath>
#include <cstdint>
#include <string_view>

#include "core/model/format/configs.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_util.h"

using namespace z2z::model;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = z2z::fuzz::write_scratch("config.json", {reinterpret_cast<const char*>(data), size});
  try {
    const DecoderConfig c = parse_decoder_config(path);
    // What the engine relies on after a successful parse.
    Z2Z_FUZZ_CHECK(c.vocab_size > 0 && c.hidden_size > 0 && c.num_hidden_layers > 0 && c.head_dim > 0);
    Z2Z_FUZZ_CHECK(c.num_key_value_heads > 0 && c.num_attention_heads % c.num_key_value_heads == 0);
    Z2Z_FUZZ_CHECK(c.partial_rotary_factor > 0 && c.partial_rotary_factor <= 1);
    Z2Z_FUZZ_CHECK(c.rms_norm_eps > 0 && c.rope_theta > 0);
  } catch (const z2z::Error&) {
  }
  try {
    const Zip2ZipConfig c = parse_zip2zip_config(path);
    Z2Z_FUZZ_CHECK(c.compression.initial_vocab_size > 0 && c.compression.max_codebook_size >= 0);
    Z2Z_FUZZ_CHECK(c.compression.max_subtokens >= 1 && c.encoder.hidden_size > 0);
    (void)c.encoder.intermediate();
    (void)c.encoder.model_hidden();
  } catch (const z2z::Error&) {
  }
  try {
    const AdapterConfig a = parse_adapter_config(path);
    Z2Z_FUZZ_CHECK(a.r > 0 && a.lora_alpha > 0);
    Z2Z_FUZZ_CHECK(std::isfinite(a.scaling()));
  } catch (const z2z::Error&) {
  }
  return 0;
}
