// parse_zip2zip_config: zip2zip_config.json (format_version 1 and 2, reference §4.2) -> Zip2ZipConfig.
// Validates types and ranges, resolves base_model_name_or_path to a local directory path (it does not
// check that it exists: resolve_model_dir does), collects warnings for unknown fields.
#include <algorithm>

#include "core/model/format/configs.h"
#include "core/model/format/json_file.h"
#include "core/util/error.h"

namespace z2z::model {

namespace fs = std::filesystem;

namespace {

constexpr std::array<std::string_view, 4> kEncoderTypes{"transformer", "res_latent_attn", "attention", "average"};

void warn_unknown(const JsonFields& f, std::initializer_list<std::string_view> known, Zip2ZipConfig& c) {
  for (const auto& name : f.unknown_fields(known))
    c.warnings.push_back(fmt::format("{}: unknown field '{}' ignored", f.file(), name));
}

EncoderConfig parse_encoder(const JsonFields& f, const std::string& type, Zip2ZipConfig& c) {
  EncoderConfig e;
  e.hidden_size = f.positive_int("hidden_size");
  e.model_hidden_size = f.opt_positive_int("model_hidden_size");
  e.intermediate_size = f.opt_positive_int("intermediate_size");
  e.num_hidden_layers = f.opt_positive_int("num_hidden_layers").value_or(1);
  e.num_heads = f.opt_positive_int("num_heads").value_or(1);
  e.position_encoding = f.opt_string("position_encoding").value_or("");
  e.tie_encoders = f.opt_bool("tie_encoders", false);
  e.causal = f.opt_bool("causal", false);
  e.residual = f.opt_bool("residual", false);
  e.use_cls_token = f.opt_bool("use_cls_token", false);
  if (type != "average" && e.hidden_size % e.num_heads != 0)
    fail("{}: encoder.hidden_size ({}) must be a multiple of encoder.num_heads ({})", f.file(), e.hidden_size,
         e.num_heads);
  // res_latent_attn ignores position_encoding (it always has a learned one); the others know only these two.
  if (type != "res_latent_attn" && !e.position_encoding.empty() && e.position_encoding != "learnable")
    f.invalid("position_encoding", "\"learnable\" or null");
  warn_unknown(f,
               {"hidden_size", "model_hidden_size", "intermediate_size", "num_hidden_layers", "num_heads",
                "position_encoding", "tie_encoders", "causal", "residual", "use_cls_token"},
               c);
  return e;
}

CompressionSpec parse_compression(const JsonFields& f, Zip2ZipConfig& c) {
  CompressionSpec s;
  s.initial_vocab_size = f.positive_int("initial_vocab_size");
  s.max_codebook_size = f.nonneg_int("max_codebook_size");
  s.max_subtokens = f.positive_int("max_subtokens");
  s.disabled_ids = f.opt_nonneg_int_list("disabled_ids");
  warn_unknown(f, {"initial_vocab_size", "max_codebook_size", "max_subtokens", "disabled_ids"}, c);
  return s;
}

}  // namespace

Zip2ZipConfig parse_zip2zip_config(const fs::path& path) {
  const nlohmann::json j = load_json_file(path);
  const std::string file = path.string();
  if (!j.is_object()) fail("{}: must be a JSON object", file);
  const JsonFields f(j, file);
  Zip2ZipConfig c;

  const auto version = f.opt_positive_int("format_version").value_or(1);
  if (version != 1 && version != 2) fail("{}: unsupported format_version {} (supported: 1, 2)", file, version);
  c.format_version = static_cast<int>(version);

  c.base_model_name_or_path = f.string("base_model_name_or_path");
  if (c.base_model_name_or_path.empty()) f.invalid("base_model_name_or_path", "a non-empty path");
  const fs::path adapter_dir = fs::absolute(path).parent_path();
  const fs::path base(c.base_model_name_or_path);
  c.base_model_dir = (base.is_absolute() ? base : adapter_dir / base).lexically_normal();
  if (c.base_model_dir.has_filename() == false && c.base_model_dir != c.base_model_dir.root_path())
    c.base_model_dir = c.base_model_dir.parent_path();  // drop the trailing "/" left by "." or "dir/"

  c.encoder_type = f.string("encoder_type");
  if (std::find(kEncoderTypes.begin(), kEncoderTypes.end(), c.encoder_type) == kEncoderTypes.end())
    fail("{}: unknown encoder_type '{}' (supported: transformer, res_latent_attn, attention, average)", file,
         c.encoder_type);
  c.encoder = parse_encoder(f.object("encoder"), c.encoder_type, c);
  c.compression = parse_compression(f.object("compression"), c);

  c.position_mode = f.opt_string("position_mode").value_or("consecutive");
  if (c.position_mode != "consecutive" && c.position_mode != "base_token_end")
    fail("{}: unsupported position_mode '{}' (supported: consecutive, base_token_end)", file, c.position_mode);
  warn_unknown(
      f, {"format_version", "base_model_name_or_path", "encoder_type", "encoder", "compression", "position_mode"}, c);
  return c;
}

}  // namespace z2z::model
