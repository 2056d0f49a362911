// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Parsing the values of text headers (MetaImage, NRRD, .npy): whole numbers and reals that
/// must be written in full, lists of them, and excerpts of a bad value (or a CSV cell) for a
/// one-line message. The standard library alone.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace discgeom::detail {

/// At most `limit` characters of text read from a file (a CSV cell, a header value) for a
/// message; bytes that are not printable ASCII (a line break, a NUL) as '?', so that a message
/// stays one line.
[[nodiscard]] inline std::string text_excerpt(std::string_view text, std::size_t limit = 60) {
  std::string result;
  for (const char c : text.substr(0, limit))
    result += c >= ' ' && c <= '~' ? c : '?';
  return text.size() > limit ? result + "..." : result;
}

[[nodiscard]] inline std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos)
    return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

/// The whitespace-separated words of `text`.
[[nodiscard]] inline std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> result;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto start = text.find_first_not_of(" \t\r\n", at);
    if (start == std::string_view::npos)
      break;
    const auto end = std::min(text.find_first_of(" \t\r\n", start), text.size());
    result.push_back(text.substr(start, end - start));
    at = end;
  }
  return result;
}

/// The whole of `text` as an integer, or nothing.
[[nodiscard]] inline std::optional<std::int64_t> parse_integer(std::string_view text) {
  if (!text.empty() && text.front() == '+')
    text.remove_prefix(1);
  std::int64_t value = 0;
  const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (failure != std::errc{} || end != text.data() + text.size() || text.empty())
    return std::nullopt;
  return value;
}

/// The whole of `text` as a double (nan and inf included: the caller decides), or nothing.
[[nodiscard]] inline std::optional<double> parse_real(std::string_view text) {
  if (!text.empty() && text.front() == '+')
    text.remove_prefix(1);
  double value = 0.0;
  const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (failure != std::errc{} || end != text.data() + text.size() || text.empty())
    return std::nullopt;
  return value;
}

}  // namespace discgeom::detail
