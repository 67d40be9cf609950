// Zip2ZipModel loading, the hyper path (codebook updates -> encoders -> caches), the joint LM head,
// streaming inference sessions and one-pass scoring. Reference §2.1, §2.3, §3, §4.4, §6.
#include "core/model/zip2zip_model.h"

#include <malloc.h>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include "core/lzw/codec.h"
#include "core/model/cpu_kernels.h"
#include "core/model/decoder.h"
#include "core/model/format/configs.h"
#include "core/model/format/safetensors.h"
#include "core/model/hyper_encoder.h"
#include "core/model/lora.h"
#include "core/model/torch_util.h"
#include "core/model/weight_arena.h"
#include "core/util/error.h"
#ifdef Z2Z_HAVE_CUDA_KERNELS
#include "core/model/cuda/hyper_scatter.h"
#endif

namespace z2z::model {

namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Every tensor of `store` as f32. Non-finite weights (NaN/Inf) load, with a warning naming the file and
// tensor: a checkpoint can legitimately hold them (e.g. -inf masks), but in a weight they poison every output.
TensorMap load_all_f32(const TensorStore& store, std::vector<std::string>& warnings) {
  TensorMap m;
  for (const std::string& name : store.names()) {
    torch::Tensor t = to_torch_f32(store, name);
    if (t.numel() > 0) {
      const std::int64_t bad = t.numel() - torch::isfinite(t).sum().item<std::int64_t>();
      if (bad > 0)
        warnings.push_back(fmt::format("{}: tensor '{}' has {} non-finite value{} (NaN or Inf) out of {}",
                                       store.file_of(name), name, bad, bad == 1 ? "" : "s", t.numel()));
    }
    m.emplace(name, std::move(t));
  }
  return m;
}

std::atomic<bool> g_threads_chosen{false};

// The first load() picks the engine's default unless the application chose: Z2Z_THREADS, else 1.
// Decode is one memory-bound gemv chain per token, no faster on 2 threads of this class of machine,
// and OpenMP workers spin-wait: on a shared 2-core machine 2 threads made decode ~25x slower
// (docs/benchmarks.md).
void default_threads() {
  // Also (once): keep freed activation buffers in the heap. glibc otherwise serves every tensor
  // above its (dynamic, ~1 MB) mmap threshold with a fresh mapping or trims the heap top, so each
  // prefill forward page-faults its temporaries back in (~14 % of a 128-token prefill here).
  // Bounded: chunks >= 32 MB (big weights) are still mapped and returned to the kernel.
  static std::once_flag malloc_once;
  std::call_once(malloc_once, [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
  });
  if (g_threads_chosen.load()) return;
  int n = 1;
  if (const char* env = std::getenv("Z2Z_THREADS")) n = std::atoi(env);
  set_compute_threads(n);
}

void require_consumed(const TensorMap& left, const std::string& where) {
  if (left.empty()) return;
  std::string names;
  int n = 0;
  for (const auto& [k, v] : left) {
    if (n++ < 3) names += (names.empty() ? "" : ", ") + ("'" + k + "'");
  }
  fail("{}: {} unexpected tensor(s): {}{}", where, left.size(), names, left.size() > 3 ? ", ..." : "");
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------------

struct Zip2ZipModel::Impl {
  ModelSummary summary;
  std::optional<lzw::CompressionConfig> comp;
  std::optional<Decoder> decoder;
  std::optional<HyperEncoder> enc_in, enc_out;  // enc_out empty when tied
  torch::Device device{torch::kCPU};
  torch::ScalarType dtype = torch::kFloat32;
  std::int64_t V0 = 0, K = 0, S = 1, Vm = 0, D = 0, pad = 0;

  const HyperEncoder& output_encoder() const { return enc_out ? *enc_out : *enc_in; }

  bool is_base(std::int64_t id) const { return id < V0 || comp->is_disabled(static_cast<std::int32_t>(id)); }

  // Embed new codebook entries of every row and scatter them into the caches [B, K, D] (the input
  // cache, the output cache or both).
  void install(const std::vector<lzw::RowUpdates>& ups, torch::Tensor& cache_in, torch::Tensor& cache_out,
               bool in = true, bool out = true) const {
    std::vector<std::int64_t> flat, batch_idx, slot_idx;
    for (std::size_t b = 0; b < ups.size(); ++b) {
      for (std::size_t i = 0; i < ups[b].ids.size(); ++i) {
        const std::int64_t slot = ups[b].ids[i] - V0;
        if (slot < 0 || slot >= K) continue;  // cannot happen for ids the codec validated
        const auto& e = ups[b].entries[i];
        for (std::int64_t s = 0; s < S; ++s)
          flat.push_back(s < static_cast<std::int64_t>(e.size()) ? e[static_cast<std::size_t>(s)] : pad);
        batch_idx.push_back(static_cast<std::int64_t>(b));
        slot_idx.push_back(slot);
      }
    }
    if (batch_idx.empty()) return;
    const auto N = static_cast<std::int64_t>(batch_idx.size());
    auto rows = torch::tensor(flat, torch::kInt64).view({N, S}).to(device);
    auto bi = torch::tensor(batch_idx, torch::kInt64).to(device),
         si = torch::tensor(slot_idx, torch::kInt64).to(device);
    c10::InferenceMode guard;
    if (in) scatter(cache_in, bi, si, enc_in->forward(rows, decoder->embed(), pad));
    if (out) scatter(cache_out, bi, si, output_encoder().forward(rows, decoder->lm_head(), pad));
  }

  // Encoder fast path usable (f32 CPU res_latent_attn; see HyperEncoder::encode_entries).
  bool fast_encoders() const {
    return K > 0 && device.is_cpu() && enc_in->can_encode_entry(decoder->embed()) &&
           output_encoder().can_encode_entry(decoder->lm_head());
  }

  // Joint logits of one hidden state h [D] (f32, CPU) written straight into out [Vm + K]:
  // [W[:V0] h | cache_out[:rows] h, 0 beyond | W[V0:] h], uninstalled slots -inf when masking.
  // Slots >= hyper_rows were never installed: their cache rows are zero, so their logit is 0.
  void joint_logits_cpu(const float* h, const torch::Tensor& cache_out, std::int64_t hyper_rows,
                        const std::vector<std::uint8_t>& installed, bool mask, float* out) const {
    const float* W = decoder->lm_head().data_ptr<float>();
    const std::int64_t low = std::min(V0, Vm);
    cpu::gemv(W, low, D, h, out);
    if (K > 0) {
      if (hyper_rows > 0) cpu::gemv(cache_out.data_ptr<float>(), hyper_rows, D, h, out + low);
      std::fill(out + low + hyper_rows, out + low + K, 0.0f);
      if (mask)
        for (std::int64_t k = 0; k < K; ++k)
          if (!installed[static_cast<std::size_t>(k)]) out[low + k] = -std::numeric_limits<float>::infinity();
    }
    if (Vm > low) cpu::gemv(W + low * D, Vm - low, D, h, out + low + K);
  }

  // cache[b, slot, :] = rows: the CUDA kernel for f32 CUDA tensors when built, torch otherwise.
  static void scatter(torch::Tensor& cache, const torch::Tensor& bi, const torch::Tensor& si,
                      const torch::Tensor& rows) {
#ifdef Z2Z_HAVE_CUDA_KERNELS
    if (cache.is_cuda() && cache.scalar_type() == torch::kFloat32 && cache.is_contiguous()) {
      auto r = rows.to(torch::kFloat32).contiguous();
      int rc = z2z_cuda_hyper_scatter_f32(r.data_ptr<float>(), bi.data_ptr<std::int64_t>(), si.data_ptr<std::int64_t>(),
                                          cache.data_ptr<float>(), r.size(0), cache.size(1), cache.size(2), nullptr);
      if (rc != 0) fail("CUDA hyper-scatter kernel failed (cudaError {})", rc);
      return;
    }
#endif
    cache.index_put_({bi, si}, rows.to(cache.scalar_type()));
  }

  // Input embeddings of codes [B, T]: base ids from E, hypertokens from cache_in.
  torch::Tensor embed_codes(const torch::Tensor& codes, const torch::Tensor& cache_in) const {
    const torch::Tensor& E = decoder->embed();
    if (K == 0) return E.index_select(0, codes.reshape({-1})).view({codes.size(0), codes.size(1), D});
    auto base_mask = codes.lt(V0);
    if (comp->disabled_ids().back() >= V0) {
      for (auto d : comp->disabled_ids())
        if (d >= V0) base_mask = base_mask.logical_or(codes.eq(d));
    }
    auto base_ids = torch::where(base_mask, codes, torch::zeros({}, codes.options()));
    auto slots = torch::where(base_mask, torch::zeros({}, codes.options()), codes - V0);
    auto e_base = E.index_select(0, base_ids.reshape({-1})).view({codes.size(0), codes.size(1), D});
    auto e_hyper = cache_in.gather(1, slots.unsqueeze(-1).expand({codes.size(0), codes.size(1), D}));
    return torch::where(base_mask.unsqueeze(-1), e_base, e_hyper);
  }

  // Joint logits [B, T, Vm + K] in f32: [W[:V0] h | cache_out h | W[V0:] h].
  torch::Tensor joint_logits(const torch::Tensor& h, const torch::Tensor& cache_out) const {
    auto base = torch::matmul(h, decoder->lm_head().t()).to(torch::kFloat32);  // [B, T, Vm]
    if (K == 0) return base;
    auto hyper = torch::matmul(h, cache_out.transpose(1, 2)).to(torch::kFloat32);  // [B, T, K]
    const std::int64_t low = std::min(V0, Vm);
    std::vector<torch::Tensor> parts{base.narrow(-1, 0, low), hyper};
    if (Vm > low) parts.push_back(base.narrow(-1, low, Vm - low));
    return torch::cat(parts, -1);
  }

  // Spans and base-token-end positions of codes (after the codebook knows them).
  std::int64_t span_of(std::int32_t code, const lzw::DecoderState& st) const {
    if (is_base(code)) return 1;
    return static_cast<std::int64_t>(st.codebook().expansion(code).size());
  }
};

Zip2ZipModel::Zip2ZipModel() : impl_(std::make_unique<Impl>()) {}
Zip2ZipModel::~Zip2ZipModel() = default;

std::shared_ptr<Zip2ZipModel> Zip2ZipModel::load(const std::filesystem::path& dir, const LoadOptions& opt) {
  default_threads();
  std::shared_ptr<Zip2ZipModel> model(new Zip2ZipModel());
  Impl& m = *model->impl_;
  if (opt.device == "cuda") {
    if (!torch::cuda::is_available())
      fail("--device cuda: this build of libtorch has no CUDA support or no GPU is visible (use --device cpu)");
    m.device = torch::Device(torch::kCUDA);
  } else if (opt.device != "cpu") {
    fail("--device: '{}' is not a device (cpu or cuda)", opt.device);
  }
  if (opt.dtype == "bf16")
    m.dtype = torch::kBFloat16;
  else if (opt.dtype != "f32")
    fail("--dtype: '{}' is not supported (f32 or bf16)", opt.dtype);

  ModelFiles files = resolve_model_dir(dir);
  const DecoderConfig& dc = files.decoder;
  ModelSummary& s = m.summary;
  s.dir = files.dir;
  s.base_dir = files.base_dir;
  s.arch = dc.arch_name;
  s.model_vocab = dc.vocab_size;
  s.hidden = dc.hidden_size;
  s.layers = dc.num_hidden_layers;
  s.heads = dc.num_attention_heads;
  s.kv_heads = dc.num_key_value_heads;
  s.head_dim = dc.head_dim;
  s.eos_ids = dc.eos_token_ids;
  s.bos_id = dc.bos_token_id;
  s.tokenizer_json = files.tokenizer_json;
  s.device = opt.device;
  s.dtype = opt.dtype;
  m.Vm = dc.vocab_size;
  m.D = dc.hidden_size;

  // Decoder weights (f32), LoRA merged in f32 before fusing.
  TensorStore base_store = TensorStore::open_file(files.weights);
  TensorMap weights = load_all_f32(base_store, s.warnings);
  if (files.adapter && files.adapter_weights) merge_lora(weights, *files.adapter_weights, *files.adapter);
  m.decoder.emplace(dc, weights, files.weights.string());
  require_consumed(weights, files.weights.string());

  // Compression config. pad = base pad_token_id, else eos_token_id.
  if (dc.pad_token_id)
    m.pad = *dc.pad_token_id;
  else if (!dc.eos_token_ids.empty())
    m.pad = dc.eos_token_ids.front();
  s.pad = m.pad;
  if (files.zip2zip) {
    const Zip2ZipConfig& z = *files.zip2zip;
    s.zip2zip = true;
    s.format_version = z.format_version;
    s.encoder_type = z.encoder_type;
    s.position_mode = z.position_mode;
    s.tie_encoders = z.encoder.tie_encoders;
    s.warnings.insert(s.warnings.begin(), z.warnings.begin(), z.warnings.end());
    m.V0 = z.compression.initial_vocab_size;
    m.K = opt.max_codebook_size.value_or(z.compression.max_codebook_size);
    m.S = opt.max_subtokens.value_or(z.compression.max_subtokens);
    if (m.S > z.compression.max_subtokens)
      fail("--max-subtokens {} is larger than the trained max_subtokens {}", m.S, z.compression.max_subtokens);
    if (m.K < 0) fail("--max-codebook-size must be >= 0");
    if (m.V0 > m.Vm)
      fail("zip2zip_config.json: compression.initial_vocab_size {} exceeds the model vocab {}", m.V0, m.Vm);
    std::vector<std::int32_t> disabled;
    for (auto d : z.compression.disabled_ids) disabled.push_back(static_cast<std::int32_t>(d));
    m.comp.emplace(
        lzw::LzwConfig{m.V0, m.K, static_cast<std::int32_t>(m.S), static_cast<std::int32_t>(m.pad), disabled});

    if (!files.encoders_file) fail("{}: zip2zip_config.json present but no zip2zip_encoders.safetensors", dir.string());
    TensorStore enc_store = TensorStore::open_file(*files.encoders_file);
    TensorMap enc = load_all_f32(enc_store, s.warnings);
    const std::string where = files.encoders_file->string();
    m.enc_in.emplace(z.encoder_type, z.encoder, m.D, m.S, enc, "input_encoder.", where);
    if (!z.encoder.tie_encoders) m.enc_out.emplace(z.encoder_type, z.encoder, m.D, m.S, enc, "output_encoder.", where);
    require_consumed(enc, where);
    for (auto* t : m.enc_in->parameters()) s.encoder_params += t->numel();
    if (m.enc_out)
      for (auto* t : m.enc_out->parameters()) s.encoder_params += t->numel();
  } else {
    m.V0 = m.Vm;
    m.K = 0;
    m.S = 1;
    std::vector<std::int32_t> disabled;
    m.comp.emplace(lzw::LzwConfig{m.V0, 0, 1, static_cast<std::int32_t>(m.pad), disabled});
  }
  s.V0 = m.V0;
  s.K = m.K;
  s.S = m.S;

  if (m.dtype != torch::kFloat32) {
    m.decoder->to(m.dtype);
    if (m.enc_in) m.enc_in->to(m.dtype);
    if (m.enc_out) m.enc_out->to(m.dtype);
  }
  s.decoder_bytes = m.decoder->parameter_bytes();
  // Every decode step streams all decoder weights: one arena of 2 MiB pages spares the page walks
  // of ~5 400 4 KiB pages per step on the demo-size model (WeightArena, docs/model-engine.md).
  // If the mapping cannot be made, the weights stay where they are (same results, 4 KiB pages).
  if (m.device.is_cpu() && m.dtype == torch::kFloat32) {
    try {
      if (auto arena = move_into_arena(m.decoder->step_weights())) {
        s.arena_bytes = static_cast<std::int64_t>(arena->used());
        s.arena_huge_pages = arena->huge_pages_requested();
      }
    } catch (const Error& e) {
      s.warnings.push_back(fmt::format("decoder weights left in place: {}", e.what()));
    }
  }
  // The per-entry fast path reads panel-packed copies of the encoder matrices; those that came from
  // bf16 files stay bf16: half the bytes per new hypertoken, bit-identical results (HyperEncoder::pack).
  // Each encoder also gets its proj_in table over the source it is given most often (tied encoders:
  // the LM head, since the output role runs on every new entry).
  auto table_source = [&](bool output) -> torch::Tensor {
    if (!opt.proj_in_tables) return {};
    return output ? m.decoder->lm_head() : m.decoder->embed();
  };
  if (m.enc_in) s.encoder_bf16_bytes += m.enc_in->pack(opt.bf16_encoder_weights, table_source(!m.enc_out));
  if (m.enc_out) s.encoder_bf16_bytes += m.enc_out->pack(opt.bf16_encoder_weights, table_source(true));
  for (const auto* e : {&m.enc_in, &m.enc_out})
    if (*e) s.proj_in_table_bytes += (*e)->proj_in_table_bytes();
  return model;
}

const ModelSummary& Zip2ZipModel::summary() const { return impl_->summary; }
const lzw::CompressionConfig& Zip2ZipModel::compression() const { return *impl_->comp; }
std::int64_t Zip2ZipModel::joint_size() const { return impl_->Vm + impl_->K; }
bool Zip2ZipModel::is_base_id(std::int32_t id) const { return impl_->is_base(id); }

void Zip2ZipModel::mask_unemittable(std::vector<float>& logits) const {
  const Impl& m = *impl_;
  for (std::int64_t j = m.V0 + m.K; j < m.Vm + m.K && j < static_cast<std::int64_t>(logits.size()); ++j)
    if (!m.comp->is_disabled(static_cast<std::int32_t>(j - m.K)))
      logits[static_cast<std::size_t>(j)] = -std::numeric_limits<float>::infinity();
}

std::int32_t Zip2ZipModel::index_to_id(std::int64_t j) const {
  const Impl& m = *impl_;
  return static_cast<std::int32_t>(j < m.V0 + m.K ? j : j - m.K);
}

std::int64_t Zip2ZipModel::id_to_index(std::int32_t id) const {
  const Impl& m = *impl_;
  if (id < m.V0) return id;
  if (m.is_base(id)) return id + m.K;  // base rows >= V0 are shifted past the hyper slots
  return id;                           // hypertoken: V0 + slot
}

// ---------------------------------------------------------------------------------------------
// Streaming session
// ---------------------------------------------------------------------------------------------

struct InferenceSession::Impl {
  std::shared_ptr<const Zip2ZipModel> model;
  bool mask = true;
  std::optional<lzw::CodebookManager> manager;
  KvCache kv;
  torch::Tensor cache_in, cache_out;    // [1, K, D]
  std::vector<std::uint8_t> installed;  // [K]
  // Fast path (f32 CPU res_latent_attn): an entry's output-cache row is computed when the entry is
  // created (the very next logits need it), its input-cache row only when its code is fed.
  std::vector<std::uint8_t> in_ready;  // [K] input-cache row computed
  std::int64_t hyper_rows = 0;         // 1 + the highest installed slot
  bool fast_enc = false;
  DecodeWorkspace ws;
  EncoderWorkspace ews;
  std::int64_t codes = 0, base_offset = 0;
  std::vector<std::int32_t> history;  // every code fed (for a longrope cache rebuild)
  std::vector<std::int64_t> positions;
  bool poisoned = false;

  void reset() {
    const auto& m = model->impl();
    manager.emplace(*m.comp);
    kv.clear();
    auto opts = torch::TensorOptions().dtype(m.dtype).device(m.device);
    cache_in = torch::zeros({1, m.K, m.D}, opts);
    cache_out = torch::zeros({1, m.K, m.D}, opts);
    installed.assign(static_cast<std::size_t>(m.K), 0);
    in_ready.assign(static_cast<std::size_t>(m.K), 0);
    hyper_rows = 0;
    fast_enc = m.fast_encoders();
    codes = 0;
    base_offset = 0;
    history.clear();
    positions.clear();
    poisoned = false;
  }

  // Embed new entries. Fast path: the output-cache rows now (the very next logits need them), the
  // input-cache rows only when a code needs them (ensure_inputs). Else one libtorch pass over both.
  void install(const std::vector<lzw::RowUpdates>& ups) {
    const auto& m = model->impl();
    const auto& u = ups[0];
    bool fast = fast_enc;
    for (const auto& e : u.entries)
      for (auto id : e) fast = fast && id != m.pad;
    if (!fast) {
      m.install(ups, cache_in, cache_out);
      for (auto id : u.ids) mark(id - m.V0, true);
      return;
    }
    ews.entries.clear();
    ews.outs.clear();
    float* out = cache_out.data_ptr<float>();
    for (std::size_t i = 0; i < u.ids.size(); ++i) {
      const std::int64_t slot = u.ids[i] - m.V0;
      if (slot < 0 || slot >= m.K) continue;
      ews.entries.emplace_back(u.entries[i]);
      ews.outs.push_back(out + slot * m.D);
      mark(slot, false);
    }
    m.output_encoder().encode_entries(ews.entries, m.decoder->lm_head(), m.pad, ews.outs, ews);
  }
  void mark(std::int64_t slot, bool in_done) {
    const auto& m = model->impl();
    if (slot < 0 || slot >= m.K) return;
    installed[static_cast<std::size_t>(slot)] = 1;
    in_ready[static_cast<std::size_t>(slot)] = in_done;
    hyper_rows = std::max(hyper_rows, slot + 1);
  }
  // Input-cache rows of the installed hypertokens among `codes` that are not computed yet.
  void ensure_inputs(std::span<const std::int32_t> codes) {
    const auto& m = model->impl();
    const auto& cb = manager->state(0).codebook();
    ews.entries.clear();
    ews.outs.clear();
    float* in = nullptr;
    for (std::int32_t c : codes) {
      if (m.is_base(c)) continue;
      const auto k = static_cast<std::size_t>(c - m.V0);
      if (!installed[k] || in_ready[k]) continue;
      if (!in) in = cache_in.data_ptr<float>();
      ews.entries.push_back(cb.expansion(c));
      ews.outs.push_back(in + static_cast<std::int64_t>(k) * m.D);
      in_ready[k] = 1;
    }
    if (!ews.entries.empty()) m.enc_in->encode_entries(ews.entries, m.decoder->embed(), m.pad, ews.outs, ews);
  }
};

InferenceSession::InferenceSession(std::shared_ptr<const Zip2ZipModel> model, bool mask_uninstalled)
    : impl_(std::make_unique<Impl>()) {
  impl_->model = std::move(model);
  impl_->mask = mask_uninstalled;
  impl_->reset();
}
InferenceSession::~InferenceSession() = default;
void InferenceSession::reset() { impl_->reset(); }
const lzw::CodebookManager& InferenceSession::codebook() const { return *impl_->manager; }
std::int64_t InferenceSession::codes_fed() const { return impl_->codes; }
std::int64_t InferenceSession::base_tokens_fed() const { return impl_->base_offset; }
const Zip2ZipModel& InferenceSession::model() const { return *impl_->model; }

StepResult InferenceSession::feed(std::span<const std::int32_t> codes) {
  Impl& st = *impl_;
  const auto& m = st.model->impl();
  if (st.poisoned) fail("inference session: a previous feed failed; reset the session");
  if (codes.empty()) fail("inference session: nothing to feed");
  for (std::int32_t c : codes) {
    if (c < 0 || (m.is_base(c) && c >= m.Vm) || (!m.is_base(c) && c >= m.V0 + m.K))
      fail("code {} is outside the model's id space (vocab {}, hypertokens [{}, {}))", c, m.Vm, m.V0, m.V0 + m.K);
  }
  StepResult r;
  c10::InferenceMode inference;
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<lzw::RowUpdates> ups;
  try {
    ups = st.manager->update({std::vector<std::int32_t>(codes.begin(), codes.end())});
  } catch (...) {
    st.poisoned = true;
    throw;
  }
  for (std::size_t i = 0; i < ups[0].ids.size(); ++i) r.inserted.push_back(Insertion{ups[0].ids[i], ups[0].entries[i]});
  if (m.K > 0 && !ups[0].ids.empty()) st.install(ups);
  r.encoder_ms = ms_since(t0);

  // Positions: consecutive, or base-token-end (position = base tokens before + span - 1).
  const auto T = static_cast<std::int64_t>(codes.size());
  std::vector<std::int64_t> pos(static_cast<std::size_t>(T));
  const bool base_end = st.model->summary().position_mode == "base_token_end";
  for (std::int64_t t = 0; t < T; ++t) {
    if (base_end) {
      const std::int64_t span = m.span_of(codes[static_cast<std::size_t>(t)], st.manager->state(0));
      pos[static_cast<std::size_t>(t)] = st.base_offset + span - 1;
      st.base_offset += span;
    } else {
      pos[static_cast<std::size_t>(t)] = st.codes + t;
      st.base_offset += m.span_of(codes[static_cast<std::size_t>(t)], st.manager->state(0));
    }
  }
  st.codes += T;
  const std::int64_t prev_max = st.positions.empty() ? -1 : *std::max_element(st.positions.begin(), st.positions.end());
  st.history.insert(st.history.end(), codes.begin(), codes.end());
  st.positions.insert(st.positions.end(), pos.begin(), pos.end());
  // longrope: when this forward crosses into the long factors, HF recomputes every position with
  // them; rebuild the KV cache from the whole history to match.
  const std::int64_t switch_at = m.decoder->rope().long_factor_from();
  const std::int64_t new_max = *std::max_element(pos.begin(), pos.end());
  const bool rebuild = switch_at > 0 && prev_max >= 0 && prev_max + 1 <= switch_at && new_max + 1 > switch_at;
  const bool cpu_f32 = m.device.is_cpu() && m.dtype == torch::kFloat32 && m.decoder->lm_head().is_contiguous();
  r.logits.resize(static_cast<std::size_t>(m.Vm + m.K));

  if (T == 1 && !rebuild && cpu_f32 && m.decoder->can_decode_one(st.kv)) {
    // Single-token fast path: no libtorch ops at all.
    const std::int32_t c = codes[0];
    const float* x;
    if (m.is_base(c)) {
      x = m.decoder->embed().data_ptr<float>() + static_cast<std::int64_t>(c) * m.D;
    } else {
      const auto te = std::chrono::steady_clock::now();
      if (st.fast_enc) st.ensure_inputs(codes);
      r.encoder_ms += ms_since(te);
      x = st.cache_in.data_ptr<float>() + (c - m.V0) * m.D;  // zero row if never installed
    }
    const auto t1 = std::chrono::steady_clock::now();
    const float* h = m.decoder->decode_one(x, pos[0], st.kv, st.ws);
    m.joint_logits_cpu(h, st.cache_out, st.hyper_rows, st.installed, st.mask, r.logits.data());
    r.forward_ms = ms_since(t1);
    return r;
  }

  std::span<const std::int32_t> run_codes = codes;
  std::vector<std::int64_t> run_pos = pos;
  if (rebuild) {
    st.kv.clear();
    run_codes = st.history;
    run_pos = st.positions;
  }
  if (st.fast_enc) {  // the libtorch forward reads cache_in rows of the hypertokens it runs
    const auto te = std::chrono::steady_clock::now();
    st.ensure_inputs(run_codes);
    r.encoder_ms += ms_since(te);
  }
  const auto t1 = std::chrono::steady_clock::now();
  const auto R = static_cast<std::int64_t>(run_codes.size());
  auto ids = torch::from_blob(const_cast<std::int32_t*>(run_codes.data()), {1, R}, torch::kInt32)
                 .to(torch::kInt64)
                 .to(m.device);
  auto positions = torch::from_blob(run_pos.data(), {1, R}, torch::kInt64).to(m.device);
  auto x = m.embed_codes(ids, st.cache_in);
  auto h = m.decoder->forward(x, positions, &st.kv).narrow(1, R - 1, 1);
  if (cpu_f32) {
    h = h.contiguous();
    m.joint_logits_cpu(h.data_ptr<float>(), st.cache_out, st.hyper_rows, st.installed, st.mask, r.logits.data());
  } else {
    auto logits = m.joint_logits(h, st.cache_out).view({-1});
    if (m.K > 0 && st.mask) {
      auto not_installed = torch::from_blob(st.installed.data(), {m.K}, torch::kUInt8).to(torch::kBool).logical_not();
      logits.narrow(0, std::min(m.V0, m.Vm), m.K)
          .masked_fill_(not_installed.to(m.device), -std::numeric_limits<float>::infinity());
    }
    logits = logits.to(torch::kCPU).contiguous();
    std::memcpy(r.logits.data(), logits.data_ptr<float>(), r.logits.size() * sizeof(float));
  }
  r.forward_ms = ms_since(t1);
  return r;
}

void set_compute_threads(int n) {
  g_threads_chosen.store(true);
  if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(n);   // OpenMP (libtorch and OpenBLAS-openmp read omp_get_max_threads)
  static std::once_flag once;  // the engine launches no inter-op work: keep that pool minimal
  std::call_once(once, [] {
    try {
      torch::set_num_interop_threads(1);
    } catch (const std::exception&) {  // already started by someone else: leave it
    }
  });
}

int compute_threads() { return torch::get_num_threads(); }

// ---------------------------------------------------------------------------------------------
// One-pass scoring
// ---------------------------------------------------------------------------------------------

ScoreResult score(const Zip2ZipModel& model, std::span<const std::int32_t> base_ids, bool mask_uninstalled) {
  const auto& m = model.impl();
  ScoreResult r;
  for (std::size_t i = 0; i < base_ids.size(); ++i) {
    const std::int32_t id = base_ids[i];
    if (id < 0 || id >= m.Vm) fail("base id {} at position {} is outside the model vocab [0, {})", id, i, m.Vm);
    if (id >= m.V0 && !m.is_base(id))
      fail("base id {} at position {} is >= initial_vocab_size {} and not a disabled id", id, i, m.V0);
  }
  return score_codes(model, lzw::encode(*m.comp, base_ids).codes, mask_uninstalled);
}

ScoreResult score_codes(const Zip2ZipModel& model, std::span<const std::int32_t> codes, bool mask_uninstalled) {
  const auto& m = model.impl();
  ScoreResult r;
  r.codes.assign(codes.begin(), codes.end());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const std::int32_t c = codes[i];
    if (c < 0 || (m.is_base(c) && c >= m.Vm) || (!m.is_base(c) && c >= m.V0 + m.K))
      fail("code {} at position {} is outside the model's id space (vocab {}, hypertokens [{}, {}))", c, i, m.Vm, m.V0,
           m.V0 + m.K);
  }
  const auto T = static_cast<std::int64_t>(r.codes.size());
  if (T == 0) return r;
  c10::InferenceMode inference;

  // Replay the streaming decoder one code at a time to learn when each slot is created.
  lzw::CodebookManager manager(*m.comp);
  std::vector<std::int64_t> created_at(static_cast<std::size_t>(m.K), std::numeric_limits<std::int64_t>::max());
  std::vector<std::int64_t> pos(static_cast<std::size_t>(T));
  std::int64_t base_offset = 0;
  const bool base_end = model.summary().position_mode == "base_token_end";
  std::vector<lzw::RowUpdates> all{lzw::RowUpdates{}};
  for (std::int64_t t = 0; t < T; ++t) {
    auto ups = manager.update({{r.codes[static_cast<std::size_t>(t)]}});
    for (std::size_t i = 0; i < ups[0].ids.size(); ++i) {
      const std::int64_t slot = ups[0].ids[i] - m.V0;
      if (slot >= 0 && slot < m.K) created_at[static_cast<std::size_t>(slot)] = t;
      all[0].ids.push_back(ups[0].ids[i]);
      all[0].entries.push_back(ups[0].entries[i]);
    }
    const std::int64_t span = m.span_of(r.codes[static_cast<std::size_t>(t)], manager.state(0));
    pos[static_cast<std::size_t>(t)] = base_end ? base_offset + span - 1 : t;
    base_offset += span;
  }
  auto opts = torch::TensorOptions().dtype(m.dtype).device(m.device);
  auto cache_in = torch::zeros({1, m.K, m.D}, opts), cache_out = torch::zeros({1, m.K, m.D}, opts);
  if (m.K > 0) m.install(all, cache_in, cache_out);

  auto ids =
      torch::tensor(std::vector<std::int64_t>(r.codes.begin(), r.codes.end()), torch::kInt64).view({1, T}).to(m.device);
  auto positions = torch::tensor(pos, torch::kInt64).view({1, T}).to(m.device);
  auto h = m.decoder->forward(m.embed_codes(ids, cache_in), positions, nullptr);
  auto logits = m.joint_logits(h, cache_out).squeeze(0);  // [T, Vm + K]
  if (m.K > 0) {
    // A slot created after consuming codes[0..t] is not there yet at position t: -inf when masking,
    // else logit 0 (the streaming reference's zero cache row).
    auto created = torch::tensor(created_at, torch::kInt64).view({1, m.K});
    auto t_idx = torch::arange(T, torch::kInt64).view({T, 1});
    auto unavailable = created.gt(t_idx).to(m.device);
    logits.narrow(1, std::min(m.V0, m.Vm), m.K)
        .masked_fill_(unavailable, mask_uninstalled ? -std::numeric_limits<float>::infinity() : 0.0f);
  }
  auto logp = torch::log_softmax(logits, -1).to(torch::kCPU).to(torch::kFloat64).contiguous();
  const double* lp = logp.data_ptr<double>();
  const std::int64_t J = logp.size(1);
  for (std::int64_t t = 0; t + 1 < T; ++t) {
    const double v = lp[t * J + model.id_to_index(r.codes[static_cast<std::size_t>(t + 1)])];
    if (std::isinf(v) && v < 0) {
      r.logprobs.emplace_back(std::nullopt);
      ++r.uninstallable_targets;
    } else {
      r.logprobs.emplace_back(v);
    }
  }
  return r;
}

}  // namespace z2z::model
