// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Formatting of values for error messages: numbers with ten significant digits, ranges as
/// "[a,b,c]", strings quoted. Internal; callers use the macros of error.hpp.

#include <concepts>
#include <cstddef>
#include <iomanip>
#include <ranges>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>

namespace discgeom::detail {

template <class T>
concept streamable = requires(std::ostream& out, const T& value) {
  out << value;
};

/// Strings print as text; everything else that is a range prints as "[a,b,c]". (Tested by exact
/// type, because some ranges, such as xtensor's shape views, claim convertibility to string_view.)
template <class T>
concept string_like = std::is_same_v < std::decay_t<T>,
const char* > || std::is_same_v<std::decay_t<T>, char*> || std::is_same_v<T, std::string> ||
    std::is_same_v<T, std::string_view>;

template <class T>
void write_value(std::ostream& out, const T& value);

template <class Range>
void write_range(std::ostream& out, const Range& range) {
  out << '[';
  bool first = true;
  for (const auto& element : range) {
    if (!first) {
      out << ',';
    }
    first = false;
    write_value(out, element);
  }
  out << ']';
}

template <class T>
void write_value(std::ostream& out, const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    out << (value ? "true" : "false");
  } else if constexpr (std::is_floating_point_v<T>) {
    out << std::setprecision(10) << value;
  } else if constexpr (std::is_same_v<T, signed char> || std::is_same_v<T, unsigned char> ||
                       std::is_same_v<T, char>) {
    out << static_cast<int>(value);
  } else if constexpr (std::is_enum_v<T>) {
    out << static_cast<long long>(value);
  } else if constexpr (string_like<T>) {
    out << std::string_view(value);
  } else if constexpr (std::ranges::input_range<const T>) {
    write_range(out, value);
  } else if constexpr (streamable<T>) {
    out << value;
  } else {
    out << "<value of unprintable type>";
  }
}

/// Concatenates the printed form of every argument.
template <class... Parts>
[[nodiscard]] std::string concat(const Parts&... parts) {
  std::ostringstream out;
  (write_value(out, parts), ...);
  return out.str();
}

}  // namespace discgeom::detail
