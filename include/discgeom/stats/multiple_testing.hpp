// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Adjusting a family of p-values for multiple testing: Bonferroni, Holm (1979) and
/// Benjamini-Hochberg (1995), as statsmodels.stats.multitest.multipletests computes them
/// ("bonferroni", "holm", "fdr_bh").

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <span>
#include <string_view>
#include <vector>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/stats/sample.hpp"

namespace discgeom {

enum class p_adjustment {
  none,                ///< p unchanged
  bonferroni,          ///< min(1, m p): family-wise error rate
  holm,                ///< step-down Bonferroni: family-wise error rate, uniformly more powerful
  benjamini_hochberg,  ///< step-up: false discovery rate under independence or positive dependence
};

/// "none", "bonferroni", "holm", "bh".
template <>
struct enum_names<p_adjustment> {
  static constexpr std::array<enum_name<p_adjustment>, 4> table{{
      {p_adjustment::none, "none"},
      {p_adjustment::bonferroni, "bonferroni"},
      {p_adjustment::holm, "holm"},
      {p_adjustment::benjamini_hochberg, "bh"},
  }};
};

/// Adjusted p-values of a family of m tests, in input order. With p_(1) <= ... <= p_(m) sorted:
/// - Bonferroni: min(1, m p_i);
/// - Holm: adj p_(i) = max_{j <= i} min(1, (m - j + 1) p_(j));
/// - Benjamini-Hochberg: adj p_(i) = min_{j >= i} min(1, m p_(j) / j).
/// A p-value that is missing (NaN: an undefined test, such as a constant feature's correlation)
/// stays NaN and is not counted in m: the family is the tests that were carried out.
///
/// \param p_values the p-values, each in [0, 1] or NaN
/// \returns the adjusted p-values, in [0, 1], NaN where the input was NaN
/// \throws precondition_error when a p-value is outside [0, 1] (index and value named)
/// Complexity: O(m log m).
///
///   const auto q = discgeom::adjust_p_values(p, discgeom::p_adjustment::benjamini_hochberg);
template <sample P>
[[nodiscard]] std::vector<double> adjust_p_values(P&& p_values, p_adjustment method) {
  std::vector<double> adjusted = sample_values(p_values);
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < adjusted.size(); ++i) {
    const double p = adjusted[i];
    DISCGEOM_PRECONDITION(std::isnan(p) || (p >= 0.0 && p <= 1.0), "adjust_p_values", "p_values[",
                          i, "] must be in [0, 1] or NaN, got ", p);
    if (!std::isnan(p)) {
      order.push_back(i);
    }
  }
  const double m = static_cast<double>(order.size());
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return adjusted[a] < adjusted[b]; });
  switch (method) {
    case p_adjustment::none:
      break;
    case p_adjustment::bonferroni:
      for (std::size_t i : order) {
        adjusted[i] = std::min(1.0, m * adjusted[i]);
      }
      break;
    case p_adjustment::holm: {
      double running_max = 0.0;
      for (std::size_t rank = 0; rank < order.size(); ++rank) {
        const double scaled =
            std::min(1.0, (m - static_cast<double>(rank)) * adjusted[order[rank]]);
        running_max = std::max(running_max, scaled);
        adjusted[order[rank]] = running_max;
      }
      break;
    }
    case p_adjustment::benjamini_hochberg: {
      double running_min = 1.0;
      for (std::size_t rank = order.size(); rank-- > 0;) {
        const double scaled = m * adjusted[order[rank]] / static_cast<double>(rank + 1);
        running_min = std::min(running_min, scaled);
        adjusted[order[rank]] = running_min;
      }
      break;
    }
  }
  return adjusted;
}

}  // namespace discgeom
