// Lowercase normalizer: Unicode lowercase mapping per character (Rust's char::to_lowercase, without
// the context-sensitive final sigma rule, like HF tokenizers).
#include "core/tokenizer/normalizers/normalizer.h"
#include "core/tokenizer/unicode.h"

namespace z2z::tok {
namespace {

class Lowercase final : public Normalizer {
 public:
  void normalize(NormalizedString& s) const override {
    const std::string& t = s.text();
    bool changed = false;
    std::string low;
    for (std::size_t i = 0; i < t.size() && !changed;) {
      std::uint32_t cp;
      const int len = utf8_decode(t.data(), t.size(), i, cp);
      low.clear();
      append_lowercase(low, cp);
      changed = low.compare(0, std::string::npos, t, i, static_cast<std::size_t>(len)) != 0;
      i += static_cast<std::size_t>(len);
    }
    if (!changed) return;
    NormalizedString::Builder b(s);
    for (std::size_t i = 0; i < t.size();) {
      std::uint32_t cp;
      const auto len = static_cast<std::size_t>(utf8_decode(t.data(), t.size(), i, cp));
      low.clear();
      append_lowercase(low, cp);
      if (low.compare(0, std::string::npos, t, i, len) == 0)
        b.copy(i, i + len);
      else
        b.emit(low, i, i + len);
      i += len;
    }
    s = b.finish();
  }
};

}  // namespace

NormalizerPtr lowercase_from_json(const JsonRef&) { return std::make_unique<Lowercase>(); }

}  // namespace z2z::tok
