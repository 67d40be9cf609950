// Loading a model for a command (`z2z generate`, `score`, `eval`): Zip2ZipModel::load plus one
// "warning: ..." line on stderr per load warning (unknown config fields, non-finite weights).
#pragma once

#include <filesystem>
#include <memory>

#include "core/model/zip2zip_model.h"

namespace z2z::cli {

std::shared_ptr<model::Zip2ZipModel> load_model(const std::filesystem::path& dir,
                                                const model::LoadOptions& options = {});

}  // namespace z2z::cli
