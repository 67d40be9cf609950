// LZW encoder and fault-tolerant decoder. The pseudo-code of reference §1.3/§1.4 is quoted next to
// the lines that implement it; keep them in sync.
#include "core/lzw/codec.h"

#include <algorithm>

#include "core/util/error.h"

namespace z2z::lzw {

// ---------------------------------------------------------------------------------------------
// Encoder
// ---------------------------------------------------------------------------------------------
namespace {

struct NoTrace {
  static constexpr bool kActive = false;
};
struct RowTrace {
  static constexpr bool kActive = true;
  EncodeTrace* trace;
};

template <typename Trace>
EncodeResult encode_impl(const CompressionConfig& cfg, std::span<const TokenId> ids, const EncodeOptions& opt,
                         std::size_t offset, Trace tracer) {
  if (opt.truncation && !opt.max_length) fail("lzw encode: truncation requires max_length");
  if (opt.padding == Padding::MaxLength && !opt.max_length) fail("lzw encode: max_length padding requires max_length");
  if (opt.max_length && *opt.max_length < 0) fail("lzw encode: max_length must be >= 0, got {}", *opt.max_length);
  if (offset > ids.size()) fail("lzw encode: offset {} past the end ({} ids)", offset, ids.size());

  EncodeResult r{{}, offset, Codebook(cfg.V())};
  Codebook& cb = r.codebook;
  cb.reserve(static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(ids.size() - offset), cfg.K())));
  std::vector<TokenId>& out = r.codes;
  out.reserve(ids.size() - offset);
  const auto V = static_cast<TokenId>(cfg.V());
  const std::int64_t limit = cfg.id_limit();
  const std::size_t S = static_cast<std::size_t>(cfg.S());
  const bool truncating = opt.truncation;
  const std::size_t max_len = opt.max_length ? static_cast<std::size_t>(*opt.max_length) : 0;
  std::int64_t next = cfg.V();

  std::vector<TokenId> buf;  // pending base ids (only its node and length are needed on the fast path)
  buf.reserve(S + 1);
  Codebook::Handle cur = Codebook::kNone;
  TraceRow* row = nullptr;

  // emit(b): b[0] if len(b)==1 else cb[b]; only if not truncating or len(out) < max_length
  auto emit = [&](TokenId code) {
    if (!truncating || out.size() < max_len) {
      out.push_back(code);
      if constexpr (Trace::kActive) {
        if (row)
          row->emitted.push_back(code);
        else
          tracer.trace->final_flush.push_back(code);
      }
    }
  };
  auto emit_buffer = [&]() { emit(buf.size() == 1 ? buf[0] : cb.code_of(cur)); };

