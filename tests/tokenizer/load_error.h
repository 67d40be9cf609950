// Test helper: the message a tokenizer.json text is rejected with ("no error" when it loads).
#pragma once

#include <string>

#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

namespace z2z::test {

inline std::string load_error(const std::string& text, const std::string& source = "t.json") {
  try {
    tok::Tokenizer::from_json(text, source);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace z2z::test
