// Fast path of session::from_json (session_readers.h): reads a file in to_json()'s layout in one pass
// with JsonCursor, appending each step to the Session as soon as it is read. The event and extras
// objects are reused from step to step, so a step costs no allocation beyond what the Session keeps.
// Every check of the general reader is made here too (types, ranges, format and version); the
// Session's own checks run in append_*. Any failure gives up (nullopt): the caller reruns the general
// reader, which reports it.
#include <limits>

#include "core/session/json_cursor.h"
#include "core/session/session_readers.h"
#include "core/util/error.h"

namespace z2z::session::detail {

namespace {

constexpr std::int64_t kMaxI32 = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kMaxI64 = std::numeric_limits<std::int64_t>::max();
constexpr std::size_t kReportBytes = std::size_t{1} << 20;  // progress callback granularity

class FastReader {
 public:
  FastReader(std::string_view json, const LoadProgress& progress)
      : in_(json), total_(json.size()), progress_(progress) {}

  Session read() {
    in_.expect('{');
    in_.expect_key("format");
    in_.string(str_);
    if (str_ != kFormatName) throw JsonCursor::Miss{};
    in_.expect(',');
    in_.expect_key("version");
    if (in_.integer(0, 1 << 20) != kFormatVersion) throw JsonCursor::Miss{};
    in_.expect(',');
    in_.expect_key("run");
    Session s(run());
    in_.expect(',');
    in_.expect_key("prompt");
    if (!in_.try_null()) prompt(s);
    in_.expect(',');
    in_.expect_key("steps");
    steps(s);
    in_.expect(',');
    in_.expect_key("finish");
    if (!in_.try_null()) s.append_finish(finish());
    in_.expect('}');
    in_.expect_end();
    if (progress_) progress_(total_, total_);
    return s;
  }

 private:
  // `[` read_one(element)... `]` into `out`, reusing its elements (and their buffers).
  template <typename T, typename ReadOne>
  void array(std::vector<T>& out, ReadOne&& read_one) {
    in_.expect('[');
    std::size_t n = 0;
    if (!in_.try_char(']')) {
      do {
        if (n == out.size()) out.emplace_back();
        read_one(out[n++]);
      } while (in_.try_char(','));
      in_.expect(']');
    }
    out.resize(n);
  }
  void ids(std::vector<std::int32_t>& out) {
    array(out, [&](std::int32_t& v) { v = static_cast<std::int32_t>(in_.integer(0, kMaxI32)); });
  }
  void cuts(std::vector<std::uint32_t>& out) {
    array(out, [&](std::uint32_t& v) { v = static_cast<std::uint32_t>(in_.integer(0, 4294967295LL)); });
  }
  std::int64_t int_field(std::string_view key, std::int64_t lo, std::int64_t hi) {
    in_.expect_key(key);
    return in_.integer(lo, hi);
  }
  double number_field(std::string_view key) {
    in_.expect_key(key);
    return in_.number();
  }
  bool bool_field(std::string_view key) {
    in_.expect_key(key);
    return in_.boolean();
  }
  void string_field(std::string_view key, std::string& out) {
    in_.expect_key(key);
    in_.string(out);
  }
  void next() { in_.expect(','); }

  // [{"id":..,"base_ids":[..],"text":".."}, ...]
  void entries(std::vector<gen::Entry>& out, std::vector<std::string>& texts) {
    std::size_t n = 0;
    array(out, [&](gen::Entry& e) {
      in_.expect('{');
      e.id = static_cast<std::int32_t>(int_field("id", 0, kMaxI32)), next();
      in_.expect_key("base_ids"), ids(e.base_ids), next();
      if (n == texts.size()) texts.emplace_back();
      string_field("text", texts[n++]);
      in_.expect('}');
    });
    texts.resize(n);
  }

  RunInfo run() {
    RunInfo r;
    in_.expect('{');
    string_field("source", r.source), next();
    if (r.source != "generate" && r.source != "text") throw JsonCursor::Miss{};
    string_field("created", r.created), next();
    string_field("z2z_version", r.z2z_version), next();
    in_.expect_key("model"), in_.expect('{');
    string_field("dir", r.model_dir), next();
    string_field("arch", r.model_arch), next();
    r.zip2zip = bool_field("zip2zip"), next();
    string_field("position_mode", r.position_mode);
    in_.expect('}'), next();
    string_field("tokenizer", r.tokenizer), next();
    r.has_text = bool_field("has_text"), next();
    in_.expect_key("compression"), in_.expect('{');
    auto& c = r.compression;
    c.initial_vocab_size = int_field("initial_vocab_size", 1, kMaxI32), next();
    c.max_codebook_size = int_field("max_codebook_size", 0, lzw::LzwConfig::kUnlimited), next();
    c.max_subtokens = static_cast<std::int32_t>(int_field("max_subtokens", 1, 4096)), next();
    c.pad_token_id = static_cast<std::int32_t>(int_field("pad_token_id", 0, kMaxI32)), next();
    in_.expect_key("disabled_ids"), ids(c.disabled_ids);
    if (c.disabled_ids.size() > (1u << 20)) throw JsonCursor::Miss{};
    in_.expect('}'), next();
    in_.expect_key("sampling"), in_.expect('{');
    r.temperature = number_field("temperature"), next();
    r.top_k = int_field("top_k", 0, kMaxI64), next();
    r.top_p = number_field("top_p"), next();
    in_.expect_key("seed"), r.seed = in_.unsigned_integer(), next();
    r.max_new_tokens = int_field("max_new_tokens", 0, kMaxI64), next();
    r.top_logprobs = int_field("top_logprobs", 0, kMaxI64), next();
    r.compress_prompt = bool_field("compress_prompt"), next();
    r.mask_uninstalled = bool_field("mask_uninstalled");
    in_.expect('}'), next();
    string_field("device", r.device), next();
    string_field("dtype", r.dtype);
    in_.expect('}');
    return r;
  }

