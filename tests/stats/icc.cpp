// SPDX-License-Identifier: MIT
// Intraclass correlations: the published Shrout & Fleiss (1979) example, golden values from
// tests/golden/make_agreement_golden.py (tests/data/agreement_golden.txt; Python is not run
// here), degenerate tables, preconditions and input containers.
#include "discgeom/stats/icc.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <ranges>
#include <span>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>

#include "agreement_golden.hpp"

namespace {

using agreement_golden::missing;
constexpr std::array all_forms{discgeom::icc_form::icc1,  discgeom::icc_form::icc2,
                               discgeom::icc_form::icc3,  discgeom::icc_form::icc1k,
                               discgeom::icc_form::icc2k, discgeom::icc_form::icc3k};

// Shrout & Fleiss (1979), Table 2: 6 targets (rows) x 4 judges.
const std::vector<std::vector<double>> shrout_fleiss_rows{
    {9, 2, 5, 8}, {6, 1, 3, 2}, {8, 4, 6, 8}, {7, 1, 2, 6}, {10, 5, 6, 9}, {6, 2, 4, 7}};

std::vector<std::vector<double>> to_columns(const std::vector<std::vector<double>>& rows) {
  std::vector<std::vector<double>> columns(rows.empty() ? 0 : rows.front().size());
  for (const auto& row : rows)
    for (std::size_t j = 0; j < row.size(); ++j)
      columns[j].push_back(row[j]);
  return columns;
}

double round2(double value) {
  return std::round(value * 100.0) / 100.0;
}

}  // namespace

TEST_CASE("icc: Shrout & Fleiss (1979) Table 2, mean squares by hand and published ICCs",
          "[stats][icc]") {
  const auto t = discgeom::intraclass_correlations(to_columns(shrout_fleiss_rows));
  REQUIRE(t.status == discgeom::icc_status::ok);
  CHECK(t.n == 6);
  CHECK(t.k == 4);
  CHECK(t.n_missing == 0);
  // Grand total 127, sum of squares 841, row totals 24 12 26 16 30 19, column totals
  // 46 15 26 40: SS_targets = 1349/24, SS_judges = 2339/24, SS_total = 4055/24, SS_error = 367/24.
  CHECK(t.bms == Approx(1349.0 / 120.0).epsilon(1e-13));  // 11.2417
  CHECK(t.wms == Approx(2706.0 / 432.0).epsilon(1e-13));  // 6.2639
  CHECK(t.jms == Approx(2339.0 / 72.0).epsilon(1e-13));   // 32.4861
  CHECK(t.ems == Approx(367.0 / 360.0).epsilon(1e-13));   // 1.0194
  const double b = 1349.0 / 120.0, w = 2706.0 / 432.0, j = 2339.0 / 72.0, e = 367.0 / 360.0;
  CHECK(t.icc1.value == Approx((b - w) / (b + 3 * w)).epsilon(1e-13));
  CHECK(t.icc2.value == Approx((b - e) / (b + 3 * e + 4 * (j - e) / 6)).epsilon(1e-13));
  CHECK(t.icc3.value == Approx((b - e) / (b + 3 * e)).epsilon(1e-13));
  CHECK(t.icc1k.value == Approx((b - w) / b).epsilon(1e-13));
  CHECK(t.icc2k.value == Approx((b - e) / (b + (j - e) / 6)).epsilon(1e-13));
  CHECK(t.icc3k.value == Approx((b - e) / b).epsilon(1e-13));
  // As published in Shrout & Fleiss (1979), to two decimals.
  CHECK(round2(t.icc1.value) == Approx(0.17));
  CHECK(round2(t.icc2.value) == Approx(0.29));
  CHECK(round2(t.icc3.value) == Approx(0.71));
  CHECK(round2(t.icc1k.value) == Approx(0.44));
  CHECK(round2(t.icc2k.value) == Approx(0.62));
  CHECK(round2(t.icc3k.value) == Approx(0.91));
  // F statistics and degrees of freedom.
  CHECK(t.icc1.f == Approx(b / w).epsilon(1e-13));
  CHECK(t.icc3.f == Approx(b / e).epsilon(1e-13));
  CHECK(t.icc1.df1 == 5);
  CHECK(t.icc1.df2 == 18);
  CHECK(t.icc1k.df2 == 18);
  for (const auto* r : {&t.icc2, &t.icc3, &t.icc2k, &t.icc3k}) {
    CHECK(r->df1 == 5);
    CHECK(r->df2 == 15);
    CHECK(r->f == t.icc3.f);
    CHECK(r->p == t.icc3.p);
  }
}

