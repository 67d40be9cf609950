// Session JSON writer (hand-built, fixed key order, one step per line) and validating reader
// (nlohmann with a parse callback: each step is converted and dropped as soon as it is parsed, so a
// 1 M-step file never becomes a 1 M-object DOM).
#include "core/session/session_file.h"

#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/session/json_text.h"
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
// reader
namespace {

using json = nlohmann::json;
constexpr int kMaxDepth = 12;

const json& field(const json& obj, const char* key, const std::string& path) {
  if (!obj.is_object()) fail("{}: expected an object", path);
  auto it = obj.find(key);
  if (it == obj.end()) fail("{}.{}: missing", path, key);
  return *it;
}
const json* optional_field(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}
std::int64_t as_int(const json& j, const std::string& path, std::int64_t lo, std::int64_t hi) {
  if (!j.is_number_integer()) fail("{}: expected an integer", path);
  std::int64_t v;
  if (j.is_number_unsigned()) {
    const auto u = j.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      fail("{}: {} is out of range", path, u);
    v = static_cast<std::int64_t>(u);
  } else {
    v = j.get<std::int64_t>();
  }
  if (v < lo || v > hi) fail("{}: {} is out of range [{}, {}]", path, v, lo, hi);
  return v;
}
std::int64_t int_at(const json& o, const char* k, const std::string& p, std::int64_t lo, std::int64_t hi) {
  return as_int(field(o, k, p), p + "." + k, lo, hi);
}
double num_at(const json& o, const char* k, const std::string& p) {
  const json& j = field(o, k, p);
  if (!j.is_number()) fail("{}.{}: expected a number", p, k);
  return j.get<double>();
}
bool bool_at(const json& o, const char* k, const std::string& p) {
  const json& j = field(o, k, p);
  if (!j.is_boolean()) fail("{}.{}: expected true or false", p, k);
  return j.get<bool>();
}
std::string str_at(const json& o, const char* k, const std::string& p) {
  const json& j = field(o, k, p);
  if (!j.is_string()) fail("{}.{}: expected a string", p, k);
  return j.get<std::string>();
}
std::vector<std::int32_t> ids_of(const json& j, const std::string& path) {
  if (!j.is_array()) fail("{}: expected an array of ids", path);
  std::vector<std::int32_t> v;
  v.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i)
    v.push_back(static_cast<std::int32_t>(as_int(j[i], fmt::format("{}[{}]", path, i), 0, 2147483647)));
  return v;
}
std::vector<std::int32_t> ids_at(const json& o, const char* k, const std::string& p) {
  return ids_of(field(o, k, p), p + "." + k);
}
std::vector<std::uint32_t> cuts_of(const json& j, const std::string& path) {
  if (!j.is_array()) fail("{}: expected an array of byte offsets", path);
  std::vector<std::uint32_t> v;
  for (std::size_t i = 0; i < j.size(); ++i)
    v.push_back(static_cast<std::uint32_t>(as_int(j[i], fmt::format("{}[{}]", path, i), 0, 4294967295LL)));
  return v;
}
const json& array_at(const json& o, const char* k, const std::string& p) {
  const json& j = field(o, k, p);
  if (!j.is_array()) fail("{}.{}: expected an array", p, k);
  return j;
}

void read_entries(const json& arr, const std::string& path, std::vector<gen::Entry>& out,
                  std::vector<std::string>& texts) {
  if (!arr.is_array()) fail("{}: expected an array", path);
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string p = fmt::format("{}[{}]", path, i);
    gen::Entry e;
    e.id = static_cast<std::int32_t>(int_at(arr[i], "id", p, 0, 2147483647));
    e.base_ids = ids_at(arr[i], "base_ids", p);
    out.push_back(std::move(e));
    texts.push_back(arr[i].contains("text") ? str_at(arr[i], "text", p) : std::string());
  }
}

