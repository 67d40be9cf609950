// NormalizedString slicing and rebuilding with input spans; byte-level materialization.
#include "core/tokenizer/normalized_string.h"

#include "core/tokenizer/unicode.h"

namespace z2z::tok {

NormalizedString NormalizedString::slice(std::size_t a, std::size_t b) const {
  NormalizedString s;
  s.text_.assign(text_, a, b - a);
  if (identity()) {
    s.origin_ = origin_ + static_cast<std::uint32_t>(a);
    s.end_ = origin_ + static_cast<std::uint32_t>(b);
    return s;
  }
  if (a == b) {  // keep an identity empty string at the right place
    s.origin_ = s.end_ = input_span(a, a).first;
    return s;
  }
  s.begin_.assign(begin_.begin() + static_cast<std::ptrdiff_t>(a), begin_.begin() + static_cast<std::ptrdiff_t>(b));
  s.ends_.assign(ends_.begin() + static_cast<std::ptrdiff_t>(a), ends_.begin() + static_cast<std::ptrdiff_t>(b));
  s.end_ = s.ends_.back();
  return s;
}

void NormalizedString::Builder::copy(std::size_t a, std::size_t b) {
  text_.append(from_.text_, a, b - a);
  if (from_.identity()) {
    for (std::size_t i = a; i < b; ++i) {
      begin_.push_back(from_.origin_ + static_cast<std::uint32_t>(i));
      ends_.push_back(from_.origin_ + static_cast<std::uint32_t>(i) + 1);
    }
  } else {
    begin_.insert(begin_.end(), from_.begin_.begin() + static_cast<std::ptrdiff_t>(a),
                  from_.begin_.begin() + static_cast<std::ptrdiff_t>(b));
    ends_.insert(ends_.end(), from_.ends_.begin() + static_cast<std::ptrdiff_t>(a),
                 from_.ends_.begin() + static_cast<std::ptrdiff_t>(b));
  }
}

void NormalizedString::Builder::emit(std::string_view bytes, std::size_t a, std::size_t b) {
  const auto span = from_.input_span(a, b);
  text_.append(bytes);
  begin_.insert(begin_.end(), bytes.size(), span.first);
  ends_.insert(ends_.end(), bytes.size(), span.second);
}

NormalizedString NormalizedString::Builder::finish() {
  NormalizedString s;
  s.text_ = std::move(text_);
  s.end_ = from_.end_;
  if (s.text_.empty()) {
    s.origin_ = from_.input_start();
    return s;
  }
  s.begin_ = std::move(begin_);
  s.ends_ = std::move(ends_);
  return s;
}

void materialize_byte_level(Split& split) {
  if (!split.byte_level) return;
  split.byte_level = false;
  const std::string& t = split.text.text();
  NormalizedString::Builder b(split.text);
  for (std::size_t i = 0; i < t.size(); ++i) b.emit(byte_to_utf8(static_cast<unsigned char>(t[i])), i, i + 1);
  split.text = b.finish();
}

}  // namespace z2z::tok
