// The zip2zip LZW codec, bit-exact with the reference (reference §1.3 encoder, §1.4 decoder).
//
// encode(): canonical greedy LZW over base ids with forced flush at S (no linking entry after a
//   flush), disabled ids as hard boundaries, silent stop of insertion when the codebook is full,
//   optional truncation at max_length codes and left padding to max_length.
// DecoderState: the fault-tolerant streaming decoder. It rebuilds the codebook from any stream of
//   valid codes, including non-canonical ones a model emits, with the reference's exact buffer rule
//   (so hyper slot numbers match the reference even where they differ from canonical, TV7b).
// Where the reference panics this code throws z2z::Error (leading id >= V in the encoder, unknown
// id with an empty buffer, ids >= V+K, negative ids). No torch, no Qt, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/lzw/codebook.h"
#include "core/lzw/config.h"

namespace z2z::lzw {

enum class Padding { None, Longest, MaxLength };

struct EncodeOptions {
  bool truncation = false;                 // stop after max_length codes (requires max_length)
  std::optional<std::int64_t> max_length;  // in codes
  Padding padding = Padding::None;         // MaxLength: left-pad with pad_token_id inside encode
};

struct EncodeResult {
  std::vector<TokenId> codes;
  std::size_t next_offset = 0;  // past every consumed id, including buffered ids dropped by truncation
  Codebook codebook;
};

// Encode `ids[offset..]` with a fresh codebook. Throws z2z::Error on a non-disabled id outside [0, V).
EncodeResult encode(const CompressionConfig& config, std::span<const TokenId> ids, const EncodeOptions& options = {},
                    std::size_t offset = 0);

// One row of the teaching trace: the encoder's state around one consumed input id.
struct TraceRow {
  std::size_t position = 0;            // index of the id read
  std::vector<TokenId> buffer_before;  // pending base ids before reading
  TokenId id = 0;                      // the id read
  bool disabled = false;
  bool known = false;               // buffer+id is a base token or an entry (false for disabled ids)
  std::vector<TokenId> emitted;     // codes emitted while consuming this id (0, 1 or 2)
  std::optional<TokenId> added_id;  // entry created while consuming this id
  std::vector<TokenId> added_seq;
  std::vector<TokenId> buffer_after;
};
struct EncodeTrace {
  std::vector<TraceRow> rows;
  std::vector<TokenId> final_flush;  // code emitted for the buffer left at the end (0 or 1 code)
  EncodeResult result;
};
EncodeTrace encode_trace(const CompressionConfig& config, std::span<const TokenId> ids);

// Streaming fault-tolerant decoder (one per sequence). push() either decodes the code fully or
// throws z2z::Error and leaves the state unchanged.
class DecoderState {
 public:
  explicit DecoderState(const CompressionConfig& config);

  // Decode one code, appending its base ids to `out`.
  void push(TokenId code, std::vector<TokenId>& out);
  // Decode codes in order (== push(c, out) for each). On an error `out` holds the ids of the codes
  // before the bad one and the state is the state after them.
  void push(std::span<const TokenId> codes, std::vector<TokenId>& out);

  const CompressionConfig& config() const { return config_; }
  const Codebook& codebook() const { return codebook_; }
  Codebook release_codebook() && { return std::move(codebook_); }
  // Pre-size for a stream of about n codes.
  void reserve(std::size_t n) { codebook_.reserve(n); }
  std::int64_t next_id() const { return next_; }
  std::span<const TokenId> buffer() const { return {buf_.data(), buf_len_}; }
  std::size_t codes_consumed() const { return consumed_; }

  // Ids of entries created since the last call, in creation order (the manager sorts them).
  std::vector<TokenId> take_created();
  void set_track_created(bool on) { track_created_ = on; }

 private:
  // Decode one code; returns its base ids (valid until the next call: they live in the arena, in
  // buf_ or in single_, each with Codebook::kSlack readable ids after them).
  std::span<const TokenId> step(TokenId code);
  std::span<const TokenId> step_slow(TokenId code);     // everything step() does not inline
  std::span<const TokenId> step_unknown(TokenId code);  // c >= V and not an entry
  void set_buffer(const TokenId* seq, std::size_t len, Codebook::Handle node_hint);
  TokenId allocate_id();

  CompressionConfig config_;
  Codebook codebook_;
  std::int64_t next_;
  // Pending base ids: buf_len_ ids in buf_, which is sized S + 1 + kSlack once (no reallocation).
  std::vector<TokenId> buf_;
  std::size_t buf_len_ = 0;
  Codebook::Handle buf_node_ = Codebook::kNone;  // trie node of buf_ (kNone: not a prefix of any entry)
  TokenId single_[Codebook::kSlack] = {};        // D = [c] for a base id c
  std::vector<TokenId> created_;
  bool track_created_ = true;
  std::size_t consumed_ = 0;
};

struct DecodeResult {
  std::vector<TokenId> ids;
  Codebook codebook;
  std::int64_t next_id = 0;
};
// Offline decode of a whole stream with a fresh state (== streaming decode).
DecodeResult decode(const CompressionConfig& config, std::span<const TokenId> codes);

}  // namespace z2z::lzw
