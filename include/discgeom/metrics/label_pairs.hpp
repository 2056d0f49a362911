// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The joint label histogram of a reference and a prediction label map, in one pass: for every
/// pair of label values (r, p), the number of voxels where the reference holds r and the
/// prediction holds p. Every overlap count of every label (TP, FP, FN, TN) and the overlaps that
/// instance matching needs come from it, so a multi-label evaluation never builds one-hot masks.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/concepts.hpp"
#include "discgeom/error.hpp"

namespace discgeom {

/// A label value as the metrics see it: 0 is background, anything up to 2^32 - 1 a structure.
using label_value = std::uint32_t;

/// Voxel counts of one label, reference against prediction.
///
/// tp = #{x : R(x) = l and P(x) = l}, fp = #{x : R(x) != l and P(x) = l},
/// fn = #{x : R(x) = l and P(x) != l}, tn = #{x : R(x) != l and P(x) != l}.
struct confusion_counts {
  std::uint64_t tp = 0;
  std::uint64_t fp = 0;
  std::uint64_t fn = 0;
  std::uint64_t tn = 0;

  /// |R_l| = tp + fn, the reference's voxels of the label.
  [[nodiscard]] constexpr std::uint64_t reference_voxels() const noexcept { return tp + fn; }
  /// |P_l| = tp + fp, the prediction's voxels of the label.
  [[nodiscard]] constexpr std::uint64_t prediction_voxels() const noexcept { return tp + fp; }
  [[nodiscard]] constexpr std::uint64_t total_voxels() const noexcept { return tp + fp + fn + tn; }

  constexpr confusion_counts& operator+=(const confusion_counts& other) noexcept {
    tp += other.tp;
    fp += other.fp;
    fn += other.fn;
    tn += other.tn;
    return *this;
  }
  friend constexpr bool operator==(const confusion_counts&, const confusion_counts&) = default;
};

/// Voxels where the reference holds `reference` and the prediction holds `prediction`.
struct label_pair {
  label_value reference = 0;
  label_value prediction = 0;
  std::uint64_t voxels = 0;
  friend constexpr bool operator==(const label_pair&, const label_pair&) = default;
};

/// The joint label histogram of two label maps of one shape (see `count_label_pairs`).
class label_pair_counts {
 public:
  label_pair_counts() = default;

  /// From (reference, prediction, voxels) triples; repeated pairs are summed.
  explicit label_pair_counts(std::vector<label_pair> pairs) : pairs_(std::move(pairs)) {
    std::sort(pairs_.begin(), pairs_.end(), [](const label_pair& a, const label_pair& b) {
      return a.reference != b.reference ? a.reference < b.reference : a.prediction < b.prediction;
    });
    std::vector<label_pair> merged;
    for (const label_pair& pair : pairs_) {
      if (!merged.empty() && merged.back().reference == pair.reference &&
          merged.back().prediction == pair.prediction) {
        merged.back().voxels += pair.voxels;
      } else if (pair.voxels > 0) {
        merged.push_back(pair);
      }
    }
    pairs_ = std::move(merged);
    for (const label_pair& pair : pairs_) {
      total_ += pair.voxels;
      add_total(pair.reference).reference += pair.voxels;
      add_total(pair.prediction).prediction += pair.voxels;
      if (pair.reference == pair.prediction) {
        add_total(pair.reference).both += pair.voxels;
      }
    }
    std::sort(totals_.begin(), totals_.end(),
              [](const totals& a, const totals& b) { return a.label < b.label; });
  }

  /// Every (reference, prediction) pair with at least one voxel, sorted by reference then
  /// prediction label; background (0) included.
  [[nodiscard]] const std::vector<label_pair>& pairs() const noexcept { return pairs_; }
  /// Number of voxels counted (the volume's size).
  [[nodiscard]] std::uint64_t total_voxels() const noexcept { return total_; }