RunInfo read_run(const json& r) {
  const std::string p = "run";
  RunInfo info;
  info.source = str_at(r, "source", p);
  if (info.source != "generate" && info.source != "text") fail("run.source: expected \"generate\" or \"text\"");
  info.created = str_at(r, "created", p);
  info.z2z_version = str_at(r, "z2z_version", p);
  const json& m = field(r, "model", p);
  info.model_dir = str_at(m, "dir", "run.model");
  info.model_arch = str_at(m, "arch", "run.model");
  info.zip2zip = bool_at(m, "zip2zip", "run.model");
  info.position_mode = str_at(m, "position_mode", "run.model");
  info.tokenizer = str_at(r, "tokenizer", p);
  info.has_text = bool_at(r, "has_text", p);
  const json& c = field(r, "compression", p);
  const std::string pc = "run.compression";
  info.compression.initial_vocab_size = int_at(c, "initial_vocab_size", pc, 1, 2147483647);
  info.compression.max_codebook_size = int_at(c, "max_codebook_size", pc, 0, lzw::LzwConfig::kUnlimited);
  info.compression.max_subtokens = static_cast<std::int32_t>(int_at(c, "max_subtokens", pc, 1, 4096));
  info.compression.pad_token_id = static_cast<std::int32_t>(int_at(c, "pad_token_id", pc, 0, 2147483647));
  info.compression.disabled_ids = ids_at(c, "disabled_ids", pc);
  if (info.compression.disabled_ids.size() > (1u << 20)) fail("run.compression.disabled_ids: too many ids");
  const json& s = field(r, "sampling", p);
  const std::string ps = "run.sampling";
  info.temperature = num_at(s, "temperature", ps);
  info.top_k = int_at(s, "top_k", ps, 0, std::numeric_limits<std::int64_t>::max());
  info.top_p = num_at(s, "top_p", ps);
  {
    const json& seed = field(s, "seed", ps);
    if (!seed.is_number_unsigned() && !(seed.is_number_integer() && seed.get<std::int64_t>() >= 0))
      fail("run.sampling.seed: expected a non-negative integer");
    info.seed = seed.get<std::uint64_t>();
  }
  info.max_new_tokens = int_at(s, "max_new_tokens", ps, 0, std::numeric_limits<std::int64_t>::max());
  info.top_logprobs = int_at(s, "top_logprobs", ps, 0, std::numeric_limits<std::int64_t>::max());
  info.compress_prompt = bool_at(s, "compress_prompt", ps);
  info.mask_uninstalled = bool_at(s, "mask_uninstalled", ps);
  info.device = str_at(r, "device", p);
  info.dtype = str_at(r, "dtype", p);
  return info;
}

struct ParsedStep {
  gen::StepEvent event;
  Session::StepExtras extras;
};

ParsedStep read_step(const json& j, std::int64_t index) {
  const std::string p = fmt::format("steps[{}]", index);
  if (!j.is_object()) fail("{}: expected an object", p);
  ParsedStep ps;
  auto& e = ps.event;
  e.step = int_at(j, "step", p, 0, std::numeric_limits<std::int64_t>::max());
  e.code = static_cast<std::int32_t>(int_at(j, "code", p, 0, 2147483647));
  e.is_hyper = bool_at(j, "is_hyper", p);
  e.base_ids = ids_at(j, "base_ids", p);
  e.text = str_at(j, "text", p);
  ps.extras.have = true;
  ps.extras.cuts = cuts_of(field(j, "cuts", p), p + ".cuts");
  if (const json* l = optional_field(j, "label")) {
    if (!l->is_string()) fail("{}.label: expected a string", p);
    ps.extras.label = l->get<std::string>();
  }
  e.prob = num_at(j, "prob", p);
  const json& top = array_at(j, "top", p);
  for (std::size_t k = 0; k < top.size(); ++k) {
    const std::string pk = fmt::format("{}.top[{}]", p, k);
    gen::Candidate c;
    c.id = static_cast<std::int32_t>(int_at(top[k], "id", pk, 0, 2147483647));
    c.prob = num_at(top[k], "prob", pk);
    c.is_hyper = bool_at(top[k], "is_hyper", pk);
    c.base_ids = ids_at(top[k], "base_ids", pk);
    c.text = str_at(top[k], "text", pk);
    e.top.push_back(std::move(c));
  }
  e.outside_top = bool_at(j, "outside_top", p);
  e.eos = bool_at(j, "eos", p);
  read_entries(array_at(j, "inserted", p), p + ".inserted", e.inserted, ps.extras.entry_text);
  const json& t = field(j, "timings_ms", p);
  e.sample_ms = num_at(t, "sample", p + ".timings_ms");
  e.forward_ms = num_at(t, "forward", p + ".timings_ms");
  e.encoder_ms = num_at(t, "encoder", p + ".timings_ms");
  return ps;
}

void check_header(const json& doc) {
  if (!doc.is_object()) fail("expected a JSON object");
  const std::string fmt_name = str_at(doc, "format", "session");
  if (fmt_name != kFormatName) fail("format: expected \"{}\", got \"{}\"", kFormatName, fmt_name);
  const std::int64_t version = int_at(doc, "version", "session", 0, 1 << 20);
  if (version != kFormatVersion)
    fail("version: {} is not supported (this build reads version {}); hint: use a newer z2z", version, kFormatVersion);
}

