// SPDX-License-Identifier: MIT
#include "discgeom/error.hpp"

#include <array>
#include <string>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>

static_assert(std::is_base_of_v<std::runtime_error, discgeom::error>);
static_assert(std::is_base_of_v<discgeom::error, discgeom::precondition_error>);
static_assert(std::is_base_of_v<discgeom::error, discgeom::io_error>);
static_assert(std::is_base_of_v<discgeom::error, discgeom::numerical_error>);
static_assert(std::is_base_of_v<discgeom::error, discgeom::internal_error>);

namespace {
void check_spacing(double spacing) {
  DISCGEOM_PRECONDITION(spacing > 0.0, "resample", "spacing must be > 0, got ", spacing);
}
}  // namespace

TEST_CASE("DISCGEOM_PRECONDITION throws precondition_error naming function, argument and value") {
  CHECK_NOTHROW(check_spacing(0.43));
  CHECK_THROWS_AS(check_spacing(-4.4), discgeom::precondition_error);
  CHECK_THROWS_WITH(check_spacing(-4.4), "resample(): spacing must be > 0, got -4.4");
}

TEST_CASE("error messages print shapes as [a,b,c], numbers with ten digits, bytes as numbers") {
  const std::array<std::size_t, 3> a{64, 64, 64};
  const std::vector<long> b{64, 64, 32};
  const std::uint8_t label = 201;
  const std::string message =
      discgeom::detail::concat("dice(): masks differ in shape: ", a, " vs ", b,
                               "; pi = ", 3.14159265358979, "; label ", label);
  CHECK(message ==
        "dice(): masks differ in shape: [64,64,64] vs [64,64,32]; pi = 3.141592654; label 201");
}

TEST_CASE("DISCGEOM_ASSERT checks internal invariants in debug builds only") {
  const auto broken = [] { DISCGEOM_ASSERT(1 + 1 == 3); };
#ifdef NDEBUG
  CHECK_NOTHROW(broken());
#else
  CHECK_THROWS_AS(broken(), discgeom::internal_error);
#endif
}
