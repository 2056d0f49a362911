// SPDX-License-Identifier: MIT
#pragma once
// The values of the discgeom program's settings, parsed from text: the options of its commands
// (command_line.hpp binds them) and the lines of the pipeline's settings file. Each parser
// throws usage_error naming the option or key and the text.

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include <optional>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/image_geometry.hpp"
#include "table.hpp"

namespace discgeom::cli {

/// Bad usage: exit status 2, the message on stderr.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The comma-separated items of `text` ("a,,b" has an empty middle item; "" is one empty item).
inline std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    items.push_back(
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos)
      return items;
    start = comma + 1;
  }
}

/// Sizes as "N,N,..." (the text split_commas and parse_count read back).
inline std::string join_sizes(const std::vector<std::int64_t>& sizes) {
  std::string text;
  for (const auto size : sizes)
    text += (text.empty() ? "" : ",") + std::to_string(size);
  return text;
}

/// The enumerator of E named `text` (E's one table of names, enum_names.hpp).
/// \throws usage_error "OPTION 'text' must be a, b or c" for any other text.
template <named_enum E>
E parse_choice(const std::string& option, const std::string& text) {
  if (const auto value = try_parse_enum<E>(text))
    return *value;
  throw usage_error(option + " '" + text + "' must be " + enum_choices_in_words<E>());
}

/// "SX,SY,SZ": three finite numbers > 0.
inline vec3 parse_spacing(const std::string& text, const std::string& option = "--spacing") {
  const auto parts = split_commas(text);
  if (parts.size() != 3) {
    throw usage_error(option + " '" + text + "' must be three numbers SX,SY,SZ");
  }
  vec3 spacing{};
  for (std::size_t axis = 0; axis < 3; ++axis) {
    char* end = nullptr;
    spacing[axis] = std::strtod(parts[axis].c_str(), &end);
    if (parts[axis].empty() || *end != '\0' || !std::isfinite(spacing[axis]) ||
        spacing[axis] <= 0.0) {
      throw usage_error(option + " '" + text + "': '" + parts[axis] +
                        "' is not a finite number > 0");
    }
  }
  return spacing;
}

/// A whole number >= `at_least`. \throws usage_error "OPTION 'text' must be a whole number >= K"
inline std::size_t parse_count(const std::string& option, const std::string& text,
                               std::size_t at_least = 0) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || text[0] == '-' || text[0] == '+' || errno == ERANGE ||
      value < at_least) {
    throw usage_error(option + " '" + text +
                      "' must be a whole number >= " + std::to_string(at_least));
  }
  return static_cast<std::size_t>(value);
}

/// A finite number in [low, high].
inline double parse_number(const std::string& option, const std::string& text, double low,
                           double high) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(value) || value < low || value > high) {
    throw usage_error(option + " '" + text + "' must be a number in [" + format_number(low) + ", " +
                      format_number(high) + "]");
  }
  return value;
}

/// --spacing and --orientation: what overrides the header of every input.
struct geometry_overrides {
  std::optional<vec3> spacing;
  std::optional<mat3> direction;

  void apply(image_geometry& geometry) const {
    if (spacing)
      geometry.spacing = *spacing;
    if (direction)
      geometry.direction = *direction;
  }
};

}  // namespace discgeom::cli