  /// The non-zero labels present in the reference or the prediction, increasing.
  [[nodiscard]] std::vector<label_value> labels() const {
    std::vector<label_value> result;
    for (const totals& t : totals_) {
      if (t.label != 0) {
        result.push_back(t.label);
      }
    }
    return result;
  }
  /// The non-zero labels present in the reference, increasing.
  [[nodiscard]] std::vector<label_value> reference_labels() const {
    std::vector<label_value> result;
    for (const totals& t : totals_) {
      if (t.label != 0 && t.reference > 0) {
        result.push_back(t.label);
      }
    }
    return result;
  }

  [[nodiscard]] std::uint64_t reference_voxels(label_value label) const noexcept {
    return find(label).reference;
  }
  [[nodiscard]] std::uint64_t prediction_voxels(label_value label) const noexcept {
    return find(label).prediction;
  }
  /// Voxels labelled `reference` in the reference and `prediction` in the prediction.
  [[nodiscard]] std::uint64_t voxels(label_value reference, label_value prediction) const noexcept {
    const auto it =
        std::lower_bound(pairs_.begin(), pairs_.end(), label_pair{reference, prediction, 0},
                         [](const label_pair& a, const label_pair& b) {
                           return a.reference != b.reference ? a.reference < b.reference
                                                             : a.prediction < b.prediction;
                         });
    return it != pairs_.end() && it->reference == reference && it->prediction == prediction
               ? it->voxels
               : 0;
  }

  /// TP, FP, FN, TN of `label` (all zero but TN for a label that neither map holds).
  [[nodiscard]] confusion_counts confusion(label_value label) const noexcept {
    const totals& t = find(label);
    confusion_counts counts;
    counts.tp = t.both;
    counts.fp = t.prediction - t.both;
    counts.fn = t.reference - t.both;
    counts.tn = total_ - counts.tp - counts.fp - counts.fn;
    return counts;
  }

 private:
  struct totals {
    label_value label = 0;
    std::uint64_t reference = 0;
    std::uint64_t prediction = 0;
    std::uint64_t both = 0;
  };
  totals& add_total(label_value label) {
    for (totals& t : totals_) {
      if (t.label == label) {
        return t;
      }
    }
    totals_.push_back({label, 0, 0, 0});
    return totals_.back();
  }
  [[nodiscard]] const totals& find(label_value label) const noexcept {
    static constexpr totals none{};
    const auto it =
        std::lower_bound(totals_.begin(), totals_.end(), label,
                         [](const totals& t, label_value value) { return t.label < value; });
    return it != totals_.end() && it->label == label ? *it : none;
  }

