// NFC / NFD / NFKC / NFKD normalizers (utf8proc, Unicode 15).
// The text is cut into chunks that normalize independently (a chunk starts at a character that
// cannot interact with what precedes it: ASCII, or a starter that is not a mark nor a Hangul
// vowel/trailing jamo). Unchanged chunks keep their exact spans; a changed chunk's output maps to
// the chunk's whole input span. Text whose chunks are all unchanged is left untouched (identity).
#include <cstdlib>
#include <utility>
#include <vector>

#include <utf8proc.h>

#include "core/tokenizer/normalizers/normalizer.h"
#include "core/tokenizer/unicode.h"

namespace z2z::tok {
namespace {

bool is_boundary_char(std::uint32_t cp) {
  if (cp < 0x80) return true;
  if ((cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2)) return false;  // Hangul V, T
  return combining_class(cp) == 0 && !is_mark(cp);
}

class UnicodeForm final : public Normalizer {
 public:
  explicit UnicodeForm(utf8proc_option_t options) : options_(options) {}

  void normalize(NormalizedString& s) const override {
    const std::string& t = s.text();
    std::size_t i = 0;
    while (i < t.size() && static_cast<unsigned char>(t[i]) < 0x80) ++i;
    if (i == t.size()) return;  // ASCII is invariant under every form
    // Chunk starts at the last boundary at or before the first non-ASCII byte.
    std::size_t chunk = i > 0 ? i - 1 : 0;
    std::vector<std::pair<std::pair<std::size_t, std::size_t>, std::string>> changes;
    while (chunk < t.size()) {
      std::size_t end = chunk;
      std::uint32_t cp;
      end += static_cast<std::size_t>(utf8_decode(t.data(), t.size(), end, cp));
      bool simple = cp < 0x80 || plain(cp);
      while (end < t.size()) {
        const int len = utf8_decode(t.data(), t.size(), end, cp);
        if (is_boundary_char(cp)) break;
        simple = false;
        end += static_cast<std::size_t>(len);
      }
      if (!simple) {
        std::string out = map(std::string_view(t).substr(chunk, end - chunk));
        if (out.compare(0, std::string::npos, t, chunk, end - chunk) != 0)
          changes.push_back({{chunk, end}, std::move(out)});
      }
      chunk = end;
      // skip ASCII runs quickly (each ASCII char is its own unchanged chunk)
      while (chunk + 1 < t.size() && static_cast<unsigned char>(t[chunk]) < 0x80 &&
             static_cast<unsigned char>(t[chunk + 1]) < 0x80)
        ++chunk;
    }
    if (changes.empty()) return;
    NormalizedString::Builder b(s);
    std::size_t at = 0;
    for (const auto& [range, out] : changes) {
      b.copy(at, range.first);
      b.emit(out, range.first, range.second);
      at = range.second;
    }
    b.copy(at, t.size());
    s = b.finish();
  }

 private:
  // A character with no decomposition of any kind is unchanged by every form on its own.
  static bool plain(std::uint32_t cp) {
    if (cp >= 0xAC00 && cp <= 0xD7A3) return false;  // Hangul syllables decompose algorithmically
    return utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->decomp_seqindex == UINT16_MAX;
  }
  std::string map(std::string_view in) const {
    utf8proc_uint8_t* dst = nullptr;
    const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(in.data()),
                                            static_cast<utf8proc_ssize_t>(in.size()), &dst, options_);
    if (n < 0) {
      std::free(dst);
      return std::string(in);
    }
    std::string out(reinterpret_cast<const char*>(dst), static_cast<std::size_t>(n));
    std::free(dst);
    return out;
  }
  utf8proc_option_t options_;
};

}  // namespace

NormalizerPtr unicode_form_from_json(const JsonRef&, const std::string& form) {
  int o = UTF8PROC_STABLE;
  if (form == "NFC")
    o |= UTF8PROC_COMPOSE;
  else if (form == "NFD")
    o |= UTF8PROC_DECOMPOSE;
  else if (form == "NFKC")
    o |= UTF8PROC_COMPOSE | UTF8PROC_COMPAT;
  else
    o |= UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT;
  return std::make_unique<UnicodeForm>(static_cast<utf8proc_option_t>(o));
}

}  // namespace z2z::tok
