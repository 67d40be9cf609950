// z2z::Error — the one exception type the core throws for bad input or failed I/O.
// Mains and the UI catch it once and print `what()`: one line naming the file/field/value at fault.
// Not for programming errors (those are bugs, not user errors).
#pragma once

#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace z2z {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Throw z2z::Error with a fmt-formatted message.
template <typename... Args>
[[noreturn]] void fail(fmt::format_string<Args...> format, Args&&... args) {
  throw Error(fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace z2z