  std::vector<label_pair> pairs_;
  std::vector<totals> totals_;
  std::uint64_t total_ = 0;
};

namespace detail {

/// True for voxel types whose values the metrics read as labels: label voxels (integers, user
/// types with `voxel_traits<V>::label`) and floating-point volumes holding whole numbers.
template <class V>
inline constexpr bool is_metric_label_voxel = label_voxel<V> || std::is_floating_point_v<V>;

/// The value compared for equality: the label of a label voxel, the number of a float voxel.
template <class V>
[[nodiscard]] constexpr auto raw_label(const V& value) noexcept {
  if constexpr (std::is_floating_point_v<V>) {
    return value;
  } else {
    return traits_of<V>::label(value);
  }
}

template <class V>
using raw_label_t = decltype(raw_label(std::declval<const V&>()));

/// Whether a raw label is a whole number in [0, 2^32 - 1].
template <class Raw>
[[nodiscard]] constexpr bool fits_label_value(Raw raw) noexcept {
  if constexpr (std::is_floating_point_v<Raw>) {
    // NaN fails every comparison; the range check comes before the floor.
    return raw >= Raw{0} && raw <= Raw{4294967295.0} && std::floor(raw) == raw;
  } else if constexpr (std::is_same_v<Raw, bool>) {
    return true;
  } else if constexpr (std::is_signed_v<Raw>) {
    return raw >= 0 && static_cast<std::make_unsigned_t<Raw>>(raw) <= UINT32_MAX;
  } else {
    return raw <= UINT32_MAX;
  }
}

template <class Raw>
inline constexpr bool always_fits_label_value = std::is_same_v<Raw, bool> ||
                                                (std::is_unsigned_v<Raw> && sizeof(Raw) <= 4);

/// Throws the precondition_error that names the first voxel of `view` whose value is not a label.
template <class T, std::size_t Rank>
[[noreturn]] void throw_bad_label(const char* function, const char* argument,
                                  const volume_view<T, Rank>& view) {
  std::array<std::size_t, Rank> bad_index{};
  double bad_value = 0.0;
  bool found = false;
  for_each_voxel(view, [&](const auto& index, const auto& value) {
    const auto raw = raw_label(value);
    if (!found && !fits_label_value(raw)) {
      found = true;
      bad_index = index;
      bad_value = static_cast<double>(raw);
    }
  });
  DISCGEOM_ASSERT(found);
  throw precondition_error(detail::concat(
      function, "(): ", argument, " holds the value ", bad_value, " at index ", bad_index,
      ", which is not a label: labels must be whole numbers in [0, 4294967295] (32 bits)"));
}

/// Sums voxel counts per (reference, prediction) key; label maps are long runs of one pair, so
/// consecutive additions to the same key are merged before touching the hash map.
class label_pair_accumulator {
 public:
  void add(std::uint64_t key, std::uint64_t voxels) {
    if (key == last_key_) {
      pending_ += voxels;
      return;
    }
    flush();
    last_key_ = key;
    pending_ = voxels;
  }
  [[nodiscard]] label_pair_counts finish() {
    flush();
    std::vector<label_pair> pairs;
    pairs.reserve(counts_.size());
    for (const auto& [key, voxels] : counts_) {
      pairs.push_back({static_cast<label_value>(key >> 32),
                       static_cast<label_value>(key & 0xffffffffu), voxels});
    }
    return label_pair_counts(std::move(pairs));
  }

 private:
  void flush() {
    if (pending_ > 0) {
      counts_[last_key_] += pending_;
      pending_ = 0;
    }
  }
  std::unordered_map<std::uint64_t, std::uint64_t> counts_;
  std::uint64_t last_key_ = 0;
  std::uint64_t pending_ = 0;
};

template <class R, class P>
[[nodiscard]] constexpr std::uint64_t pair_key(R reference, P prediction) noexcept {
  return (static_cast<std::uint64_t>(reference) << 32) | static_cast<std::uint64_t>(prediction);
}

/// Contiguous buffers of n voxels in the same order. Blocks of 64 voxels holding one pair (most
/// of a label map) are compared with a loop that vectorises and counted with one addition.
/// Returns false at the first value that is not a label.
template <class R, class P>
[[nodiscard]] bool count_pairs_contiguous(const R* reference, const P* prediction, std::size_t n,
                                          label_pair_accumulator& counts) {
  constexpr std::size_t block = 64;
  const auto add_one_by_one = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const auto r = raw_label(reference[i]);
      const auto p = raw_label(prediction[i]);
      if constexpr (!always_fits_label_value<raw_label_t<R>> ||
                    !always_fits_label_value<raw_label_t<P>>) {
        if (!fits_label_value(r) || !fits_label_value(p)) {
          return false;
        }
      }
      counts.add(pair_key(r, p), 1);
    }
    return true;
  };
  std::size_t i = 0;
  for (; i + block <= n; i += block) {
    const auto r0 = raw_label(reference[i]);
    const auto p0 = raw_label(prediction[i]);
    unsigned differs = 0;
    for (std::size_t j = 0; j < block; ++j) {
      differs |= static_cast<unsigned>(raw_label(reference[i + j]) != r0) |
                 static_cast<unsigned>(raw_label(prediction[i + j]) != p0);
    }
    if (differs == 0 && fits_label_value(r0) && fits_label_value(p0)) {
      counts.add(pair_key(r0, p0), block);
    } else if (!add_one_by_one(i, i + block)) {
      return false;
    }
  }
  return add_one_by_one(i, n);
}

