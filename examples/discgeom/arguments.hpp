// SPDX-License-Identifier: MIT
#pragma once
// The values of the discgeom program's settings, parsed from text: the options of its commands
// (command_line.hpp binds them) and the lines of the pipeline's settings file. Each parser
// throws usage_error naming the option or key and the text.

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

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

/// Sizes as "N,N,..." (the text split_commas and parse_count read back). Appended piece by
/// piece: GCC 12 at -O3 warns falsely (-Wrestrict) on `"," + std::to_string(n)`.
inline std::string join_sizes(const std::vector<std::int64_t>& sizes) {
  std::string text;
  for (const auto size : sizes) {
    if (!text.empty())
      text += ',';
    text += std::to_string(size);
  }
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

/// A whole number >= `at_least`, decimal digits only (no sign, space or exponent: "-1",
/// " 5" and "1e30" are refused, never wrapped).
/// \throws usage_error "OPTION 'text' must be a whole number >= K", or "... must be at most
///         18446744073709551615" beyond the largest std::size_t
inline std::size_t parse_count(const std::string& option, const std::string& text,
                               std::size_t at_least = 0) {
  const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  errno = 0;
  const unsigned long long value = digits ? std::strtoull(text.c_str(), nullptr, 10) : 0;
  if (digits && (errno == ERANGE || value > std::numeric_limits<std::size_t>::max())) {
    throw usage_error(option + " '" + text + "' must be at most " +
                      std::to_string(std::numeric_limits<std::size_t>::max()));
  }
  if (!digits || value < at_least) {
    throw usage_error(option + " '" + text +
                      "' must be a whole number >= " + std::to_string(at_least));
  }
  return static_cast<std::size_t>(value);
}

/// Threads a --threads option or a threads setting may ask for, per hardware thread: more only
/// queue up behind each other (and 100000 threads would take minutes to start).
inline constexpr std::size_t threads_per_hardware_thread = 4;

/// The most threads a --threads option or a threads setting may ask for: 4 per hardware thread
/// of this machine (std::thread::hardware_concurrency(), taken as 1 when unknown).
inline std::size_t max_threads() {
  return threads_per_hardware_thread *
         std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

/// A number of threads in [1, max_threads()].
/// \throws usage_error "OPTION 'text' must be at most N (4 per hardware thread, H here)"
inline std::size_t parse_threads(const std::string& option, const std::string& text) {
  const std::size_t threads = parse_count(option, text, 1);
  if (threads > max_threads()) {
    throw usage_error(option + " '" + text + "' must be at most " + std::to_string(max_threads()) +
                      " (" + std::to_string(threads_per_hardware_thread) +
                      " per hardware thread, " +
                      std::to_string(max_threads() / threads_per_hardware_thread) + " here)");
  }
  return threads;
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

/// --spacing, --orientation and --max-voxels: how every input image is read (what overrides
/// its header, and the most voxels it may declare).
struct geometry_overrides {
  std::optional<vec3> spacing;
  std::optional<mat3> direction;
  /// --max-voxels: 0 bounds a file's declared voxels by the memory available (read_image).
  std::uint64_t max_voxels = 0;

  void apply(image_geometry& geometry) const {
    if (spacing)
      geometry.spacing = *spacing;
    if (direction)
      geometry.direction = *direction;
  }
};

}  // namespace discgeom::cli
