// SPDX-License-Identifier: MIT
#pragma once
// What the fuzz targets share: the input as text or bytes, and the checks whose failure is a
// finding. A finding aborts, which libFuzzer reports as a crash and saves the input that caused
// it; so do an uncaught exception, a sanitizer report and a hang (-timeout).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <span>
#include <string_view>

namespace discgeom_fuzz {

[[nodiscard]] inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

[[nodiscard]] inline std::span<const std::byte> as_bytes(const std::uint8_t* data,
                                                         std::size_t size) {
  return {reinterpret_cast<const std::byte*>(data), size};
}

/// A finding: says what broke and aborts.
[[noreturn]] inline void finding(std::string_view what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz finding: %.*s%s%.*s\n", static_cast<int>(what.size()), what.data(),
               detail.empty() ? "" : ": ", static_cast<int>(detail.size()), detail.data());
  std::abort();
}

/// A property every input must keep.
inline void require(bool condition, std::string_view what) {
  if (!condition)
    finding(what);
}

/// An expected error's message must name what was read (the function and the source), as
/// every discgeom message does (docs/errors.md).
inline void require_names(const std::exception& e, std::string_view expected) {
  if (std::string_view(e.what()).find(expected) == std::string_view::npos)
    finding("an error message does not name its source", e.what());
}

}  // namespace discgeom_fuzz