TEST_CASE("icc: Shrout & Fleiss data against R psych::ICC's printed output", "[stats][icc]") {
  // psych::ICC on these ratings as printed in the RExRepos interRaterICC example
  // (github.com/dwoll/RExRepos): F 1.8 and 11.0, p 0.16477 and 0.00013, bounds
  // ICC1 -0.133 0.72, ICC2 0.019 0.76, ICC3 0.342 0.95, ICC1k -0.884 0.91, ICC2k 0.071 0.93,
  // ICC3k 0.676 0.99. Checked to half a unit of the last printed digit.
  const auto t = discgeom::intraclass_correlations(to_columns(shrout_fleiss_rows));
  CHECK(t.icc1.f == Approx(1.8).margin(0.05));
  CHECK(t.icc3.f == Approx(11.0).margin(0.05));
  CHECK(t.icc1.p == Approx(0.16477).margin(0.000005));
  CHECK(t.icc2.p == Approx(0.00013).margin(0.000005));
  const std::array<std::array<double, 2>, 6> bounds{
      {{-0.133, 0.72}, {0.019, 0.76}, {0.342, 0.95}, {-0.884, 0.91}, {0.071, 0.93}, {0.676, 0.99}}};
  for (std::size_t i = 0; i < all_forms.size(); ++i) {
    INFO(discgeom::to_string(all_forms[i]));
    CHECK(t[all_forms[i]].ci_low == Approx(bounds[i][0]).margin(0.0005));
    CHECK(t[all_forms[i]].ci_high == Approx(bounds[i][1]).margin(0.005));
  }
}

TEST_CASE("icc: golden values (statsmodels ANOVA, scipy F quantiles)", "[stats][icc]") {
  for (const auto& g : agreement_golden::read_cases("icc", {"confidence"})) {
    INFO("case " << g.name);
    const auto t =
        discgeom::intraclass_correlations(to_columns(g.rows), {.confidence = g.confidence});
    const auto& table = g.expect.at("table");
    CHECK(static_cast<double>(t.n) == table.at("n"));
    CHECK(static_cast<double>(t.n_missing) == table.at("n_missing"));
    CHECK(static_cast<double>(t.k) == table.at("k"));
    CHECK(t.bms == Approx(table.at("bms")).epsilon(1e-12));
    CHECK(t.wms == Approx(table.at("wms")).epsilon(1e-12));
    CHECK(t.jms == Approx(table.at("jms")).epsilon(1e-12));
    CHECK(t.ems == Approx(table.at("ems")).epsilon(1e-12));
    CHECK(t.satterthwaite_df == Approx(table.at("satterthwaite_df")).epsilon(1e-12));
    CHECK(t.status == discgeom::icc_status::ok);
    for (const auto form : all_forms) {
      INFO("form " << discgeom::to_string(form));
      const auto& r = t[form];
      const auto& x = g.expect.at(std::string(discgeom::to_string(form)));
      CHECK(r.form == form);
      CHECK(r.status == discgeom::icc_status::ok);
      CHECK(r.n == t.n);
      CHECK(r.n_missing == t.n_missing);
      CHECK(r.value == Approx(x.at("value")).epsilon(1e-11));
      CHECK(r.f == Approx(x.at("f")).epsilon(1e-12));
      CHECK(r.df1 == x.at("df1"));
      CHECK(r.df2 == x.at("df2"));
      CHECK(r.p == Approx(x.at("p")).epsilon(1e-9));
      CHECK(r.ci_low == Approx(x.at("ci_low")).epsilon(1e-9));
      CHECK(r.ci_high == Approx(x.at("ci_high")).epsilon(1e-9));
    }
  }
}

TEST_CASE("icc: one form equals the same form of the table", "[stats][icc]") {
  const auto columns = to_columns(shrout_fleiss_rows);
  const auto t = discgeom::intraclass_correlations(columns, {.confidence = 0.9});
  for (const auto form : all_forms) {
    const auto r = discgeom::intraclass_correlation(columns, form, {.confidence = 0.9});
    CHECK(r.form == form);
    CHECK(r.value == t[form].value);
    CHECK(r.p == t[form].p);
    CHECK(r.ci_low == t[form].ci_low);
    CHECK(r.ci_high == t[form].ci_high);
    CHECK(r.n == 6);
    CHECK(r.k == 4);
  }
  // A wider level gives a wider interval around the same value.
  const auto wide = discgeom::intraclass_correlations(columns, {.confidence = 0.99});
  CHECK(wide.icc2.value == t.icc2.value);
  CHECK(wide.icc2.ci_low < t.icc2.ci_low);
  CHECK(wide.icc2.ci_high > t.icc2.ci_high);
}