  void prompt(Session& s) {
    gen::PromptEvent e;
    Session::PromptExtras x;
    x.have = true;
    in_.expect('{');
    string_field("text", e.text), next();
    in_.expect_key("base_ids"), ids(e.base_ids), next();
    in_.expect_key("codes"), ids(e.codes), next();
    in_.expect_key("inserted"), entries(e.inserted, x.entry_text), next();
    in_.expect_key("code_text"), array(x.code_text, [&](std::string& t) { in_.string(t); }), next();
    in_.expect_key("code_cuts"), array(x.code_cuts, [&](std::vector<std::uint32_t>& c) { cuts(c); }), next();
    e.prefill_ms = number_field("prefill_ms"), next();
    e.encoder_ms = number_field("encoder_ms");
    in_.expect('}');
    s.append_prompt(e, x);
  }

  void candidate(gen::Candidate& c) {
    in_.expect('{');
    c.id = static_cast<std::int32_t>(int_field("id", 0, kMaxI32)), next();
    c.prob = number_field("prob"), next();
    c.is_hyper = bool_field("is_hyper"), next();
    in_.expect_key("base_ids"), ids(c.base_ids), next();
    string_field("text", c.text);
    in_.expect('}');
  }

  // One step object into `e` / `x` (every field overwritten).
  void step(gen::StepEvent& e, Session::StepExtras& x) {
    in_.expect('{');
    e.step = int_field("step", 0, kMaxI64), next();
    e.code = static_cast<std::int32_t>(int_field("code", 0, kMaxI32)), next();
    e.is_hyper = bool_field("is_hyper"), next();
    in_.expect_key("base_ids"), ids(e.base_ids), next();
    string_field("text", e.text), next();
    in_.expect_key("cuts"), cuts(x.cuts), next();
    x.label.clear();
    if (in_.try_key("label")) {
      if (!in_.try_null()) in_.string(x.label);
      next();
    }
    e.prob = number_field("prob"), next();
    in_.expect_key("top"), array(e.top, [&](gen::Candidate& c) { candidate(c); }), next();
    e.outside_top = bool_field("outside_top"), next();
    e.eos = bool_field("eos"), next();
    in_.expect_key("inserted"), entries(e.inserted, x.entry_text), next();
    in_.expect_key("timings_ms"), in_.expect('{');
    e.sample_ms = number_field("sample"), next();
    e.forward_ms = number_field("forward"), next();
    e.encoder_ms = number_field("encoder");
    in_.expect('}');
    in_.expect('}');
  }

  void steps(Session& s) {
    gen::StepEvent e;
    Session::StepExtras x;
    x.have = true;
    std::size_t report_at = kReportBytes;
    in_.expect('[');
    if (in_.try_char(']')) return;
    do {
      step(e, x);
      s.append_step(e, x);
      if (progress_ && in_.offset() >= report_at) {
        progress_(in_.offset(), total_);
        report_at = in_.offset() + kReportBytes;
      }
    } while (in_.try_char(','));
    in_.expect(']');
  }

  gen::FinishEvent finish() {
    gen::FinishEvent f;
    in_.expect('{');
    string_field("reason", f.reason), next();
    f.steps = int_field("steps", 0, kMaxI64), next();
    f.base_tokens = int_field("base_tokens", 0, kMaxI64), next();
    f.prompt_base_tokens = int_field("prompt_base_tokens", 0, kMaxI64), next();
    f.prompt_codes = int_field("prompt_codes", 0, kMaxI64), next();
    f.codebook_size = int_field("codebook_size", 0, kMaxI64), next();
    f.prefill_ms = number_field("prefill_ms"), next();
    f.total_ms = number_field("total_ms");
    in_.expect('}');
    return f;
  }

  JsonCursor in_;
  std::size_t total_;
  const LoadProgress& progress_;
  std::string str_;
};

}  // namespace

std::optional<Session> read_written_layout(std::string_view json, const LoadProgress& progress) {
  try {
    return FastReader(json, progress).read();
  } catch (const JsonCursor::Miss&) {
    return std::nullopt;
  } catch (const Error&) {  // a Session check: the general reader words it
    return std::nullopt;
  }
}

}  // namespace z2z::session::detail
