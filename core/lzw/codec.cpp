// LZW encoder and fault-tolerant decoder. The pseudo-code of reference §1.3/§1.4 is quoted next to
// the lines that implement it; keep them in sync.
#include "core/lzw/codec.h"

#include <algorithm>

#include "core/util/error.h"

namespace z2z::lzw {

// Probe-table room of the encoder's and decoder's codebooks: load <= 1/4, since most of their
// lookups are for absent keys, which walk to the first empty bucket (trie_table.h).
constexpr unsigned kCodecBucketsPerEntry = 4;

// ---------------------------------------------------------------------------------------------
// Encoder
// ---------------------------------------------------------------------------------------------
namespace {

// First id >= `id` that may name a new entry. Disabled ids never do: the decoder reads a disabled
// code as a special token, so an entry under a disabled id in [V, V+K) (e.g. pad 99 with V=6, TV6)
// could never be decoded. Encoder and decoder skip them alike, so their ids stay in step.
std::int64_t skip_disabled(const CompressionConfig& cfg, std::int64_t id) {
  while (id < cfg.id_limit() && cfg.is_disabled(static_cast<TokenId>(id))) ++id;  // rarely loops
  return id;
}

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

  EncodeResult r{{}, offset, Codebook(cfg.V(), kCodecBucketsPerEntry)};
  Codebook& cb = r.codebook;
  cb.reserve(static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(ids.size() - offset), cfg.K())));
  std::vector<TokenId>& out = r.codes;
  out.reserve(ids.size() - offset);
  const auto V = static_cast<TokenId>(cfg.V());
  const std::int64_t limit = cfg.id_limit();
  const std::size_t S = static_cast<std::size_t>(cfg.S());
  const bool truncating = opt.truncation;
  const std::size_t max_len = opt.max_length ? static_cast<std::size_t>(*opt.max_length) : 0;
  std::int64_t next = skip_disabled(cfg, cfg.V());

  // Pending base ids: buf[0..len). Its trie node is `cur` and the code emitting it is `cur_code`
  // (the base id itself when len == 1), so the fast path never looks at buf; only an insert copies
  // it into the arena. Fixed storage with room for copy_small's chunks.
  TokenId inline_buf[16 + Codebook::kSlack] = {};
  std::vector<TokenId> heap_buf;
  TokenId* buf = inline_buf;
  if (S + 1 + Codebook::kSlack > std::size(inline_buf)) {
    heap_buf.assign(S + 1 + Codebook::kSlack, 0);
    buf = heap_buf.data();
  }
  std::size_t len = 0;
  // 64-bit on purpose: GCC may spill it and reload 8 bytes, and a 4-byte store would then defeat
  // store forwarding on the probe's dependency chain.
  std::uint64_t cur = Codebook::kNone;
  TokenId cur_code = 0;
  TraceRow* row = nullptr;
  [[maybe_unused]] auto buf_vec = [&]() { return std::vector<TokenId>(buf, buf + len); };

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

  // Trace hooks: a row per consumed id (buffer before, id), closed with the buffer after it.
  auto row_begin = [&]([[maybe_unused]] std::size_t at, [[maybe_unused]] TokenId id) {
    if constexpr (Trace::kActive) {
      tracer.trace->rows.push_back(TraceRow{});
      row = &tracer.trace->rows.back();
      row->position = at;
      row->buffer_before = buf_vec();
      row->id = id;
    }
  };
  auto row_end = [&]() {
    if constexpr (Trace::kActive) row->buffer_after = buf_vec();
  };

  // The loop is organised around the buffer: the outer loop runs with an empty buffer, the inner
  // one extends a non-empty buffer (len < S) one id at a time: one trie probe per id.
  std::size_t pos = offset;
  const std::size_t n = ids.size();
  while (pos < n) {
    if (truncating && out.size() >= max_len) break;  // checked BEFORE consuming the next id
    const TokenId x = ids[pos];
    row_begin(pos, x);
    ++pos;
    if (cfg.is_disabled(x)) {  // hard boundary (the buffer is empty): pass the id through verbatim
      if constexpr (Trace::kActive) row->disabled = true;
      emit(x);
      row_end();
      continue;
    }
    if (x < 0 || x >= V)
      fail("lzw encode: id {} at position {} is not a base id (V={}) and not disabled", x, pos - 1, cfg.V());
    buf[0] = x;  // known = (x < V) if len(buf) == 1
    len = 1;
    cur = static_cast<std::uint32_t>(x);
    cur_code = x;
    if constexpr (Trace::kActive) row->known = true;
    if (len == S) {  // forced flush (S == 1)
      emit(cur_code);
      len = 0;
      row_end();
      continue;
    }
    row_end();
    for (;;) {  // len in [1, S)
      if (pos >= n) goto done;
      if (truncating && out.size() >= max_len) goto done;  // buffered ids are dropped
      const TokenId y = ids[pos];
      row_begin(pos, y);
      ++pos;
      if (cfg.is_disabled(y)) {  // hard boundary: flush, then pass the id through verbatim
        if constexpr (Trace::kActive) row->disabled = true;
        emit(cur_code);
        len = 0;
        emit(y);
        row_end();
        break;
      }
      if (y < 0 || y >= V)
        fail("lzw encode: id {} at position {} is not a base id (V={}) and not disabled", y, pos - 1, cfg.V());
      const Codebook::Probe probe = cb.probe(static_cast<Codebook::Handle>(cur), y);
      if (probe.code >= 0) {  // known = buf + [y] in cb
        buf[len++] = y;
        cur = probe.found;
        cur_code = probe.code;
        if constexpr (Trace::kActive) row->known = true;
        if (len == S) {  // forced flush; NO entry linking to the next token
          emit(cur_code);
          len = 0;
          row_end();
          break;
        }
        row_end();
        continue;
      }
      if (next < limit) {  // if next < V + K: cb[buf + [y]] = next; next += 1
        buf[len] = y;
        cb.insert_probed(probe, static_cast<Codebook::Handle>(cur), {buf, len + 1}, static_cast<TokenId>(next));
        if constexpr (Trace::kActive) {
          row->added_id = static_cast<TokenId>(next);
          row->added_seq.assign(buf, buf + len + 1);
        }
        next = skip_disabled(cfg, next + 1);
      }
      emit(cur_code);  // emit(buf); buf = [y]  (len stays < S: S >= 2 here)
      buf[0] = y;
      len = 1;
      cur = static_cast<std::uint32_t>(y);
      cur_code = y;
      row_end();
    }
  }