template <class R, class P, std::size_t Rank>
[[nodiscard]] label_pair_counts count_label_pairs_kernel(const char* function,
                                                         const volume_view<R, Rank>& reference,
                                                         const volume_view<P, Rank>& prediction) {
  label_pair_accumulator counts;
  const bool same_layout = reference.strides() == prediction.strides();
  const bool contiguous = reference.is_column_major() || reference.is_row_major();
  bool valid = true;
  if (same_layout && contiguous) {
    valid = count_pairs_contiguous(reference.data(), prediction.data(), reference.size(), counts);
  } else {
    for_each_voxel(reference, [&](const auto& index, const R& r_voxel) {
      const auto r = raw_label(r_voxel);
      const auto p = raw_label(prediction[index]);
      valid = valid && fits_label_value(r) && fits_label_value(p);
      if (valid) {
        counts.add(pair_key(r, p), 1);
      }
    });
  }
  if (!valid) {
    // Name the first offending voxel, reference first.
    bool reference_valid = true;
    for_each_voxel(reference, [&](const auto&, const R& value) {
      reference_valid = reference_valid && fits_label_value(raw_label(value));
    });
    if (!reference_valid) {
      throw_bad_label(function, "reference", reference);
    }
    throw_bad_label(function, "prediction", prediction);
  }
  return counts.finish();
}

/// The shared preconditions of the two-volume metrics: equal shapes, at least one voxel.
template <std::size_t Rank>
void check_same_shape(const char* function, const std::array<std::size_t, Rank>& reference,
                      const std::array<std::size_t, Rank>& prediction) {
  DISCGEOM_PRECONDITION(reference == prediction, function,
                        "reference and prediction differ in shape: reference ", reference,
                        " vs prediction ", prediction);
  std::size_t voxels = 1;
  for (std::size_t extent : reference) {
    voxels *= extent;
  }
  DISCGEOM_PRECONDITION(voxels > 0, function, "the volumes hold no voxels: shape ", reference);
}

}  // namespace detail

/// The joint label histogram of a reference and a prediction label map, in one pass.
///
/// For every pair of label values (r, p): n(r, p) = #{x : R(x) = r and P(x) = p}. The counts of
/// label l then follow without another pass: TP = n(l, l), FP = sum_{r != l} n(r, l),
/// FN = sum_{p != l} n(l, p), TN = N - TP - FP - FN (N voxels). Label 0 is background.
///
/// \tparam Reference, Prediction  volume_like containers of the same rank whose voxels are label
///         voxels (any integer type, a user type with `voxel_traits<V>::label`) or floating-point
///         numbers holding whole label values (as segmentation files often store them)
/// \returns label_pair_counts (pairs sorted, totals per label)
/// \throws precondition_error when the shapes differ or hold no voxel ("count_label_pairs():
///         reference and prediction differ in shape: reference [..] vs prediction [..]"), or a
///         value is not a label: negative, beyond 32 bits, not a whole number, NaN (the message
///         names the volume, the value and its index)
/// Complexity: one pass over both volumes; O(number of distinct pairs) memory. Blocks of 64
/// voxels holding a single pair cost one vectorised comparison when both volumes share a
/// contiguous layout.
///
///   const auto pairs = discgeom::count_label_pairs(reference, prediction);
///   const discgeom::confusion_counts l5 = pairs.confusion(201);
template <volume_like Reference, volume_like Prediction>
[[nodiscard]] label_pair_counts count_label_pairs(Reference&& reference, Prediction&& prediction) {
  const auto r = as_volume(reference);
  const auto p = as_volume(prediction);
  using r_voxel = typename decltype(r)::value_type;
  using p_voxel = typename decltype(p)::value_type;
  static_assert(detail::is_metric_label_voxel<r_voxel> && detail::is_metric_label_voxel<p_voxel>,
                "count_label_pairs(): a voxel type is not a label; specialise "
                "discgeom::voxel_traits with label() for it (docs/customisation.md)");
  static_assert(decltype(r)::rank() == decltype(p)::rank(),
                "count_label_pairs(): reference and prediction differ in rank");
  detail::check_same_shape("count_label_pairs", r.shape(), p.shape());
  return detail::count_label_pairs_kernel("count_label_pairs", r, p);
}

}  // namespace discgeom
