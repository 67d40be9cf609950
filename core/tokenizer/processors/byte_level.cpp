// ByteLevel post-processor: in HF it only trims offsets (trim_offsets); it adds no tokens. Our
// spans are exact input bytes already, so it does nothing here.
#include "core/tokenizer/processors/post_processor.h"

namespace z2z::tok {
namespace {

class ByteLevelProcessor final : public PostProcessor {
 public:
  void process(std::vector<Token>&, std::uint32_t) const override {}
};

}  // namespace

PostProcessorPtr byte_level_processor_from_json(const JsonRef&) { return std::make_unique<ByteLevelProcessor>(); }

}  // namespace z2z::tok