done:
  if constexpr (Trace::kActive) row = nullptr;
  if (len) emit(cur_code);  // final flush (a no-op when truncation stopped the loop)
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
    : config_(config),
      codebook_(config.V(), kCodecBucketsPerEntry),
      next_(skip_disabled(config, config.V())),
      buf_(static_cast<std::size_t>(config.S()) + 1 + Codebook::kSlack, 0) {}

std::vector<TokenId> DecoderState::take_created() {
  std::vector<TokenId> out;
  out.swap(created_);
  return out;
}

void DecoderState::set_buffer(const TokenId* seq, std::size_t len, Codebook::Handle node_hint) {
  Codebook::copy_small(buf_.data(), seq, len);
  buf_len_ = len;
  buf_node_ = node_hint != Codebook::kNone ? node_hint : codebook_.find({seq, len});
}

// Next free id. The reference allocates `next` blindly; after an out-of-order id received through
// the "trust the received id" branch it could hand out an id that is already taken (overwriting one
// direction of its bijection). We skip taken ids instead (docs/lzw.md, "Deviations").
TokenId DecoderState::allocate_id() {
  while (next_ < config_.id_limit() && codebook_.contains_id(next_))
    next_ = skip_disabled(config_, next_ + 1);  // rarely loops
  return static_cast<TokenId>(next_);
}

void DecoderState::push(TokenId c, std::vector<TokenId>& out) {
  const std::span<const TokenId> d = step(c);
  out.insert(out.end(), d.begin(), d.end());
}

