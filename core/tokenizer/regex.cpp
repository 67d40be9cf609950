// PCRE2 wrapper: compile with UTF|UCP, JIT-compile, match with per-thread match data and JIT stack.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "core/tokenizer/regex.h"

#include <pcre2.h>

#include "core/tokenizer/unicode.h"
#include "core/util/error.h"

namespace z2z::tok {

struct Regex::Code {
  pcre2_code* code = nullptr;
  bool jit = false;
  ~Code() {
    if (code) pcre2_code_free(code);
  }
};

namespace {

// Per-thread match scratch shared by all patterns: match data sized for the whole match only
// (pcre2_match returns 0 when captures do not fit, which is still a match) and a 1 MiB JIT stack.
struct ThreadScratch {
  pcre2_match_data* md = nullptr;
  pcre2_match_context* mc = nullptr;
  pcre2_jit_stack* js = nullptr;
  ThreadScratch() {
    md = pcre2_match_data_create(1, nullptr);
    mc = pcre2_match_context_create(nullptr);
    js = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, nullptr);
    if (mc && js) pcre2_jit_stack_assign(mc, nullptr, js);
  }
  ~ThreadScratch() {
    if (md) pcre2_match_data_free(md);
    if (mc) pcre2_match_context_free(mc);
    if (js) pcre2_jit_stack_free(js);
  }
};

ThreadScratch& scratch() {
  thread_local ThreadScratch s;
  return s;
}

// Oniguruma (HF tokenizers) and PCRE2-with-UCP disagree on three shorthand classes:
//   \s  Oniguruma: White_Space. PCRE2: also U+180E (even \p{Xps} has it), so list White_Space.
//   \w  Oniguruma: L, M, Nd, Pc. PCRE2: L, N, '_'.
// Rewrite them (and \S, \W) into explicit classes. Inside a character class the negated forms can
// only be approximated (\S -> \P{Xps}; \W -> \P{L}: tolerable, the
// shipped tokenizer.json files do not use them there).
std::string translate(const std::string& p) {
  static const char* kSpace =
      "\\t-\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}";
  static const char* kWord = "\\p{L}\\p{M}\\p{Nd}\\p{Pc}";
  std::string out;
  out.reserve(p.size() + 16);
  bool in_class = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      const char d = p[++i];
      if (d == 's')
        out += in_class ? std::string(kSpace) : "[" + std::string(kSpace) + "]";
      else if (d == 'S')
        out += in_class ? std::string("\\P{Xps}") : "[^" + std::string(kSpace) + "]";
      else if (d == 'w')
        out += in_class ? std::string(kWord) : "[" + std::string(kWord) + "]";
      else if (d == 'W')
        out += in_class ? std::string("\\P{L}") : "[^" + std::string(kWord) + "]";
      else {
        out += c;
        out += d;
      }
      continue;
    }
    if (!in_class && c == '[') {
      in_class = true;
      out += c;
      if (i + 1 < p.size() && p[i + 1] == '^') out += p[++i];
      if (i + 1 < p.size() && p[i + 1] == ']') out += p[++i];  // a leading ']' is literal
      continue;
    }
    if (in_class && c == '[' && i + 1 < p.size() && p[i + 1] == ':') {  // [:alpha:]
      const std::size_t e = p.find(":]", i + 2);
      if (e != std::string::npos) {
        out.append(p, i, e + 2 - i);
        i = e + 1;
        continue;
      }
    }
    if (in_class && c == ']') in_class = false;
    out += c;
  }
  return out;
}

}  // namespace

Regex::Regex(const std::string& pattern, const std::string& where) : Regex(pattern, where, true) {}

Regex::Regex(const std::string& pattern, const std::string& where, bool oniguruma) : pattern_(pattern) {
  const std::string compiled = oniguruma ? translate(pattern) : pattern;
  int err = 0;
  PCRE2_SIZE off = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(compiled.data()), compiled.size(),
                                   PCRE2_UTF | PCRE2_UCP, &err, &off, nullptr);
  if (!code) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(err, buf, sizeof buf);
    z2z::fail("{}: bad regex at offset {}: {} (pattern \"{}\")", where, static_cast<std::size_t>(off),
              reinterpret_cast<const char*>(buf), pattern);
  }
  auto c = std::make_shared<Code>();
  c->code = code;
  c->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
  code_ = std::move(c);
}

Regex Regex::literal(const std::string& text, const std::string& where) {
  std::string p = "\\Q";
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "\\E") == 0) {
      p += "\\E\\\\E\\Q";
      ++i;
    } else {
      p += text[i];
    }
  }
  p += "\\E";
  return Regex(p, where, false);
}

void Regex::find_all(std::string_view text, std::vector<std::pair<std::size_t, std::size_t>>& out) const {
  ThreadScratch& s = scratch();
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  const std::size_t n = text.size();
  std::size_t pos = 0;
  while (pos <= n) {
    int rc;
    if (code_->jit)
      rc = pcre2_jit_match(code_->code, subject, n, pos, 0, s.md, s.mc);
    else
      rc = pcre2_match(code_->code, subject, n, pos, PCRE2_NO_UTF_CHECK, s.md, s.mc);
    if (rc == PCRE2_ERROR_NOMATCH) break;
    if (rc < 0) {
      PCRE2_UCHAR buf[256];
      pcre2_get_error_message(rc, buf, sizeof buf);
      z2z::fail("regex \"{}\": match failed: {}", pattern_, reinterpret_cast<const char*>(buf));
    }
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(s.md);
    const std::size_t b = ov[0], e = ov[1];
    if (e > b) {
      out.emplace_back(b, e);
      pos = e;
    } else {  // empty match: skip one character
      if (b >= n) break;
      pos = b + static_cast<std::size_t>(utf8_len(static_cast<unsigned char>(text[b])));
    }
  }
}

}  // namespace z2z::tok
