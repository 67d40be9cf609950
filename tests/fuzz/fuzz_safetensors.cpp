// Fuzz target: a .safetensors file image (8-byte header length, JSON header, data section) through
// SafetensorsFile::from_bytes — the same parse and validation as open() on a mapped file — then every
// view the engine would read: names, lookups, and f32 widening of each float tensor.
// Expected outcome for bad input: z2z::Error. Anything else escaping, or a sanitizer report, is a bug.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/model/format/safetensors.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_util.h"

using namespace z2z::model;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto file =
        SafetensorsFile::from_bytes(std::span(reinterpret_cast<const std::byte*>(data), size), "fuzz.safetensors");
    for (const auto& name : file->names()) {
      const TensorView& t = file->at(name);
      Z2Z_FUZZ_CHECK(file->find(name) == &t);
      // Validated views lie inside the image and match their shape.
      Z2Z_FUZZ_CHECK(t.nbytes == static_cast<std::size_t>(t.numel()) * dtype_size(t.dtype));
      if (t.nbytes > 0) {
        // The view must lie inside the (heap-allocated, exactly sized) image: ASan checks both ends.
        volatile std::byte first = t.data[0], last = t.data[t.nbytes - 1];
        (void)first, (void)last;
      }
      if (is_float_dtype(t.dtype) && t.numel() <= 4096) {
        const auto values = to_f32(t);
        Z2Z_FUZZ_CHECK(values.size() == static_cast<std::size_t>(t.numel()));
      }
    }
    (void)file->metadata().size();
  } catch (const z2z::Error&) {
  }
  return 0;
}
