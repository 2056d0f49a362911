// SPDX-License-Identifier: MIT
// One table of names per enum (enum_names.hpp): to_string, parsing and the lists of choices
// come from it, and every table of the library is unique and round-trips.
#include "discgeom/enum_names.hpp"

#include <catch2/catch.hpp>

#include "discgeom/image_geometry.hpp"
#include "discgeom/latent/traversal.hpp"
#include "discgeom/mask/label_scheme.hpp"
#include "discgeom/metrics/overlap.hpp"
#include "discgeom/metrics/surface.hpp"
#include "discgeom/stats/bland_altman.hpp"
#include "discgeom/stats/classification.hpp"
#include "discgeom/stats/concordance.hpp"
#include "discgeom/stats/correlation.hpp"
#include "discgeom/stats/error_measures.hpp"
#include "discgeom/stats/folds.hpp"
#include "discgeom/stats/hypothesis.hpp"
#include "discgeom/stats/icc.hpp"
#include "discgeom/stats/multiple_testing.hpp"
#include "discgeom/stats/roc.hpp"
#include "discgeom/stats/summary.hpp"

namespace {

template <discgeom::named_enum E>
void check_table() {
  CHECK(discgeom::detail::enum_table_is_unique<E>());
  for (const auto& entry : discgeom::enum_names<E>::table) {
    CHECK(discgeom::to_string(entry.value) == entry.name);
    CHECK(discgeom::try_parse_enum<E>(entry.name) == entry.value);
    CHECK_FALSE(entry.name.empty());
  }
}

enum class colour { red, green, blue };

}  // namespace

template <>
struct discgeom::enum_names<colour> {
  static constexpr std::array<enum_name<colour>, 3> table{{
      {colour::red, "red"},
      {colour::green, "green"},
      {colour::blue, "blue"},
  }};
};

TEST_CASE("enum_names: a user's enum gets to_string, parsing and its choices") {
  STATIC_REQUIRE(discgeom::named_enum<colour>);
  STATIC_REQUIRE_FALSE(discgeom::named_enum<int>);
  STATIC_REQUIRE(discgeom::to_string(colour::green) == "green");
  CHECK(discgeom::to_string(static_cast<colour>(7)) == "?");
  CHECK(discgeom::enum_choices<colour>() == "red|green|blue");
  CHECK(discgeom::enum_choices<colour>(", ") == "red, green, blue");
  CHECK(discgeom::enum_choices_in_words<colour>() == "red, green or blue");
  CHECK(discgeom::parse_enum<colour>("blue") == colour::blue);
  CHECK_FALSE(discgeom::try_parse_enum<colour>("Blue").has_value());  // exact, case-sensitive
  CHECK_THROWS_MATCHES(discgeom::parse_enum<colour>("mauve", "paint", "colour"),
                       discgeom::precondition_error,
                       Catch::Message("paint(): colour 'mauve' is not one of red|green|blue"));
  check_table<colour>();
}

TEST_CASE("enum_names: every table of the library is unique and round-trips") {
  check_table<discgeom::anatomical_axis>();
  check_table<discgeom::structure_kind>();
  check_table<discgeom::traversal_anchor>();
  check_table<discgeom::overlap_status>();
  check_table<discgeom::surface_kind>();
  check_table<discgeom::bland_altman_status>();
  check_table<discgeom::score_status>();
  check_table<discgeom::concordance_status>();
  check_table<discgeom::correlation_method>();
  check_table<discgeom::correlation_status>();
  check_table<discgeom::error_measures_status>();
  check_table<discgeom::folds_status>();
  check_table<discgeom::alternative_hypothesis>();
  check_table<discgeom::icc_form>();
  check_table<discgeom::icc_status>();
  check_table<discgeom::p_adjustment>();
  check_table<discgeom::roc_status>();
  check_table<discgeom::auc_interval_method>();
  check_table<discgeom::summary_status>();
  // The names the command line and the tables have always used.
  CHECK(discgeom::enum_choices<discgeom::correlation_method>() == "pearson|spearman|kendall");
  CHECK(discgeom::enum_choices<discgeom::p_adjustment>() == "none|bonferroni|holm|bh");
  CHECK(discgeom::enum_choices<discgeom::alternative_hypothesis>() == "two-sided|less|greater");
  CHECK(discgeom::to_string(discgeom::anatomical_axis::si) == "SI");
}