void DecoderState::push(std::span<const TokenId> codes, std::vector<TokenId>& out) {
  const auto S = static_cast<std::size_t>(config_.S());
  if (S > 64) {  // huge S: keep `out` exact instead of reserving S ids of room per code
    for (TokenId c : codes) push(c, out);
    return;
  }
  // Decode into room past the logical end `w` and copy each code's ids in 16-byte chunks.
  const std::size_t room = S + Codebook::kSlack;
  std::size_t w = out.size();
  out.resize(w + 2 * codes.size() + room);
  std::size_t i = 0;
  try {
    // Tracking: every code may create an entry.
    for (; i < codes.size() && next_ < config_.id_limit(); ++i) {
      if (out.size() - w < room) out.resize(std::max(2 * out.size(), w + room));
      const std::span<const TokenId> d = step(codes[i]);
      Codebook::copy_small(out.data() + w, d.data(), d.size());
      w += d.size();
    }
    // Codebook full (for good: next_ only grows): every decoded code empties the buffer and
    // decoding is a lookup per code. Anything unusual (errors, unknown ids) goes through step().
    const std::int64_t V = config_.V();
    const std::int64_t limit = config_.id_limit();
    for (; i < codes.size(); ++i) {
      if (out.size() - w < room) out.resize(std::max(2 * out.size(), w + room));
      const TokenId c = codes[i];
      TokenId* dst = out.data() + w;
      if (c >= 0 && c < V && !config_.is_disabled(c)) {
        *dst = c;
        ++w;
        ++consumed_;
        buf_len_ = 0;  // what step() does once full: stop tracking
        buf_node_ = Codebook::kNone;
        continue;
      }
      if (c >= V && c < limit) {
        const Codebook::EntryRef e = codebook_.entry_ref(c);
        if (e.data) {
          Codebook::copy_small(dst, e.data, e.len);
          w += e.len;
          ++consumed_;
          buf_len_ = 0;
          buf_node_ = Codebook::kNone;
          continue;
        }
      }
      const std::span<const TokenId> d = step(c);
      Codebook::copy_small(dst, d.data(), d.size());
      w += d.size();
    }
  } catch (...) {
    out.resize(w);
    throw;
  }
  out.resize(w);
}

// Hot path of step(): kept small so it inlines into push(); the rest is in step_slow().
inline std::span<const TokenId> DecoderState::step(TokenId c) {
  const std::int64_t V = config_.V();
  const std::size_t S = static_cast<std::size_t>(config_.S());
  if (c >= 0 && c < config_.id_limit() && !config_.is_disabled(c) && buf_len_ > 0 && buf_len_ < S &&
      buf_node_ != Codebook::kNone && next_ < config_.id_limit() && !codebook_.contains_id(next_)) [[likely]] {
    // Common case: a known code extending a non-empty buffer whose node is known.
    codebook_.reserve_arena(S);
    const TokenId* D;
    std::size_t dlen;
    Codebook::Handle d_node;
    if (c < V) {
      single_[0] = c;
      D = single_;
      dlen = 1;
      d_node = static_cast<Codebook::Handle>(c);
    } else {
      const Codebook::EntryRef e = codebook_.entry_ref(c);
      D = e.data;
      dlen = e.len;
      d_node = e.node;
    }
    if (D) {
      const Codebook::Probe probe = codebook_.probe(buf_node_, D[0]);
      if (probe.code < 0) {  // buf + D[0] not in cb: cb[buf + D[0]] = next; next += 1; buf = D
        const auto id = static_cast<TokenId>(next_);
        buf_[buf_len_] = D[0];
        codebook_.insert_probed(probe, buf_node_, {buf_.data(), buf_len_ + 1}, id);
        if (track_created_) created_.push_back(id);
        next_ = skip_disabled(config_, next_ + 1);
        ++consumed_;
        set_buffer(D, dlen, d_node);
        return {D, dlen};
      }
    }
  }
  return step_slow(c);
}

