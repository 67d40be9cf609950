// Session JSON writer (hand-built, fixed key order, one step per line), and from_json/load, which
// pick one of the two readers (session_readers.h).
#include "core/session/session_file.h"

#include <fstream>
#include <iterator>
#include <limits>
#include <memory>

#include <fmt/format.h>

#include "core/session/json_text.h"
#include "core/session/session_readers.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"

namespace z2z::session {

// ---------------------------------------------------------------------------------------------
// writer
namespace {

struct W {
  std::string& o;
  void key(const char* k) {
    o += '"';
    o += k;
    o += "\":";
  }
  void str(std::string_view s) { append_json_string(o, s); }
  void num(double v) { append_json_number(o, v); }
  void i64(std::int64_t v) { fmt::format_to(std::back_inserter(o), "{}", v); }
  void b(bool v) { o += v ? "true" : "false"; }
  void ids(std::span<const std::int32_t> v) { append_json_ids(o, v); }
};

void write_entries(W& w, std::span<const CodebookEntry> es) {
  w.o += '[';
  for (std::size_t i = 0; i < es.size(); ++i) {
    if (i) w.o += ',';
    w.o += '{';
    w.key("id"), w.i64(es[i].id), w.o += ',';
    w.key("base_ids"), w.ids(es[i].base_ids), w.o += ',';
    w.key("text"), w.str(es[i].text);
    w.o += '}';
  }
  w.o += ']';
}

void write_run(W& w, const RunInfo& r) {
  w.o += '{';
  w.key("source"), w.str(r.source), w.o += ',';
  w.key("created"), w.str(r.created), w.o += ',';
  w.key("z2z_version"), w.str(r.z2z_version), w.o += ',';
  w.key("model"), w.o += '{';
  w.key("dir"), w.str(r.model_dir), w.o += ',';
  w.key("arch"), w.str(r.model_arch), w.o += ',';
  w.key("zip2zip"), w.b(r.zip2zip), w.o += ',';
  w.key("position_mode"), w.str(r.position_mode);
  w.o += "},";
  w.key("tokenizer"), w.str(r.tokenizer), w.o += ',';
  w.key("has_text"), w.b(r.has_text), w.o += ',';
  w.key("compression"), w.o += '{';
  w.key("initial_vocab_size"), w.i64(r.compression.initial_vocab_size), w.o += ',';
  w.key("max_codebook_size"), w.i64(r.compression.max_codebook_size), w.o += ',';
  w.key("max_subtokens"), w.i64(r.compression.max_subtokens), w.o += ',';
  w.key("pad_token_id"), w.i64(r.compression.pad_token_id), w.o += ',';
  w.key("disabled_ids"), w.ids(r.compression.disabled_ids);
  w.o += "},";
  w.key("sampling"), w.o += '{';
  w.key("temperature"), w.num(r.temperature), w.o += ',';
  w.key("top_k"), w.i64(r.top_k), w.o += ',';
  w.key("top_p"), w.num(r.top_p), w.o += ',';
  w.key("seed"), w.o += fmt::format("{}", r.seed), w.o += ',';
  w.key("max_new_tokens"), w.i64(r.max_new_tokens), w.o += ',';
  w.key("top_logprobs"), w.i64(r.top_logprobs), w.o += ',';
  w.key("compress_prompt"), w.b(r.compress_prompt), w.o += ',';
  w.key("mask_uninstalled"), w.b(r.mask_uninstalled);
  w.o += "},";
  w.key("device"), w.str(r.device), w.o += ',';
  w.key("dtype"), w.str(r.dtype);
  w.o += '}';
}

void write_step(W& w, const Session& s, std::int64_t i) {
  const StepView v = s.step(i);
  w.o += '{';
  w.key("step"), w.i64(i), w.o += ',';
  w.key("code"), w.i64(v.code), w.o += ',';
  w.key("is_hyper"), w.b(v.is_hyper), w.o += ',';
  w.key("base_ids"), w.ids(v.base_ids), w.o += ',';
  w.key("text"), w.str(v.text), w.o += ',';
  w.key("cuts"), w.o += '[';
  for (std::size_t k = 0; k < v.cuts.size(); ++k) w.o += fmt::format("{}{}", k ? "," : "", v.cuts[k]);
  w.o += "],";
  if (!v.label.empty()) w.key("label"), w.str(v.label), w.o += ',';
  w.key("prob"), w.num(v.prob), w.o += ',';
  w.key("top"), w.o += '[';
  for (std::size_t k = 0; k < v.top.size(); ++k) {
    const auto& c = v.top[k];
    if (k) w.o += ',';
    w.o += '{';
    w.key("id"), w.i64(c.id), w.o += ',';
    w.key("prob"), w.num(c.prob), w.o += ',';
    w.key("is_hyper"), w.b(c.is_hyper), w.o += ',';
    w.key("base_ids"), w.ids(c.base_ids), w.o += ',';
    w.key("text"), w.str(c.text);
    w.o += '}';
  }
  w.o += "],";
  w.key("outside_top"), w.b(v.outside_top), w.o += ',';
  w.key("eos"), w.b(v.eos), w.o += ',';
  w.key("inserted"), write_entries(w, v.inserted), w.o += ',';
  w.key("timings_ms"), w.o += '{';
  w.key("sample"), w.num(v.sample_ms), w.o += ',';
  w.key("forward"), w.num(v.forward_ms), w.o += ',';
  w.key("encoder"), w.num(v.encoder_ms);
  w.o += "}}";
}

}  // namespace

namespace {
// Everything before the first step: format, version, run, prompt, `"steps":[` and a newline.
void write_head(std::string& o, const Session& s) {
  W w{o};
  o += '{';
  w.key("format"), w.str(kFormatName), o += ',';
  w.key("version"), w.i64(kFormatVersion), o += ",\n";
  w.key("run"), write_run(w, s.info()), o += ",\n";
  w.key("prompt");
  if (const auto& p = s.prompt()) {
    const auto& e = p->event;
    o += '{';
    w.key("text"), w.str(e.text), o += ',';
    w.key("base_ids"), w.ids(e.base_ids), o += ',';
    w.key("codes"), w.ids(e.codes), o += ',';
    w.key("inserted"), write_entries(w, s.entries().first(e.inserted.size())), o += ',';
    w.key("code_text"), o += '[';
    for (std::size_t k = 0; k < p->code_text.size(); ++k) {
      if (k) o += ',';
      w.str(p->code_text[k]);
    }
    o += "],";
    w.key("code_cuts"), o += '[';
    for (std::size_t k = 0; k < p->code_cuts.size(); ++k) {
      if (k) o += ',';
      o += '[';
      for (std::size_t c = 0; c < p->code_cuts[k].size(); ++c)
        o += fmt::format("{}{}", c ? "," : "", p->code_cuts[k][c]);
      o += ']';
    }
    o += "],";
    w.key("prefill_ms"), w.num(e.prefill_ms), o += ',';
    w.key("encoder_ms"), w.num(e.encoder_ms);
    o += '}';
  } else {
    o += "null";
  }
  o += ",\n";
  w.key("steps"), o += "[\n";
}
// After the last step: the end of the steps array and the finish record.
void write_tail(std::string& o, const Session& s) {
  W w{o};
  if (s.steps() > 0) o += '\n';
  o += "],\n";
  w.key("finish");
  if (const auto& f = s.finish()) {
    o += '{';
    w.key("reason"), w.str(f->reason), o += ',';
    w.key("steps"), w.i64(f->steps), o += ',';
    w.key("base_tokens"), w.i64(f->base_tokens), o += ',';
    w.key("prompt_base_tokens"), w.i64(f->prompt_base_tokens), o += ',';
    w.key("prompt_codes"), w.i64(f->prompt_codes), o += ',';
    w.key("codebook_size"), w.i64(f->codebook_size), o += ',';
    w.key("prefill_ms"), w.num(f->prefill_ms), o += ',';
    w.key("total_ms"), w.num(f->total_ms);
    o += '}';
  } else {
    o += "null";
  }
  o += "}\n";
}
// Steps [from, to): each after a ",\n" separator except step 0.
void write_steps(std::string& o, const Session& s, std::int64_t from, std::int64_t to) {
  W w{o};
  for (std::int64_t i = from; i < to; ++i) {
    if (i) o += ",\n";
    write_step(w, s, i);
  }
}
}  // namespace

std::string to_json(const Session& s) {
  std::string o;
  o.reserve(static_cast<std::size_t>(s.steps()) * 160 + 4096);
  write_head(o, s);
  write_steps(o, s, 0, s.steps());
  write_tail(o, s);
  return o;
}

std::string JsonSnapshots::Snapshot::text() const {
  std::size_t n = head.size() + tail.size();
  for (const auto& c : chunks) n += c->size();
  std::string o;
  o.reserve(n);
  o += head;
  for (const auto& c : chunks) o += *c;
  o += tail;
  return o;
}

void JsonSnapshots::reset() {
  session_ = nullptr;
  chunks_.clear();
  steps_ = 0;
}

bool JsonSnapshots::serialize(const Session& s, std::int64_t max_steps) {
  if (session_ != &s || s.steps() < steps_) {
    reset();
    session_ = &s;
  }
  const std::int64_t to = max_steps < 0 ? s.steps() : std::min(s.steps(), steps_ + max_steps);
  if (to > steps_) {
    auto chunk = std::make_shared<std::string>();
    chunk->reserve(static_cast<std::size_t>(to - steps_) * 160);
    write_steps(*chunk, s, steps_, to);
    chunks_.push_back(std::move(chunk));
    steps_ = to;
  }
  return steps_ == s.steps();
}

JsonSnapshots::Snapshot JsonSnapshots::snapshot(const Session& s) {
  serialize(s);
  Snapshot snap;
  write_head(snap.head, s);
  snap.chunks = chunks_;
  write_tail(snap.tail, s);
  snap.steps = steps_;
  return snap;
}

void save(const Session& s, const std::filesystem::path& path) { write_file_atomic(path, to_json(s)); }
void save(const JsonSnapshots::Snapshot& snap, const std::filesystem::path& path) {
  write_file_atomic(path, snap.text());
}

// ---------------------------------------------------------------------------------------------
// reader: the fast path, or the general reader when it gives up (session_readers.h)

Session from_json(std::string_view text, const std::string& source, const LoadProgress& progress) {
  if (auto s = detail::read_written_layout(text, progress)) return std::move(*s);
  return detail::read_any_layout(text, source);
}

Session load(const std::filesystem::path& path, const LoadProgress& progress) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) fail("{}: cannot open session file ({})", path.string(), ec.message());
  if (size > (std::uintmax_t{2} << 30)) fail("{}: {} bytes is larger than the 2 GiB limit", path.string(), size);
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("{}: cannot open session file", path.string());
  const auto n = static_cast<std::size_t>(size);
  const auto text = std::make_unique_for_overwrite<char[]>(n);  // no zero-fill of a 100 MB buffer
  in.read(text.get(), static_cast<std::streamsize>(n));
  if (in.gcount() != static_cast<std::streamsize>(n)) fail("{}: short read", path.string());
  return from_json(std::string_view(text.get(), n), path.string(), progress);
}

}  // namespace z2z::session