  std::size_t pos = offset;
  const std::size_t n = ids.size();
  while (pos < n) {
    if (truncating && out.size() >= max_len) break;  // checked BEFORE consuming the next id
    const TokenId x = ids[pos];
    if constexpr (Trace::kActive) {
      tracer.trace->rows.push_back(TraceRow{});
      row = &tracer.trace->rows.back();
      row->position = pos;
      row->buffer_before = buf;
      row->id = x;
    }
    ++pos;
    if (cfg.is_disabled(x)) {  // hard boundary: flush, then pass the id through verbatim
      if constexpr (Trace::kActive) row->disabled = true;
      if (!buf.empty()) {
        emit_buffer();
        buf.clear();
      }
      emit(x);
      if constexpr (Trace::kActive) row->buffer_after = buf;
      continue;
    }
    if (x < 0 || x >= V)
      fail("lzw encode: id {} at position {} is not a base id (V={}) and not disabled", x, pos - 1, cfg.V());
    if (buf.empty()) {  // known = (x < V) if len(buf) == 1
      buf.push_back(x);
      cur = static_cast<Codebook::Handle>(x);
      if constexpr (Trace::kActive) row->known = true;
    } else {
      const Codebook::Probe probe = cb.probe(cur, x);
      buf.push_back(x);
      if (cb.is_entry(probe.found)) {  // known = buf in cb
        cur = probe.found;
        if constexpr (Trace::kActive) row->known = true;
      } else {
        if (next < limit) {  // if next < V + K: cb[buf] = next; next += 1
          if (probe.found == Codebook::kNone)
            cb.insert_probed(probe, cur, buf, static_cast<TokenId>(next));
          else
            cb.insert_child(cur, buf, static_cast<TokenId>(next));
          if constexpr (Trace::kActive) {
            row->added_id = static_cast<TokenId>(next);
            row->added_seq = buf;
          }
          ++next;
        }
        buf.pop_back();  // buf.pop(); emit(buf); buf = [x]
        emit_buffer();
        buf.assign(1, x);
        cur = static_cast<Codebook::Handle>(x);
      }
    }
    if (buf.size() == S) {  // forced flush; NO entry linking to the next token
      emit_buffer();
      buf.clear();
    }
    if constexpr (Trace::kActive) row->buffer_after = buf;
  }
  if constexpr (Trace::kActive) row = nullptr;
  if (!buf.empty()) emit_buffer();
  if (opt.padding == Padding::MaxLength && out.size() < max_len)  // LEFT-pad up to max_length
    out.insert(out.begin(), max_len - out.size(), cfg.pad());
  r.next_offset = pos;
  return r;
}

}  // namespace

EncodeResult encode(const CompressionConfig& config, std::span<const TokenId> ids, const EncodeOptions& options,
                    std::size_t offset) {
  return encode_impl(config, ids, options, offset, NoTrace{});
}

EncodeTrace encode_trace(const CompressionConfig& config, std::span<const TokenId> ids) {
  EncodeTrace trace{{}, {}, {{}, 0, Codebook(config.V())}};
  trace.result = encode_impl(config, ids, EncodeOptions{}, 0, RowTrace{&trace});
  return trace;
}

// ---------------------------------------------------------------------------------------------
// Decoder
// ---------------------------------------------------------------------------------------------

DecoderState::DecoderState(const CompressionConfig& config)
    : config_(config), codebook_(config.V()), next_(config.V()) {
  buf_.reserve(static_cast<std::size_t>(config.S()) + 1);
  scratch_.reserve(static_cast<std::size_t>(config.S()) + 1);
}

std::vector<TokenId> DecoderState::take_created() {
  std::vector<TokenId> out;
  out.swap(created_);
  return out;
}

void DecoderState::set_buffer(std::span<const TokenId> seq, Codebook::Handle node_hint) {
  buf_.resize(seq.size());
  for (std::size_t i = 0; i < seq.size(); ++i) buf_[i] = seq[i];
  buf_node_ = node_hint != Codebook::kNone ? node_hint : codebook_.find(seq);
}

// Next free id. The reference allocates `next` blindly; after an out-of-order id received through
// the "trust the received id" branch it could hand out an id that is already taken (overwriting one
// direction of its bijection). We skip taken ids instead (docs/lzw.md, "Deviations").
TokenId DecoderState::allocate_id() {
  while (next_ < config_.id_limit() && codebook_.contains_id(next_)) ++next_;  // rarely loops
  return static_cast<TokenId>(next_);
}