std::span<const TokenId> DecoderState::step_slow(TokenId c) {
  const std::int64_t V = config_.V();
  const std::size_t S = static_cast<std::size_t>(config_.S());
  const std::size_t at = consumed_;

  // if c in disabled: buf = []; out.append(c); continue
  if (config_.is_disabled(c)) {
    buf_len_ = 0;
    buf_node_ = Codebook::kNone;
    single_[0] = c;
    ++consumed_;
    return {single_, 1};
  }
  if (c < 0) fail("lzw decode: code {} at position {} is negative", c, at);
  if (c >= config_.id_limit())
    fail("lzw decode: code {} at position {} is past the hypertoken range [V, V+K) = [{}, {})", c, at, V,
         config_.id_limit());

  // D may point into the codebook's arena: reserve room for the one insert this code can cause
  // BEFORE taking the pointer, so it stays valid.
  codebook_.reserve_arena(S);
  const TokenId* D;
  std::size_t dlen;
  Codebook::Handle d_node;
  if (c < V) {  // D = [c]
    single_[0] = c;
    D = single_;
    dlen = 1;
    d_node = static_cast<Codebook::Handle>(c);
  } else {  // D = cb[c]
    const Codebook::EntryRef e = codebook_.entry_ref(c);
    if (!e.data) [[unlikely]]
      return step_unknown(c);
    D = e.data;
    dlen = e.len;
    d_node = e.node;
  }
  ++consumed_;
  if (allocate_id() >= config_.id_limit()) {  // codebook full: stop tracking forever
    buf_len_ = 0;
    buf_node_ = Codebook::kNone;
    return {D, dlen};
  }
  if (buf_len_ == 0 || buf_len_ == S) {  // start, or mirror the encoder's forced flush
    set_buffer(D, dlen, d_node);
    return {D, dlen};
  }
  // Greedy extension into the current code (arena room was reserved above, so D stays valid).
  for (std::size_t j = 0; j < dlen; ++j) {
    const Codebook::Handle prefix = buf_node_;
    buf_[buf_len_++] = D[j];
    Codebook::Probe probe{Codebook::kNone, -1, 0, 0};
    if (prefix != Codebook::kNone) probe = codebook_.probe(prefix, D[j]);
    buf_node_ = probe.found;
    if (probe.code < 0) {                              // if buf not in cb: cb[buf] = next; next += 1; buf = D[j:]
      const TokenId id = static_cast<TokenId>(next_);  // allocate_id() above
      const std::span<const TokenId> seq{buf_.data(), buf_len_};
      if (prefix != Codebook::kNone)
        codebook_.insert_probed(probe, prefix, seq, id);
      else
        codebook_.insert(seq, id);
      if (track_created_) created_.push_back(id);
      next_ = skip_disabled(config_, next_ + 1);
      set_buffer(D + j, dlen - j, j == 0 ? d_node : Codebook::kNone);
      return {D, dlen};
    }
    if (buf_len_ == S) {  // buf = D[j+1:]
      set_buffer(D + j + 1, dlen - j - 1, Codebook::kNone);
      return {D, dlen};
    }
  }
  return {D, dlen};  // loop ended without break: buf = old buf + all of D
}

std::span<const TokenId> DecoderState::step_unknown(TokenId c) {
  const std::size_t S = static_cast<std::size_t>(config_.S());
  const std::size_t at = consumed_;
  if (buf_len_ == S) {  // defensive force-merge branch: D = copy(buf), no insertion, buf unchanged
    ++consumed_;
    const std::span<const TokenId> D{buf_.data(), S};
    if (allocate_id() >= config_.id_limit()) {  // codebook full: stop tracking forever
      buf_len_ = 0;
      buf_node_ = Codebook::kNone;
    }
    return D;
  }
  // unknown code = KwKwK case: buf.append(buf[0]); cb[c] = buf
  if (buf_len_ == 0)
    fail("lzw decode: code {} at position {} is not in the codebook and there is no context to build it from", c, at);
  if (next_ >= config_.id_limit())
    fail("lzw decode: code {} at position {} is not in the codebook and the codebook is full", c, at);
  buf_[buf_len_] = buf_[0];
  ++buf_len_;
  // NOTE: inserted under the RECEIVED id c (the reference trusts it, §1.4 item 5); next += 1
  buf_node_ = codebook_.insert({buf_.data(), buf_len_}, c);
  if (track_created_) created_.push_back(c);
  next_ = skip_disabled(config_, next_ + 1);
  ++consumed_;
  return {buf_.data(), buf_len_};  // buf keeps the new entry as context
}

DecodeResult decode(const CompressionConfig& config, std::span<const TokenId> codes) {
  DecoderState state(config);
  state.set_track_created(false);
  state.reserve(static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(codes.size()), config.K())));
  std::vector<TokenId> ids;
  state.push(codes, ids);
  const std::int64_t next = state.next_id();
  return DecodeResult{std::move(ids), std::move(state).release_codebook(), next};
}

}  // namespace z2z::lzw
