// SPDX-License-Identifier: MIT
#pragma once
/// \file
/// Names of enumerators: one table per enum, the customisation point that serves `to_string`,
/// parsing (command lines, configuration files, CSV columns) and the documentation's lists of
/// choices, so the three can never drift apart.
///
/// An enum takes part by specialising `discgeom::enum_names`:
///
///   template <>
///   struct discgeom::enum_names<my_method> {
///     static constexpr std::array<enum_name<my_method>, 2> table{{
///         {my_method::fast, "fast"},
///         {my_method::exact, "exact"},
///     }};
///   };
///
/// and then has `to_string(my_method)`, `parse_enum<my_method>("exact")` and
/// `enum_choices<my_method>()` ("fast|exact"). Names are unique within a table; parsing is exact
/// (case-sensitive), as the command line's choices are.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "discgeom/error.hpp"

namespace discgeom {

/// One row of an enum's table: the enumerator and its name.
template <class E>
struct enum_name {
  E value;
  std::string_view name;
};

/// The customisation point: specialise with `static constexpr std::array<enum_name<E>, N> table`.
/// The primary template is declared and never defined.
template <class E>
struct enum_names;

/// An enum with a table of names.
template <class E>
concept named_enum = std::is_enum_v<E> && requires {
  { enum_names<E>::table.size() } -> std::convertible_to<std::size_t>;
  { enum_names<E>::table[0].name } -> std::convertible_to<std::string_view>;
};

/// The enumerator's name; "?" for a value the table does not hold (a cast from an integer).
template <named_enum E>
[[nodiscard]] constexpr std::string_view to_string(E value) noexcept {
  for (const auto& entry : enum_names<E>::table)
    if (entry.value == value)
      return entry.name;
  return "?";
}

/// The enumerator named `text`, or nothing.
template <named_enum E>
[[nodiscard]] constexpr std::optional<E> try_parse_enum(std::string_view text) noexcept {
  for (const auto& entry : enum_names<E>::table)
    if (entry.name == text)
      return entry.value;
  return std::nullopt;
}

/// Every name, in the table's order, joined by `separator`: "pearson|spearman|kendall".
template <named_enum E>
[[nodiscard]] std::string enum_choices(std::string_view separator = "|") {
  std::string text;
  for (const auto& entry : enum_names<E>::table) {
    if (!text.empty())
      text += separator;
    text += entry.name;
  }
  return text;
}

/// Every name in words, in the table's order: "pearson, spearman or kendall".
template <named_enum E>
[[nodiscard]] std::string enum_choices_in_words() {
  const auto& table = enum_names<E>::table;
  std::string text;
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (i > 0)
      text += i + 1 == table.size() ? " or " : ", ";
    text += table[i].name;
  }
  return text;
}

/// The enumerator named `text`.
/// \throws precondition_error naming `function`, `what` and the text, with the choices:
///         "parse_enum(): method 'kendal' is not one of pearson|spearman|kendall".
template <named_enum E>
[[nodiscard]] E parse_enum(std::string_view text, const char* function = "parse_enum",
                           std::string_view what = "value") {
  const auto value = try_parse_enum<E>(text);
  DISCGEOM_PRECONDITION(value.has_value(), function, what, " '", text, "' is not one of ",
                        enum_choices<E>());
  return *value;
}

namespace detail {
/// True when no two rows of E's table share a name or a value (checked by the tests).
template <named_enum E>
[[nodiscard]] constexpr bool enum_table_is_unique() noexcept {
  const auto& table = enum_names<E>::table;
  for (std::size_t i = 0; i < table.size(); ++i)
    for (std::size_t j = i + 1; j < table.size(); ++j)
      if (table[i].name == table[j].name || table[i].value == table[j].value)
        return false;
  return true;
}
}  // namespace detail

}  // namespace discgeom
