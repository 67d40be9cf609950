// load_model: see model_cli.h.
#include "app/z2z/model_cli.h"

#include <fmt/format.h>

namespace z2z::cli {

std::shared_ptr<model::Zip2ZipModel> load_model(const std::filesystem::path& dir, const model::LoadOptions& options) {
  auto m = model::Zip2ZipModel::load(dir, options);
  for (const std::string& w : m->summary().warnings) fmt::print(stderr, "warning: {}\n", w);
  return m;
}

}  // namespace z2z::cli
