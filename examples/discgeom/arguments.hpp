// SPDX-License-Identifier: MIT
#pragma once
// Command-line parsing for the discgeom program: positional inputs and --name VALUE options.

#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
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

struct arguments {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;  // --name VALUE
  std::set<std::string> flags;                // --name

  [[nodiscard]] bool has(const std::string& name) const {
    return values.count(name) || flags.count(name);
  }
  [[nodiscard]] std::string value_or(const std::string& name, const std::string& fallback) const {
    const auto found = values.find(name);
    return found == values.end() ? fallback : found->second;
  }
};

/// Parses argv[first...]: `value_options` take a value, `flag_options` do not; anything else
/// starting with "--" is a usage error.
inline arguments parse_arguments(const std::vector<std::string>& argv,
                                 const std::set<std::string>& value_options,
                                 const std::set<std::string>& flag_options) {
  arguments result;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& word = argv[i];
    if (word.rfind("--", 0) != 0 || word == "-") {
      result.positional.push_back(word);
    } else if (value_options.count(word)) {
      if (i + 1 >= argv.size())
        throw usage_error(word + " needs a value");
      result.values[word] = argv[++i];
    } else if (flag_options.count(word)) {
      result.flags.insert(word);
    } else {
      throw usage_error("unknown option " + word);
    }
  }
  return result;
}

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

inline std::size_t parse_count(const std::string& option, const std::string& text) {
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < 0) {
    throw usage_error(option + " '" + text + "' must be a whole number >= 0");
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

inline geometry_overrides parse_geometry_overrides(const arguments& args) {
  geometry_overrides overrides;
  if (args.has("--spacing"))
    overrides.spacing = parse_spacing(args.value_or("--spacing", ""));
  if (args.has("--orientation")) {
    try {
      overrides.direction = direction_from_orientation(args.value_or("--orientation", ""));
    } catch (const precondition_error& e) {
      throw usage_error(std::string("--orientation: ") + e.what());
    }
  }
  return overrides;
}

/// --format: "csv" (default) or "json".
inline std::string parse_format(const arguments& args) {
  const std::string format = args.value_or("--format", "csv");
  if (format != "csv" && format != "json")
    throw usage_error("--format '" + format + "' must be csv or json");
  return format;
}

}  // namespace discgeom::cli
