// General reader of session files (session_readers.h): nlohmann with a parse callback, so each step
// is converted and dropped as soon as it is parsed (a 1 M-step file never becomes a 1 M-object DOM).
// Any key order loads; every field is validated and errors name it ("steps[12].base_ids[0]: expected
// an integer"). from_json runs it when the fast path (session_fast_reader.cpp) gives up.
#include <limits>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/session/session_readers.h"
#include "core/util/error.h"

namespace z2z::session::detail {

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

Session read_any_layout(std::string_view text, const std::string& source) {
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

}  // namespace z2z::session::detail
