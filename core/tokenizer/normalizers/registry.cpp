// Normalizer registry: JSON "type" -> factory.
#include <string_view>

#include "core/tokenizer/normalizers/normalizer.h"

namespace z2z::tok {

NormalizerPtr normalizer_from_json(const JsonRef& node) {
  const std::string type = node.type();
  if (type == "Sequence") return sequence_normalizer_from_json(node);
  if (type == "NFC" || type == "NFD" || type == "NFKC" || type == "NFKD") return unicode_form_from_json(node, type);
  if (type == "Replace") return replace_normalizer_from_json(node);
  if (type == "Prepend") return prepend_from_json(node);
  if (type == "Lowercase") return lowercase_from_json(node);
  if (type == "Strip") return strip_normalizer_from_json(node);
  node.fail_at("type",
               "unsupported \"{}\" (supported normalizers: Sequence, NFC, NFD, NFKC, NFKD, Replace, Prepend, "
               "Lowercase, Strip)",
               type);
}

}  // namespace z2z::tok
