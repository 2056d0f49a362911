// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Per-feature summary of a set of latent codes: the range a traversal sweeps and the centre it
/// holds the other features at.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "discgeom/stats/detail/quantile.hpp"
#include "discgeom/stats/sample.hpp"

namespace discgeom {

/// One latent feature over the real codes. NaN fields when the feature has no value.
struct latent_feature_summary {
  std::size_t n = 0;          ///< codes with a value for this feature
  std::size_t n_missing = 0;  ///< codes without (NaN or empty optional)
  double min = std::numeric_limits<double>::quiet_NaN();
  double max = std::numeric_limits<double>::quiet_NaN();
  double mean = std::numeric_limits<double>::quiet_NaN();
  double median = std::numeric_limits<double>::quiet_NaN();  ///< linear interpolation (numpy)
  double sd = std::numeric_limits<double>::quiet_NaN();      ///< sample sd (n - 1); NaN if n < 2
};

/// Min, max, mean, median and sample standard deviation of each latent feature.
///
/// \tparam Latents the latent codes as feature columns (column f holds feature f of every code;
///         any `sample_columns`, e.g. std::vector<std::vector<double>>)
/// \returns one summary per feature; missing values are left out and counted
/// Complexity: O(n) per feature (the median by selection).
///
///   const auto features = discgeom::summarise_latents(latent_columns);
///   std::cout << features[0].min << " .. " << features[0].max << '\n';
template <sample_columns Latents>
[[nodiscard]] std::vector<latent_feature_summary> summarise_latents(Latents&& latents) {
  std::vector<latent_feature_summary> summaries;
  for (auto&& column : latents) {
    std::vector<double> values = sample_values(column);
    latent_feature_summary s;
    const auto missing =
        std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); });
    s.n_missing = static_cast<std::size_t>(values.end() - missing);
    values.erase(missing, values.end());
    s.n = values.size();
    if (!values.empty()) {
      const auto [low, high] = std::minmax_element(values.begin(), values.end());
      s.min = *low;
      s.max = *high;
      double sum = 0.0;
      for (double v : values) {
        sum += v;
      }
      s.mean = sum / static_cast<double>(s.n);
      if (s.n >= 2) {
        double squares = 0.0;
        for (double v : values) {
          squares += (v - s.mean) * (v - s.mean);
        }
        s.sd = std::sqrt(squares / static_cast<double>(s.n - 1));
      }
      s.median = detail::linear_quantile(values, 0.5);
    }
    summaries.push_back(s);
  }
  return summaries;
}

}  // namespace discgeom
