// Strip normalizer: removes leading (strip_left) and/or trailing (strip_right) Unicode whitespace.
// Not the Strip decoder (decoders/strip.cpp), which removes a given character a given number of times.
#include "core/tokenizer/normalizers/normalizer.h"
#include "core/tokenizer/unicode.h"

namespace z2z::tok {
namespace {

class Strip final : public Normalizer {
 public:
  Strip(bool left, bool right) : left_(left), right_(right) {}
  void normalize(NormalizedString& s) const override {
    const std::string& t = s.text();
    std::size_t a = 0, b = t.size();
    if (left_) {
      while (a < b) {
        std::uint32_t cp;
        const int len = utf8_decode(t.data(), t.size(), a, cp);
        if (!is_white_space(cp)) break;
        a += static_cast<std::size_t>(len);
      }
    }
    if (right_) {
      while (b > a) {
        std::size_t p = b - 1;
        while (p > a && (static_cast<unsigned char>(t[p]) & 0xC0) == 0x80) --p;
        std::uint32_t cp;
        utf8_decode(t.data(), t.size(), p, cp);
        if (!is_white_space(cp)) break;
        b = p;
      }
    }
    if (a == 0 && b == t.size()) return;
    NormalizedString::Builder bld(s);
    bld.copy(a, b);
    s = bld.finish();
  }

 private:
  bool left_, right_;
};

}  // namespace

NormalizerPtr strip_normalizer_from_json(const JsonRef& node) {
  return std::make_unique<Strip>(node.boolean_or("strip_left", true), node.boolean_or("strip_right", true));
}

}  // namespace z2z::tok
