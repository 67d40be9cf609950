// Normalizer stage (HF tokenizers `normalizers/`): rewrites a NormalizedString in place, keeping the
// input span of every byte. normalizer_from_json() (registry.cpp) picks the component by "type".
// Not applied to added tokens with normalized=false (those are cut out before normalization).
#pragma once

#include <memory>

#include "core/tokenizer/json_util.h"
#include "core/tokenizer/normalized_string.h"

namespace z2z::tok {

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  virtual void normalize(NormalizedString& s) const = 0;
};
using NormalizerPtr = std::unique_ptr<const Normalizer>;

// Registry: {"type": "Sequence" | "NFC" | "NFD" | "NFKC" | "NFKD" | "Replace" | "Prepend" | "Lowercase" | "Strip"}.
// Throws z2z::Error `<path>.type: unsupported "Foo"` for anything else.
NormalizerPtr normalizer_from_json(const JsonRef& node);

// One factory per component file.
NormalizerPtr sequence_normalizer_from_json(const JsonRef& node);
NormalizerPtr unicode_form_from_json(const JsonRef& node, const std::string& form);
NormalizerPtr replace_normalizer_from_json(const JsonRef& node);
NormalizerPtr prepend_from_json(const JsonRef& node);
NormalizerPtr lowercase_from_json(const JsonRef& node);
NormalizerPtr strip_normalizer_from_json(const JsonRef& node);

}  // namespace z2z::tok