TEST_CASE("icc: invariant to an offset, a positive scale and the order of raters", "[stats][icc]") {
  const auto reference = discgeom::intraclass_correlations(to_columns(shrout_fleiss_rows));
  auto shifted = to_columns(shrout_fleiss_rows);
  for (auto& column : shifted)
    for (double& v : column)
      v = 2.5 * v + 1000.0;
  std::swap(shifted[0], shifted[3]);
  const auto t = discgeom::intraclass_correlations(shifted);
  for (const auto form : all_forms) {
    INFO(discgeom::to_string(form));
    CHECK(t[form].value == Approx(reference[form].value).epsilon(1e-10));
    CHECK(t[form].ci_low == Approx(reference[form].ci_low).epsilon(1e-9));
    CHECK(t[form].ci_high == Approx(reference[form].ci_high).epsilon(1e-9));
  }
}

TEST_CASE("icc: any sample_columns container gives the same answer", "[stats][icc]") {
  const auto expected = discgeom::intraclass_correlations(to_columns(shrout_fleiss_rows));

  SECTION("spans of float") {
    std::vector<std::vector<float>> storage(4);
    for (const auto& row : shrout_fleiss_rows)
      for (std::size_t j = 0; j < 4; ++j)
        storage[j].push_back(static_cast<float>(row[j]));
    std::vector<std::span<const float>> columns(storage.begin(), storage.end());
    const auto t = discgeom::intraclass_correlations(columns);
    CHECK(t.icc2.value == expected.icc2.value);
    CHECK(t.icc3k.ci_low == expected.icc3k.ci_low);
  }
  SECTION("optional values, an empty one drops its target") {
    std::vector<std::vector<std::optional<double>>> columns(4);
    for (const auto& row : shrout_fleiss_rows)
      for (std::size_t j = 0; j < 4; ++j)
        columns[j].emplace_back(row[j]);
    columns[2].emplace_back(std::nullopt);  // a seventh target with one rating missing
    for (std::size_t j : {0, 1, 3})
      columns[j].emplace_back(100.0);
    const auto t = discgeom::intraclass_correlations(columns);
    CHECK(t.n == 6);
    CHECK(t.n_missing == 1);
    CHECK(t.icc1.value == expected.icc1.value);
    CHECK(t.icc2k.ci_high == expected.icc2k.ci_high);
    CHECK(t.icc3.n_missing == 1);
  }
  SECTION("columns of a user's table through std::views::transform") {
    struct scored_disc {
      double judge1, judge2, judge3, judge4;
    };
    std::vector<scored_disc> discs;
    for (const auto& row : shrout_fleiss_rows)
      discs.push_back({row[0], row[1], row[2], row[3]});
    const std::array columns{discs | std::views::transform(&scored_disc::judge1),
                             discs | std::views::transform(&scored_disc::judge2),
                             discs | std::views::transform(&scored_disc::judge3),
                             discs | std::views::transform(&scored_disc::judge4)};
    const auto t = discgeom::intraclass_correlations(columns);
    CHECK(t.icc3.value == expected.icc3.value);
    CHECK(t.icc1.p == expected.icc1.p);
  }
  SECTION("xtensor columns") {
    std::vector<xt::xtensor<double, 1>> columns;
    for (const auto& column : to_columns(shrout_fleiss_rows)) {
      xt::xtensor<double, 1> c = xt::xtensor<double, 1>::from_shape({column.size()});
      std::copy(column.begin(), column.end(), c.begin());
      columns.push_back(c);
    }
    const auto t = discgeom::intraclass_correlations(columns);
    CHECK(t.icc2k.value == expected.icc2k.value);
    CHECK(t.icc1k.ci_low == expected.icc1k.ci_low);
  }
}

