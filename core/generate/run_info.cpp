// generation_run_info: see run_info.h.
#include "core/generate/run_info.h"

namespace z2z::gen {

session::RunInfo generation_run_info(const model::Zip2ZipModel& model, const std::string& model_dir,
                                     const GenerationParams& p, const std::string& tokenizer, bool has_text) {
  const auto& ms = model.summary();
  session::RunInfo info;
  info.source = "generate";
  info.created = session::utc_now_iso8601();
  info.z2z_version = Z2Z_VERSION;
  info.model_dir = model_dir;
  info.model_arch = ms.arch;
  info.zip2zip = ms.zip2zip;
  info.position_mode = ms.position_mode;
  info.tokenizer = tokenizer;
  info.has_text = has_text;
  info.compression = model.compression().to_lzw_config();
  info.temperature = p.sampling.temperature;
  info.top_k = p.sampling.top_k;
  info.top_p = p.sampling.top_p;
  info.seed = p.sampling.seed;
  info.max_new_tokens = p.max_new_tokens;
  info.top_logprobs = static_cast<std::int64_t>(p.top_logprobs);
  info.compress_prompt = p.compress_prompt;
  info.mask_uninstalled = p.mask_uninstalled;
  info.device = ms.device;
  info.dtype = ms.dtype;
  return info;
}

}  // namespace z2z::gen
