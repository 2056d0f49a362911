// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Which labels a label map holds, and how many voxels each.

#include <algorithm>
#include <cstddef>
#include <unordered_map>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/concepts.hpp"

namespace discgeom {

/// One label of a label map and its voxel count.
template <class Label>
struct label_count {
  Label label{};           ///< the label value, `voxel_traits<V>::label(v)`
  std::size_t voxels = 0;  ///< number of voxels carrying it
};

namespace detail {

template <class T, std::size_t Rank>
[[nodiscard]] auto label_voxel_counts_kernel(const volume_view<T, Rank>& labels) {
  using traits = traits_of<T>;
  using label_type = typename traits::label_type;
  std::unordered_map<label_type, std::size_t> counts;
  // Label maps are long runs of one label: remember the last counter to skip most lookups.
  label_type last_label{};
  std::size_t* last_counter = nullptr;
  for_each_voxel(labels, [&](const auto&, const T& value) {
    if (!traits::is_foreground(value)) {
      return;
    }
    const label_type label = traits::label(value);
    if (last_counter == nullptr || label != last_label) {
      last_label = label;
      last_counter = &counts[label];
    }
    ++*last_counter;
  });
  std::vector<label_count<label_type>> result;
  result.reserve(counts.size());
  for (const auto& [label, voxels] : counts) {
    result.push_back({label, voxels});
  }
  std::sort(result.begin(), result.end(),
            [](const auto& a, const auto& b) { return a.label < b.label; });
  return result;
}

}  // namespace detail

/// The foreground labels of a label map, in increasing order, each with its voxel count.
///
/// Counts, for every label value l with at least one foreground voxel,
/// N(l) = #{ x : is_foreground(v(x)) and label(v(x)) = l }. Background voxels (for which
/// `voxel_traits<V>::is_foreground` is false, label 0 for the built-in types) are not listed.
/// The physical volume of label l is N(l) * geometry.voxel_volume() mm^3.
///
/// \tparam Labels  a volume_like container of `label_voxel`s (any integer type, or a user
///                 enumeration with `voxel_traits`)
/// \returns `std::vector<label_count<label_type>>`, sorted by label
/// Complexity: one pass over the voxels, O(number of labels) memory.
///
///   for (auto [label, voxels] : discgeom::label_voxel_counts(mask))
///     std::cout << label << ": " << voxels * geometry.voxel_volume() << " mm^3\n";
template <volume_like Labels>
[[nodiscard]] auto label_voxel_counts(Labels&& labels) {
  const auto view = as_volume(labels);
  using voxel_type = typename decltype(view)::value_type;
  static_assert(label_voxel<voxel_type>,
                "label_voxel_counts(): the voxel type is not a label_voxel; specialise "
                "discgeom::voxel_traits for it with is_foreground() and label() "
                "(docs/customisation.md)");
  if constexpr (label_voxel<voxel_type>) {
    return detail::label_voxel_counts_kernel(view);
  }
}

}  // namespace discgeom
