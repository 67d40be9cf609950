// Model registry: JSON "type" -> factory (a missing "type" with "merges" is a BPE, as in old files).
#include "core/tokenizer/models/model.h"

namespace z2z::tok {

ModelPtr model_from_json(const JsonRef& node, TokenizerJson* streamed) {
  if (!node.json().is_object()) node.fail("expected an object");
  std::string type;
  if (node.has("type"))
    type = node.str("type");
  else if (node.has("merges") || (streamed && streamed->has_merges))
    type = "BPE";
  if (type == "BPE") return bpe_from_json(node, streamed);
  node.fail_at("type", "unsupported \"{}\" (supported models: BPE)", type);
}

}  // namespace z2z::tok