Session begin_session(const json& run, const json* pj) {
  RunInfo info = read_run(run);
  lzw::CompressionConfig check(info.compression);  // validates the config
  Session s(std::move(info));
  if (pj && !pj->is_null()) {
    const std::string p = "prompt";
    gen::PromptEvent e;
    e.text = str_at(*pj, "text", p);
    e.base_ids = ids_at(*pj, "base_ids", p);
    e.codes = ids_at(*pj, "codes", p);
    Session::PromptExtras x;
    x.have = true;
    read_entries(array_at(*pj, "inserted", p), "prompt.inserted", e.inserted, x.entry_text);
    const json& ct = array_at(*pj, "code_text", p);
    for (std::size_t i = 0; i < ct.size(); ++i) {
      if (!ct[i].is_string()) fail("prompt.code_text[{}]: expected a string", i);
      x.code_text.push_back(ct[i].get<std::string>());
    }
    const json& cc = array_at(*pj, "code_cuts", p);
    for (std::size_t i = 0; i < cc.size(); ++i)
      x.code_cuts.push_back(cuts_of(cc[i], fmt::format("prompt.code_cuts[{}]", i)));
    e.prefill_ms = num_at(*pj, "prefill_ms", p);
    e.encoder_ms = num_at(*pj, "encoder_ms", p);
    s.append_prompt(e, x);
  }
  return s;
}

}  // namespace

Session from_json(std::string_view text, const std::string& source) {
  // Files written by to_json() have format, version, run and prompt before the steps: the session is
  // then started when the first step arrives and every step is appended as soon as it is parsed.
  // Any other key order works too (steps are buffered until the end).
  std::optional<Session> session;
  std::vector<ParsedStep> buffered;
  std::int64_t n_steps = 0;
  std::string top_key;
  json header = json::object(), run_j, prompt_j;
  bool have_run = false, have_prompt = false;
  json doc;
  try {
    auto cb = [&](int depth, json::parse_event_t ev, json& parsed) -> bool {
      if ((ev == json::parse_event_t::object_start || ev == json::parse_event_t::array_start) && depth > kMaxDepth)
        fail("nesting deeper than {} levels", kMaxDepth);
      if (depth == 1) {
        if (ev == json::parse_event_t::key) top_key = parsed.get<std::string>();
        if (ev == json::parse_event_t::value && (top_key == "format" || top_key == "version")) header[top_key] = parsed;
        if (ev == json::parse_event_t::object_end && top_key == "run") run_j = parsed, have_run = true;
        if ((ev == json::parse_event_t::object_end || ev == json::parse_event_t::value) && top_key == "prompt")
          prompt_j = parsed, have_prompt = true;
      }
      if (ev == json::parse_event_t::object_end && depth == 2 && top_key == "steps") {
        ParsedStep ps = read_step(parsed, n_steps++);
        if (!session && have_run && have_prompt && header.size() == 2) {
          check_header(header);
          session.emplace(begin_session(run_j, &prompt_j));
        }
        if (session)
          session->append_step(ps.event, ps.extras);
        else
          buffered.push_back(std::move(ps));
        return false;  // drop: converted already
      }
      if (depth == 2 && top_key == "steps" &&
          (ev == json::parse_event_t::value || ev == json::parse_event_t::array_end))
        fail("steps[{}]: expected an object", n_steps);
      return true;
    };
    doc = json::parse(text.begin(), text.end(), cb);
  } catch (const json::exception& e) {
    fail("{}: not valid JSON: {}", source, e.what());
  } catch (const Error& e) {
    fail("{}: {}", source, e.what());
  }
  try {
    check_header(doc);
    if (!session) session.emplace(begin_session(field(doc, "run", "session"), optional_field(doc, "prompt")));
    if (!doc.contains("steps") || !doc["steps"].is_array()) fail("steps: missing or not an array");
    for (const auto& st : buffered) session->append_step(st.event, st.extras);
    if (const json* fj = optional_field(doc, "finish")) {
      const std::string p = "finish";
      gen::FinishEvent f;
      f.reason = str_at(*fj, "reason", p);
      const auto big = std::numeric_limits<std::int64_t>::max();
      f.steps = int_at(*fj, "steps", p, 0, big);
      f.base_tokens = int_at(*fj, "base_tokens", p, 0, big);
      f.prompt_base_tokens = int_at(*fj, "prompt_base_tokens", p, 0, big);
      f.prompt_codes = int_at(*fj, "prompt_codes", p, 0, big);
      f.codebook_size = int_at(*fj, "codebook_size", p, 0, big);
      f.prefill_ms = num_at(*fj, "prefill_ms", p);
      f.total_ms = num_at(*fj, "total_ms", p);
      session->append_finish(f);
    }
    return std::move(*session);
  } catch (const Error& e) {
    fail("{}: {}", source, e.what());
  }
}

Session load(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) fail("{}: cannot open session file ({})", path.string(), ec.message());
  if (size > (std::uintmax_t{2} << 30)) fail("{}: {} bytes is larger than the 2 GiB limit", path.string(), size);
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("{}: cannot open session file", path.string());
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (in.gcount() != static_cast<std::streamsize>(size)) fail("{}: short read", path.string());
  return from_json(text, path.string());
}

}  // namespace z2z::session
