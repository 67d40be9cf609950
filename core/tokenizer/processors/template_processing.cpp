// TemplateProcessing: the "single" template, e.g. [SpecialToken <bos>, Sequence A], with the ids of
// each special token from "special_tokens". The "pair" template is read but not used.
#include <map>

#include "core/tokenizer/processors/post_processor.h"

namespace z2z::tok {
namespace {

class TemplateProcessing final : public PostProcessor {
 public:
  TemplateProcessing(std::vector<std::int32_t> before, std::vector<std::int32_t> after)
      : before_(std::move(before)), after_(std::move(after)) {}
  void process(std::vector<Token>& tokens, std::uint32_t text_size) const override {
    surround(tokens, before_, after_, text_size);
  }

 private:
  std::vector<std::int32_t> before_, after_;
};

}  // namespace

PostProcessorPtr template_processing_from_json(const JsonRef& node) {
  std::map<std::string, std::vector<std::int32_t>> specials;
  if (auto st = node.find("special_tokens")) {
    if (!st->json().is_object()) st->fail("expected an object");
    for (const auto& [name, v] : st->json().items()) {
      const JsonRef e(v, st->path_of(name));
      const JsonRef ids = e.at("ids");
      std::vector<std::int32_t> list;
      for (std::size_t i = 0; i < ids.array_size(); ++i)
        list.push_back(static_cast<std::int32_t>(ids.at(i).as_integer()));
      specials[name] = std::move(list);
    }
  }
  const JsonRef single = node.at("single");
  std::vector<std::int32_t> before, after;
  bool seen_sequence = false;
  for (std::size_t i = 0; i < single.array_size(); ++i) {
    const JsonRef item = single.at(i);
    if (auto sp = item.find("SpecialToken")) {
      const std::string id = sp->str("id");
      auto it = specials.find(id);
      if (it == specials.end()) sp->fail_at("id", "\"{}\" is not in special_tokens", id);
      auto& dst = seen_sequence ? after : before;
      dst.insert(dst.end(), it->second.begin(), it->second.end());
    } else if (auto seq = item.find("Sequence")) {
      if (seq->str("id") != "A") seq->fail_at("id", "the single template can only use sequence A");
      if (seen_sequence) item.fail("sequence A appears twice");
      seen_sequence = true;
    } else {
      item.fail("expected {{\"SpecialToken\": ...}} or {{\"Sequence\": ...}}");
    }
  }
  if (!seen_sequence) single.fail("no {{\"Sequence\": {{\"id\": \"A\"}}}} item");
  return std::make_unique<TemplateProcessing>(std::move(before), std::move(after));
}

}  // namespace z2z::tok