TEST_CASE("icc: too few raters or targets give a status and NaN", "[stats][icc]") {
  SECTION("one rater") {
    const std::vector<std::vector<double>> one{{1, 2, 3}};
    const auto t = discgeom::intraclass_correlations(one);
    CHECK(t.status == discgeom::icc_status::too_few_raters);
    CHECK(t.k == 1);
    CHECK(t.n == 3);
    CHECK(std::isnan(t.bms));
    for (const auto form : all_forms) {
      CHECK(t[form].status == discgeom::icc_status::too_few_raters);
      CHECK(std::isnan(t[form].value));
      CHECK(std::isnan(t[form].p));
      CHECK(std::isnan(t[form].df1));
    }
  }
  SECTION("no rater") {
    const std::vector<std::vector<double>> none;
    const auto t = discgeom::intraclass_correlations(none);
    CHECK(t.status == discgeom::icc_status::too_few_raters);
    CHECK(t.n == 0);
    CHECK(t.k == 0);
    CHECK(std::isnan(t.icc2.value));
  }
  SECTION("one complete target") {
    const std::vector<std::vector<double>> columns{{1, 2, missing}, {1, missing, 3}, {2, 2, 2}};
    const auto t = discgeom::intraclass_correlations(columns);
    CHECK(t.status == discgeom::icc_status::too_few_targets);
    CHECK(t.n == 1);
    CHECK(t.n_missing == 2);
    for (const auto form : all_forms) {
      CHECK(t[form].status == discgeom::icc_status::too_few_targets);
      CHECK(std::isnan(t[form].value));
      CHECK(std::isnan(t[form].ci_low));
    }
  }
  SECTION("no target") {
    const std::vector<std::vector<double>> columns{{}, {}};
    const auto r = discgeom::intraclass_correlation(columns, discgeom::icc_form::icc2);
    CHECK(r.status == discgeom::icc_status::too_few_targets);
    CHECK(r.n == 0);
    CHECK(std::isnan(r.value));
  }
}

TEST_CASE("icc: zero between-target variance gives no_target_variance, never a division",
          "[stats][icc]") {
  SECTION("constant ratings") {
    const std::vector<std::vector<double>> columns{{0.1, 0.1, 0.1, 0.1}, {0.1, 0.1, 0.1, 0.1}};
    const auto t = discgeom::intraclass_correlations(columns);
    CHECK(t.status == discgeom::icc_status::no_target_variance);
    CHECK(t.bms == 0.0);
    CHECK(t.wms == 0.0);
    CHECK(t.ems == 0.0);
    for (const auto form : all_forms) {
      CHECK(t[form].status == discgeom::icc_status::no_target_variance);
      CHECK(std::isnan(t[form].value));
      CHECK(std::isnan(t[form].f));
      CHECK(std::isnan(t[form].p));
      CHECK(std::isnan(t[form].ci_low));
      CHECK(std::isnan(t[form].ci_high));
      CHECK(t[form].df1 == 3);
    }
  }
  SECTION("equal target means that differ only by rounding") {
    // Targets (0.1, 0.2, 0.3) and (0.3, 0.2, 0.1): equal means, whose floating-point sums differ
    // in the last bit; raters disagree, so EMS > 0.
    const std::vector<std::vector<double>> columns{{0.1, 0.3}, {0.2, 0.2}, {0.3, 0.1}};
    const auto t = discgeom::intraclass_correlations(columns);
    CHECK(t.status == discgeom::icc_status::no_target_variance);
    CHECK(t.bms == 0.0);
    CHECK(t.ems > 0.0);
    CHECK(std::isnan(t.icc3k.value));
    CHECK(t.icc3k.status == discgeom::icc_status::no_target_variance);
  }
}

