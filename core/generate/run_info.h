// The RunInfo header of a generation session (model, compression, sampling settings): the fields the
// terminal `z2z generate` and the studio's generation worker both record.
#pragma once

#include <string>

#include "core/generate/generator.h"
#include "core/session/session.h"

namespace z2z::gen {

// source "generate", creation time and version; model facts from `model.summary()`; `tokenizer` is the
// tokenizer file recorded ("" when none), `has_text` whether the run decodes text.
session::RunInfo generation_run_info(const model::Zip2ZipModel& model, const std::string& model_dir,
                                     const GenerationParams& p, const std::string& tokenizer, bool has_text);

}  // namespace z2z::gen
