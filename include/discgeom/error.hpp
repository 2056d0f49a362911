// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The discgeom error hierarchy and the precondition macros.
///
/// Policy (docs/errors.md): a broken contract throws a `discgeom::error` subclass whose message
/// names the function, the argument and the offending value, e.g.
/// `"dice(): masks differ in shape: [64,64,64] vs [64,64,32]"`. Degenerate data (an empty mask, a
/// constant feature) is not an error: it comes back as a result with a status.

#include <stdexcept>
#include <string>

#include "discgeom/detail/format.hpp"

namespace discgeom {

/// Base of every exception discgeom throws.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A caller broke a documented precondition: wrong shape, rank, spacing, direction, option value.
class precondition_error : public error {
 public:
  using error::error;
};

/// A file could not be read or written, or its content is not what the format promises.
class io_error : public error {
 public:
  using error::error;
};

/// A computation could not produce a finite, meaningful number from valid input
/// (for example a singular matrix where the algorithm needs an inverse).
class numerical_error : public error {
 public:
  using error::error;
};

/// An internal invariant failed: a bug in discgeom, never the caller's fault.
/// Thrown only by DISCGEOM_ASSERT, which is active in debug builds.
class internal_error : public error {
 public:
  using error::error;
};

namespace detail {

template <class Error, class... Parts>
[[noreturn]] void throw_error(const char* function, const Parts&... parts) {
  throw Error(concat(function, "(): ", parts...));
}

}  // namespace detail
}  // namespace discgeom

/// Always-on check of a caller's input. When `condition` is false, throws
/// `discgeom::precondition_error` with the message `"<function>(): <parts...>"`; the parts are
/// printed in order (numbers with ten significant digits, ranges as "[a,b]").
///   DISCGEOM_PRECONDITION(spacing > 0, "resample", "spacing[", axis, "] must be > 0, got ",
///                         spacing);
#define DISCGEOM_PRECONDITION(condition, function, ...)                                       \
  do {                                                                                        \
    if (!(condition)) [[unlikely]] {                                                          \
      ::discgeom::detail::throw_error<::discgeom::precondition_error>(function, __VA_ARGS__); \
    }                                                                                         \
  } while (false)

/// Debug-only check of an internal invariant; throws `discgeom::internal_error` naming the file
/// and line. Compiles to nothing when NDEBUG is defined.
#ifdef NDEBUG
#define DISCGEOM_ASSERT(condition) \
  do {                             \
  } while (false)
#else
#define DISCGEOM_ASSERT(condition)                                                              \
  do {                                                                                          \
    if (!(condition)) [[unlikely]] {                                                            \
      ::discgeom::detail::throw_error<::discgeom::internal_error>(                              \
          "DISCGEOM_ASSERT", "internal invariant '", #condition, "' failed at ", __FILE__, ":", \
          __LINE__);                                                                            \
    }                                                                                           \
  } while (false)
#endif
