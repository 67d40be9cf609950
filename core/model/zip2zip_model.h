// Zip2ZipModel — a loaded zip2zip (or plain base) model, and InferenceSession — one streaming
// sequence through it. Public engine API: no libtorch types here (pimpl), so the CLI, the session
// log and the GUI can include it cheaply.
//
// Joint output space ("index"), reference §2.1: [base rows < V0 | K hyper slots | base rows >= V0].
// Index j < V0 + K is token id j (hyper ids are V0 + slot); index j >= V0 + K is base id j - K.
// Hyper slots not yet installed are masked to -inf by default, so sampling can never emit one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/lzw/codebook_manager.h"
#include "core/lzw/config.h"

namespace z2z::model {

struct LoadOptions {
  std::string device = "cpu";                     // cpu | cuda
  std::string dtype = "f32";                      // f32 | bf16
  std::optional<std::int64_t> max_codebook_size;  // runtime override of K
  std::optional<std::int64_t> max_subtokens;      // runtime override of S (<= trained S)
  // Read encoder matrices that are exactly bf16 as bf16 (same results, half the bytes); off only to
  // compare against the f32 reads (tests, benchmarks).
  bool bf16_encoder_weights = true;
  // Precompute proj_in(source[v]) for every id (res_latent_attn with a latent narrower than the
  // model; bit-identical, see HyperEncoder::pack); off only to compare (tests, benchmarks).
  bool proj_in_tables = true;
};

struct ModelSummary {
  std::filesystem::path dir, base_dir;
  std::string arch;
  bool zip2zip = false;
  int format_version = 0;
  std::string encoder_type, position_mode = "consecutive";
  bool tie_encoders = false;
  std::int64_t model_vocab = 0, hidden = 0, layers = 0, heads = 0, kv_heads = 0, head_dim = 0;
  std::int64_t V0 = 0, K = 0, S = 1, pad = 0;
  std::vector<std::int64_t> eos_ids;
  std::optional<std::int64_t> bos_id;
  std::int64_t decoder_bytes = 0, encoder_params = 0;
  std::int64_t encoder_bf16_bytes = 0;   // encoder matrices kept in bf16 for the fast path (0: all f32)
  std::int64_t arena_bytes = 0;          // decoder weights moved into a WeightArena (CPU f32 only)
  bool arena_huge_pages = false;         // the kernel accepted MADV_HUGEPAGE for that arena
  std::int64_t proj_in_table_bytes = 0;  // encoders' proj_in tables (LoadOptions::proj_in_tables)
  std::optional<std::filesystem::path> tokenizer_json;
  std::string device = "cpu", dtype = "f32";
  std::vector<std::string> warnings;
};

// A codebook entry created while decoding the model's stream.
struct Insertion {
  std::int32_t id = 0;
  std::vector<std::int32_t> base_ids;
};

class Zip2ZipModel {
 public:
  static std::shared_ptr<Zip2ZipModel> load(const std::filesystem::path& dir, const LoadOptions& options = {});
  ~Zip2ZipModel();

  const ModelSummary& summary() const;
  const lzw::CompressionConfig& compression() const;  // plain base model: K = 0 (identity)
  std::int64_t joint_size() const;                    // Vm + K
  std::int32_t index_to_id(std::int64_t index) const;
  std::int64_t id_to_index(std::int32_t id) const;
  bool is_base_id(std::int32_t id) const;  // < V0, or a disabled id
  // Base rows >= V0 (e.g. Phi-3.5's padding rows 32011..32063) sit after the hyper slots. They take
  // part in the softmax (as in the reference) but can never be emitted — the codec would read such an
  // id as a hypertoken — unless they are disabled (special) ids. Sets them to -inf for sampling.
  void mask_unemittable(std::vector<float>& joint_logits) const;

  struct Impl;
  Impl& impl() const { return *impl_; }

 private:
  Zip2ZipModel();
  std::unique_ptr<Impl> impl_;
};

struct StepResult {
  std::vector<float> logits;  // joint index space [Vm + K]; uninstalled slots -inf (masked) or 0
  std::vector<Insertion> inserted;
  double encoder_ms = 0, forward_ms = 0;
};

class InferenceSession {
 public:
  explicit InferenceSession(std::shared_ptr<const Zip2ZipModel> model, bool mask_uninstalled = true);
  ~InferenceSession();
  InferenceSession(const InferenceSession&) = delete;
  InferenceSession& operator=(const InferenceSession&) = delete;

  // Feed codes (a prompt, or the code just sampled): updates the codebook, embeds new entries,
  // runs the decoder and returns the logits of the last position. Throws z2z::Error for an
  // invalid code; the session is then unusable (reset() it).
  StepResult feed(std::span<const std::int32_t> codes);
  void reset();

  const lzw::CodebookManager& codebook() const;
  std::int64_t codes_fed() const;
  std::int64_t base_tokens_fed() const;
  const Zip2ZipModel& model() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Intra-op compute threads of the engine (libtorch + the BLAS behind it), process-wide.
// n <= 0: one thread per core. Small models decode fastest on 1 thread (docs/benchmarks.md).
void set_compute_threads(int n);
int compute_threads();

struct ScoreResult {
  std::vector<std::int32_t> codes;
  std::vector<std::optional<double>> logprobs;  // nullopt = -inf (target not installable there)
  std::int64_t uninstallable_targets = 0;
};
// Teacher-forced scoring of the canonical LZW encoding of `base_ids` in one causal pass
// (see docs/model-engine.md): logprobs[i] = log p(codes[i+1] | codes[0..i]).
ScoreResult score(const Zip2ZipModel& model, std::span<const std::int32_t> base_ids, bool mask_uninstalled = true);
// Same, for a code stream taken as given (e.g. a model's own non-canonical output).
ScoreResult score_codes(const Zip2ZipModel& model, std::span<const std::int32_t> codes, bool mask_uninstalled = true);

}  // namespace z2z::model