TEST_CASE("icc: zero error variance gives no_error_variance with the formula's value",
          "[stats][icc]") {
  SECTION("ratings additive in target and rater: EMS = 0, WMS > 0") {
    // x_ij = a_i + b_j with a = (1, 3, 6) for the targets and b = (0, 2) for the raters.
    const std::vector<std::vector<double>> columns{{1, 3, 6}, {3, 5, 8}};
    const auto t = discgeom::intraclass_correlations(columns);
    CHECK(t.status == discgeom::icc_status::no_error_variance);
    CHECK(t.ems == 0.0);
    // Row means 2, 4, 7 (grand mean 13/3): BMS = 2 ((7/3)^2 + (1/3)^2 + (8/3)^2) / 2 = 38/3.
    CHECK(t.bms == Approx(38.0 / 3.0).epsilon(1e-14));
    CHECK(t.jms == Approx(6.0).epsilon(1e-14));  // column means 13/3 -+ 1: 3 (1 + 1) / 1
    CHECK(t.wms == Approx(2.0).epsilon(1e-14));  // (SS_raters 6 + SS_error 0) / 3
    CHECK(t.icc1.status == discgeom::icc_status::ok);
    CHECK(t.icc1.value == Approx((38.0 / 3 - 2) / (38.0 / 3 + 2)).epsilon(1e-14));
    CHECK(std::isfinite(t.icc1.ci_low));
    for (const auto* r : {&t.icc2, &t.icc3, &t.icc2k, &t.icc3k}) {
      CHECK(r->status == discgeom::icc_status::no_error_variance);
      CHECK(std::isinf(r->f));
      CHECK(r->p == 0.0);
      CHECK(std::isnan(r->ci_low));
      CHECK(std::isnan(r->ci_high));
    }
    CHECK(t.icc3.value == 1.0);
    CHECK(t.icc3k.value == 1.0);
    // ICC(2,1) = BMS / (BMS + k JMS / n) = (38/3) / (38/3 + 2 * 6 / 3).
    CHECK(t.icc2.value == Approx((38.0 / 3) / (38.0 / 3 + 4.0)).epsilon(1e-14));
  }
  SECTION("identical raters: every form 1") {
    const std::vector<std::vector<double>> columns{{1, 4, 2, 8}, {1, 4, 2, 8}, {1, 4, 2, 8}};
    const auto t = discgeom::intraclass_correlations(columns);
    CHECK(t.status == discgeom::icc_status::no_error_variance);
    for (const auto form : all_forms) {
      CHECK(t[form].status == discgeom::icc_status::no_error_variance);
      CHECK(t[form].value == 1.0);
      CHECK(t[form].p == 0.0);
      CHECK(std::isnan(t[form].ci_low));
    }
  }
}

TEST_CASE("icc: an infinite rating is a broken precondition", "[stats][icc]") {
  auto columns = to_columns(shrout_fleiss_rows);
  columns[1][2] = std::numeric_limits<double>::infinity();
  REQUIRE_THROWS_AS(discgeom::intraclass_correlations(columns), discgeom::precondition_error);
  REQUIRE_THROWS_WITH(discgeom::intraclass_correlations(columns),
                      "intraclass_correlations(): ratings column 1 value 2 is inf; ratings must "
                      "be finite (NaN marks a missing rating)");
  columns[1][2] = -std::numeric_limits<double>::infinity();
  columns[0][2] = missing;  // even in a target that listwise deletion would drop
  REQUIRE_THROWS_WITH(
      discgeom::intraclass_correlation(columns, discgeom::icc_form::icc3),
      Catch::Contains("intraclass_correlation(): ratings column 1 value 2 is -inf"));
}

TEST_CASE("icc: broken preconditions throw naming the function and the values", "[stats][icc]") {
  const std::vector<std::vector<double>> ragged{
      {1, 2, 3, 4, 5, 6}, {1, 2, 3, 4, 5, 6}, {1, 2, 3, 4, 5}};
  REQUIRE_THROWS_AS(discgeom::intraclass_correlations(ragged), discgeom::precondition_error);
  REQUIRE_THROWS_WITH(
      discgeom::intraclass_correlations(ragged),
      "intraclass_correlations(): ratings column 2 holds 5 values, column 0 holds 6");
  REQUIRE_THROWS_WITH(discgeom::intraclass_correlation(ragged, discgeom::icc_form::icc1),
                      Catch::Contains("intraclass_correlation(): ratings column 2"));
  const auto columns = to_columns(shrout_fleiss_rows);
  REQUIRE_THROWS_WITH(discgeom::intraclass_correlations(columns, {.confidence = 1.0}),
                      "intraclass_correlations(): options.confidence must be in (0, 1), got 1");
  REQUIRE_THROWS_WITH(discgeom::intraclass_correlations(columns, {.confidence = 0.0}),
                      Catch::Contains("got 0"));
  REQUIRE_THROWS_WITH(discgeom::intraclass_correlation(columns, static_cast<discgeom::icc_form>(9)),
                      "intraclass_correlation(): form must be an icc_form, got 9");
}

TEST_CASE("icc: enum names", "[stats][icc]") {
  CHECK(discgeom::to_string(discgeom::icc_form::icc2k) == "icc2k");
  CHECK(discgeom::to_string(discgeom::icc_form::icc1) == "icc1");
  CHECK(discgeom::to_string(discgeom::icc_status::ok) == "ok");
  CHECK(discgeom::to_string(discgeom::icc_status::no_target_variance) == "no_target_variance");
  CHECK(discgeom::to_string(discgeom::icc_status::no_error_variance) == "no_error_variance");
  CHECK(discgeom::to_string(discgeom::icc_status::too_few_raters) == "too_few_raters");
  CHECK(discgeom::to_string(discgeom::icc_status::too_few_targets) == "too_few_targets");
}
