// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Label schemes as data: which label is which structure, and the names of spinal levels counted
/// from a configurable lowest level (L6, T13 and unknown levels are normal; five discs are never
/// assumed). See docs/labels.md.
///
/// SPIDER (van der Graaf et al., the public lumbar MRI benchmark): 0 background; 1-25 fully
/// visible vertebrae numbered from the bottom; 100 spinal canal; 101-125 partially visible
/// vertebrae (100 + n); 201-225 discs numbered from the bottom (201 = the lowest disc; each disc is
/// 200 + the label of the vertebra above it).

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"

namespace discgeom {

/// What a label stands for.
enum class structure_kind { background, vertebra, partial_vertebra, spinal_canal, disc, other };

template <>
struct enum_names<structure_kind> {
  static constexpr std::array<enum_name<structure_kind>, 6> table{{
      {structure_kind::background, "background"},
      {structure_kind::vertebra, "vertebra"},
      {structure_kind::partial_vertebra, "partial_vertebra"},
      {structure_kind::spinal_canal, "spinal_canal"},
      {structure_kind::disc, "disc"},
      {structure_kind::other, "other"},
  }};
};

/// A structure a label stands for, with its position counted from the bottom of its kind
/// (0 = the lowest disc, or the lowest vertebra), when the scheme knows it.
struct structure_info {
  structure_kind kind = structure_kind::other;
  std::optional<std::size_t> from_bottom;
};

/// The SPIDER meaning of a label.
[[nodiscard]] constexpr structure_info spider_structure(std::int64_t label) noexcept {
  if (label == 0)
    return {structure_kind::background, std::nullopt};
  if (label >= 1 && label <= 25)
    return {structure_kind::vertebra, static_cast<std::size_t>(label - 1)};
  if (label == 100)
    return {structure_kind::spinal_canal, std::nullopt};
  if (label >= 101 && label <= 125) {
    return {structure_kind::partial_vertebra, static_cast<std::size_t>(label - 101)};
  }
  if (label >= 201 && label <= 225)
    return {structure_kind::disc, static_cast<std::size_t>(label - 201)};
  return {structure_kind::other, std::nullopt};
}

/// A vertebra name: region (C, T, L, S) and number, e.g. {'L', 5}.
struct vertebra_name {
  char region = 'L';
  int number = 5;
  friend bool operator==(const vertebra_name&, const vertebra_name&) = default;
};

/// "L5", "T12", "S1".
[[nodiscard]] inline std::string to_string(const vertebra_name& vertebra) {
  // Appended, not concatenated: GCC 12 at -O3 warns falsely (-Wrestrict) on char + std::string.
  std::string text(1, vertebra.region);
  text += std::to_string(vertebra.number);
  return text;
}

/// Parses "L5", "t12", "S1", "L6", "T13" (C1-C7, T1-T13, L1-L6, S1-S5).
/// \throws precondition_error on anything else, naming the text.
[[nodiscard]] inline vertebra_name parse_vertebra(std::string_view text) {
  DISCGEOM_PRECONDITION(text.size() >= 2 && text.size() <= 3, "parse_vertebra", "'", text,
                        "' is not a vertebra name such as L5, T12 or S1");
  const char region = static_cast<char>(text[0] >= 'a' ? text[0] - 'a' + 'A' : text[0]);
  int number = 0;
  for (char digit : text.substr(1)) {
    DISCGEOM_PRECONDITION(digit >= '0' && digit <= '9', "parse_vertebra", "'", text,
                          "' is not a vertebra name such as L5, T12 or S1");
    number = number * 10 + (digit - '0');
  }
  constexpr std::string_view regions = "CTLS";
  constexpr std::array<int, 4> largest{7, 13, 6, 5};  // C7, T13 (transitional), L6, S5
  const auto found = regions.find(region);
  DISCGEOM_PRECONDITION(found != std::string_view::npos && number >= 1 && number <= largest[found],
                        "parse_vertebra", "'", text,
                        "' is not a vertebra name (C1-C7, T1-T13, L1-L6, S1-S5)");
  return {region, number};
}

/// The vertebra directly above: S1 -> L5, L1 -> T12, T1 -> C7, C1 -> none. (An L6 or a T13 is
/// reached only by naming it as the lowest level: above L6 is L5, above T13 is T12.)
[[nodiscard]] inline std::optional<vertebra_name> vertebra_above(const vertebra_name& vertebra) {
  switch (vertebra.region) {
    case 'S':
      if (vertebra.number == 1)
        return vertebra_name{'L', 5};
      return vertebra_name{'S', vertebra.number - 1};
    case 'L':
      if (vertebra.number == 1)
        return vertebra_name{'T', 12};
      return vertebra_name{'L', vertebra.number - 1};
    case 'T':
      if (vertebra.number == 1)
        return vertebra_name{'C', 7};
      return vertebra_name{'T', vertebra.number - 1};
    default:
      if (vertebra.number == 1)
        return std::nullopt;
      return vertebra_name{'C', vertebra.number - 1};
  }
}

/// Names of intervertebral levels counted upwards from a lowest level.
///
/// `disc_level_names{"L5/S1"}.name(k)`: L5/S1, L4/L5, L3/L4, L2/L3, L1/L2, T12/L1, T11/T12, ...
/// With "L6/S1": L6/S1, L5/L6, L4/L5, ... Beyond C1 the name is "unknown".
class disc_level_names {
 public:
  /// \throws precondition_error when `lowest` is not "UPPER/LOWER" with two vertebra names.
  explicit disc_level_names(std::string_view lowest = "L5/S1") {
    const auto slash = lowest.find('/');
    DISCGEOM_PRECONDITION(slash != std::string_view::npos, "disc_level_names", "lowest level '",
                          lowest, "' must be written UPPER/LOWER, e.g. L5/S1");
    upper_ = parse_vertebra(lowest.substr(0, slash));
    lower_ = parse_vertebra(lowest.substr(slash + 1));
  }

  /// The name of the level `from_bottom` steps above the lowest (0 = the lowest itself).
  [[nodiscard]] std::string name(std::size_t from_bottom) const {
    std::optional<vertebra_name> upper = upper_, lower = lower_;
    for (std::size_t step = 0; step < from_bottom && upper; ++step) {
      lower = upper;
      upper = vertebra_above(*upper);
    }
    if (!upper)
      return "unknown";
    return to_string(*upper) + "/" + to_string(*lower);
  }

 private:
  vertebra_name upper_, lower_;
};

/// A user's table: label -> structure kind and level name (e.g. read from a CSV).
struct label_table_entry {
  structure_kind kind = structure_kind::disc;
  std::string level;  ///< free text; "unknown" when not known
};
using label_table = std::map<std::int64_t, label_table_entry>;

}  // namespace discgeom