void DecoderState::push(TokenId c, std::vector<TokenId>& out) {
  const std::int64_t V = config_.V();
  const std::size_t S = static_cast<std::size_t>(config_.S());
  const std::size_t at = consumed_;

  // if c in disabled: buf = []; out.append(c); continue
  if (config_.is_disabled(c)) {
    buf_.clear();
    buf_node_ = Codebook::kNone;
    out.push_back(c);
    ++consumed_;
    return;
  }
  if (c < 0) fail("lzw decode: code {} at position {} is negative", c, at);
  if (c >= config_.id_limit())
    fail("lzw decode: code {} at position {} is past the hypertoken range [V, V+K) = [{}, {})", c, at, V,
         config_.id_limit());

  // D may point into the codebook's arena: reserve room for the one insert this code can cause
  // BEFORE taking the span, so the span stays valid.
  codebook_.reserve_arena(S);
  std::span<const TokenId> D;
  Codebook::Handle d_node = Codebook::kNone;
  TokenId single = c;
  if (c < V) {  // D = [c]
    D = {&single, 1};
    d_node = static_cast<Codebook::Handle>(c);
  } else if (codebook_.contains_id(c)) {  // D = cb[c]
    D = codebook_.expansion(c);
    d_node = codebook_.node_of_id(c);
  } else if (buf_.size() == S) {  // defensive force-merge branch: D = copy(buf), no insertion
    scratch_ = buf_;
    D = scratch_;
    d_node = buf_node_;
  } else {  // unknown code = KwKwK case: buf.append(buf[0]); cb[c] = buf
    if (buf_.empty())
      fail("lzw decode: code {} at position {} is not in the codebook and there is no context to build it from", c,
           at);
    if (next_ >= config_.id_limit())
      fail("lzw decode: code {} at position {} is not in the codebook and the codebook is full", c, at);
    buf_.push_back(buf_[0]);
    // NOTE: inserted under the RECEIVED id c (the reference trusts it, §1.4 item 5); next += 1
    buf_node_ = codebook_.insert(buf_, c);
    if (track_created_) created_.push_back(c);
    ++next_;
    out.insert(out.end(), buf_.begin(), buf_.end());  // buf keeps the new entry as context
    ++consumed_;
    return;
  }

  for (TokenId t : D) out.push_back(t);  // D is 1..S ids: a loop beats memmove here
  ++consumed_;
  if (allocate_id() >= config_.id_limit()) {  // codebook full: stop tracking forever
    buf_.clear();
    buf_node_ = Codebook::kNone;
    return;
  }
  if (buf_.empty() || buf_.size() == S) {  // start, or mirror the encoder's forced flush
    if (D.data() == scratch_.data()) return;  // buf = D = copy(buf): unchanged
    set_buffer(D, d_node);
    return;
  }
  // Greedy extension into the current code (arena room was reserved above, so D stays valid).
  for (std::size_t j = 0; j < D.size(); ++j) {
    const Codebook::Handle prefix = buf_node_;
    buf_.push_back(D[j]);
    Codebook::Probe probe{Codebook::kNone, 0};
    if (prefix != Codebook::kNone) probe = codebook_.probe(prefix, D[j]);
    buf_node_ = probe.found;
    if (!codebook_.is_entry(buf_node_)) {  // if buf not in cb: cb[buf] = next; next += 1; buf = D[j:]
      const TokenId id = allocate_id();
      if (prefix != Codebook::kNone && probe.found == Codebook::kNone)
        codebook_.insert_probed(probe, prefix, buf_, id);
      else
        codebook_.insert_at(prefix, buf_, id);
      if (track_created_) created_.push_back(id);
      ++next_;
      set_buffer(D.subspan(j), j == 0 ? d_node : Codebook::kNone);
      return;
    }
    if (buf_.size() == S) {  // buf = D[j+1:]
      set_buffer(D.subspan(j + 1), Codebook::kNone);
      return;
    }
  }
  // loop ended without break: buf = old buf + all of D
}

DecodeResult decode(const CompressionConfig& config, std::span<const TokenId> codes) {
  DecoderState state(config);
  state.set_track_created(false);
  state.reserve(static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(codes.size()), config.K())));
  std::vector<TokenId> ids;
  ids.reserve(codes.size() * 2);
  state.push(codes, ids);
  const std::int64_t next = state.next_id();
  return DecodeResult{std::move(ids), std::move(state).release_codebook(), next};
}

}  // namespace z2z::lzw
