// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Intensity normalisation of MR images before a segmentation network: z-score, or percentile
/// clipping and scaling to [0, 1] (nnU-Net's and MONAI's ScaleIntensityRangePercentiles). The
/// core of it needs no LibTorch; it lives in nn/ because the segmenter is its user.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/concepts.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/image.hpp"
#include "discgeom/image_geometry.hpp"

namespace discgeom {

/// How intensities are normalised.
enum class intensity_normalisation {
  zscore,      ///< (x - mean) / standard deviation
  percentile,  ///< clip to the [lower, upper] percentiles, then scale that range to [0, 1]
};

/// "zscore" or "percentile".
template <>
struct enum_names<intensity_normalisation> {
  static constexpr std::array<enum_name<intensity_normalisation>, 2> table{{
      {intensity_normalisation::zscore, "zscore"},
      {intensity_normalisation::percentile, "percentile"},
  }};
};

/// "zscore" or "percentile" (also "z-score", the spelling some tools use).
/// \throws precondition_error naming the text and the choices for anything else
[[nodiscard]] inline intensity_normalisation parse_intensity_normalisation(std::string_view text) {
  if (text == "z-score")
    return intensity_normalisation::zscore;
  return parse_enum<intensity_normalisation>(text, "parse_intensity_normalisation", "method");
}

struct normalisation_options {
  intensity_normalisation method = intensity_normalisation::percentile;
  double lower_percentile = 0.5;   ///< percentile method: in [0, 100)
  double upper_percentile = 99.5;  ///< percentile method: in (lower, 100]
};

/// Whether the normalisation could scale the image.
enum class normalisation_status {
  ok,
  constant,  ///< no spread (standard deviation 0, or equal percentiles): every output voxel is 0
};

/// A normalised image and the affine map that made it: output = (input - offset) / scale (after
/// clipping to [clip_low, clip_high] for the percentile method).
struct normalised_image {
  image<float> voxels;
  normalisation_status status = normalisation_status::ok;
  double offset = 0.0;
  double scale = 1.0;
  double clip_low = 0.0, clip_high = 0.0;  ///< percentile method only
};

namespace detail {

/// The p-th percentile (0..100) of sorted values, linear interpolation between closest ranks
/// (numpy.percentile's default): position p/100 (n - 1).
inline double sorted_percentile(const std::vector<double>& sorted, double p) {
  const double position = p / 100.0 * static_cast<double>(sorted.size() - 1);
  const auto low = static_cast<std::size_t>(std::floor(position));
  const std::size_t high = std::min(low + 1, sorted.size() - 1);
  const double t = position - static_cast<double>(low);
  return sorted[low] + t * (sorted[high] - sorted[low]);
}

}  // namespace detail

/// Normalises the intensities of a 3D image.
///
/// z-score: y = (x - m) / s, m the mean and s the population standard deviation over all voxels.
/// percentile: with a = P_lower and b = P_upper the percentiles of the voxels (linear
/// interpolation, numpy's default), y = (min(max(x, a), b) - a) / (b - a), in [0, 1] (Isensee et
/// al., nnU-Net, Nat Methods 18:203, 2021, clip at 0.5 and 99.5; MONAI
/// ScaleIntensityRangePercientiles).
///
/// \param intensities  any scalar volume_like 3D volume
/// \param geometry     its geometry (copied to the result)
/// \returns the normalised float image and the map; a constant image (s = 0 or a = b) gives all
///          zeros with status `constant` rather than a division by zero
/// \throws precondition_error when a voxel is NaN or infinite (the message names how many and
///         the first), the volume is empty, or the percentiles are out of range
/// Complexity: O(n) for z-score, O(n log n) for percentiles (one sort); memory 8 bytes per voxel.
///
///   auto normalised = discgeom::normalise_intensities(t1, t1.geometry);
///   // normalised.voxels in [0, 1]
template <volume_like Intensities>
[[nodiscard]] normalised_image normalise_intensities(Intensities&& intensities,
                                                     const image_geometry& geometry,
                                                     const normalisation_options& options = {}) {
  constexpr const char* function = "normalise_intensities";
  const auto view = as_volume<3>(intensities);
  using T = std::remove_cv_t<typename decltype(view)::element_type>;
  static_assert(scalar_voxel<T>, "normalise_intensities(): intensities must be scalar voxels");
  DISCGEOM_PRECONDITION(view.size() > 0, function, "the image is empty (shape ", view.shape(), ")");
  if (options.method == intensity_normalisation::percentile) {
    DISCGEOM_PRECONDITION(options.lower_percentile >= 0.0 &&
                              options.lower_percentile < options.upper_percentile &&
                              options.upper_percentile <= 100.0,
                          function, "percentiles must satisfy 0 <= lower < upper <= 100, got ",
                          options.lower_percentile, " and ", options.upper_percentile);
  }
  std::vector<double> values;
  values.reserve(view.size());
  std::size_t non_finite = 0;
  std::array<std::size_t, 3> first_bad{};
  for (std::size_t k = 0; k < view.shape(2); ++k)
    for (std::size_t j = 0; j < view.shape(1); ++j)
      for (std::size_t i = 0; i < view.shape(0); ++i) {
        const double x = voxel_traits<T>::to_real(view(i, j, k));
        if (!std::isfinite(x) && non_finite++ == 0)
          first_bad = {i, j, k};
        values.push_back(x);
      }
  DISCGEOM_PRECONDITION(non_finite == 0, function, "the image has ", non_finite,
                        " non-finite voxels (NaN or infinite), the first at ", first_bad);
  normalised_image result{image<float>::filled(view.shape(), geometry, 0.0f),
                          normalisation_status::ok,
                          0.0,
                          1.0,
                          0.0,
                          0.0};
  double low = -INFINITY, high = INFINITY;
  if (options.method == intensity_normalisation::zscore) {
    double sum = 0.0;
    for (double x : values)
      sum += x;
    const double mean = sum / static_cast<double>(values.size());
    double squares = 0.0;
    for (double x : values)
      squares += (x - mean) * (x - mean);
    result.offset = mean;
    result.scale = std::sqrt(squares / static_cast<double>(values.size()));
  } else {
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    low = detail::sorted_percentile(sorted, options.lower_percentile);
    high = detail::sorted_percentile(sorted, options.upper_percentile);
    result.offset = low;
    result.scale = high - low;
    result.clip_low = low;
    result.clip_high = high;
  }
  if (!(result.scale > 0.0)) {
    result.status = normalisation_status::constant;
    return result;  // all zeros
  }
  std::size_t n = 0;
  for (std::size_t k = 0; k < view.shape(2); ++k)
    for (std::size_t j = 0; j < view.shape(1); ++j)
      for (std::size_t i = 0; i < view.shape(0); ++i) {
        const double x = std::clamp(values[n++], low, high);
        result.voxels.voxels(i, j, k) = static_cast<float>((x - result.offset) / result.scale);
      }
  return result;
}

}  // namespace discgeom
