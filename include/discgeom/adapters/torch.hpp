// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// LibTorch tensors as volumes and volumes as tensors, without copying. Part of
/// `discgeom::torch`; the core never includes LibTorch.
///
/// A tensor's dtype and rank are known only at run time, so the voxel type and rank are named:
///
///   at::Tensor batch = model.forward(...);                        // (N, C, D, H, W), float
///   auto probabilities = discgeom::as_volume<float, 3>(batch[0][0]);  // strided, zero-copy
///   at::Tensor borrowed = discgeom::borrow_as_tensor(mask.view());    // shares mask's memory
///   at::Tensor owned = discgeom::copy_to_tensor(read_only_view);      // contiguous copy
///
/// Tensor axis d is view axis d; strides carry over in elements, so a transposed or sliced
/// (non-contiguous) CPU tensor is viewed in place. A tensor on another device is refused: move
/// it with `.cpu()` (an explicit copy) first.

#include <array>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include <ATen/ATen.h>

#include "discgeom/as_volume.hpp"
#include "discgeom/error.hpp"
#include "discgeom/volume_view.hpp"

namespace discgeom {

/// The LibTorch dtype that stores voxels of type T (bool, 8- to 64-bit integers except unsigned
/// 16/32/64, which LibTorch lacks, float, double).
template <class T>
[[nodiscard]] constexpr c10::ScalarType torch_dtype_of() noexcept {
  using U = std::remove_cv_t<T>;
  static_assert(std::is_same_v<U, bool> || std::is_same_v<U, std::uint8_t> ||
                    std::is_same_v<U, std::int8_t> || std::is_same_v<U, std::int16_t> ||
                    std::is_same_v<U, std::int32_t> || std::is_same_v<U, std::int64_t> ||
                    std::is_same_v<U, float> || std::is_same_v<U, double>,
                "torch_dtype_of<T>(): LibTorch has no dtype for this voxel type");
  if constexpr (std::is_same_v<U, bool>)
    return c10::ScalarType::Bool;
  else if constexpr (std::is_same_v<U, std::uint8_t>)
    return c10::ScalarType::Byte;
  else if constexpr (std::is_same_v<U, std::int8_t>)
    return c10::ScalarType::Char;
  else if constexpr (std::is_same_v<U, std::int16_t>)
    return c10::ScalarType::Short;
  else if constexpr (std::is_same_v<U, std::int32_t>)
    return c10::ScalarType::Int;
  else if constexpr (std::is_same_v<U, std::int64_t>)
    return c10::ScalarType::Long;
  else if constexpr (std::is_same_v<U, float>)
    return c10::ScalarType::Float;
  else
    return c10::ScalarType::Double;
}

namespace detail {
template <class Printable>
std::string printed(const Printable& value) {
  std::ostringstream out;
  out << value;
  return out.str();
}
}  // namespace detail

/// A `volume_view<T, Rank>` of a CPU tensor's memory (zero-copy, any strides).
///
/// \throws precondition_error when the tensor is undefined, not strided (sparse, mkldnn), not on
///         the CPU, of another dtype than T, or of another rank than Rank; each message names
///         what the tensor is and what was asked.
template <class T, std::size_t Rank>
[[nodiscard]] volume_view<T, Rank> as_volume(const at::Tensor& tensor) {
  DISCGEOM_PRECONDITION(tensor.defined(), "as_volume", "tensor is undefined");
  DISCGEOM_PRECONDITION(tensor.layout() == c10::kStrided, "as_volume", "tensor has layout ",
                        detail::printed(tensor.layout()), "; only strided tensors can be viewed");
  DISCGEOM_PRECONDITION(tensor.device().is_cpu(), "as_volume", "tensor is on ",
                        tensor.device().str(), "; move it to the CPU with .cpu() (a copy) first");
  DISCGEOM_PRECONDITION(tensor.scalar_type() == torch_dtype_of<T>(), "as_volume",
                        "tensor has dtype ", c10::toString(tensor.scalar_type()),
                        " but the view asks for ", c10::toString(torch_dtype_of<T>()));
  const auto sizes = tensor.sizes();
  DISCGEOM_PRECONDITION(sizes.size() == Rank, "as_volume", "tensor has ", sizes.size(),
                        " dimensions ", std::vector<std::int64_t>(sizes.begin(), sizes.end()),
                        " but the view has rank ", Rank);
  using stored = std::remove_cv_t<T>;
  T* data = const_cast<stored*>(tensor.data_ptr<stored>());
  return as_volume<Rank>(data, sizes, tensor.strides());
}

/// A temporary tensor is viewed only when its memory is also held elsewhere (a slice or an
/// index of a tensor that lives on, `t.cpu()` of a CPU tensor): a temporary that owns its memory
/// (`t.to(at::kFloat)` that converted, `t.cpu()` that copied) would leave the view dangling.
/// \throws precondition_error for such a temporary, and as the overload above.
template <class T, std::size_t Rank>
[[nodiscard]] volume_view<T, Rank> as_volume(at::Tensor&& tensor) {
  if (tensor.defined() && tensor.layout() == c10::kStrided && tensor.has_storage()) {
    DISCGEOM_PRECONDITION(
        tensor.use_count() > 1 || tensor.storage().use_count() > 1, "as_volume",
        "tensor is a temporary that owns its memory, so the view would dangle; keep "
        "the tensor in a variable first");
  }
  return as_volume<T, Rank>(static_cast<const at::Tensor&>(tensor));
}

/// A tensor that borrows the view's memory (zero-copy): writes through either are seen by both.
/// The view's storage must outlive the tensor. Voxels must be writable (a const view can only be
/// copied: see copy_to_tensor).
/// \throws precondition_error when a stride is negative (LibTorch has no negative strides).
template <class T, std::size_t Rank>
requires(!std::is_const_v<T>) [[nodiscard]] at::Tensor
    borrow_as_tensor(const volume_view<T, Rank>& view) {
  std::vector<std::int64_t> sizes(Rank), strides(Rank);
  for (std::size_t axis = 0; axis < Rank; ++axis) {
    DISCGEOM_PRECONDITION(
        view.stride(axis) >= 0, "borrow_as_tensor", "strides ", view.strides(),
        " have a negative entry, which LibTorch cannot represent; use copy_to_tensor");
    sizes[axis] = static_cast<std::int64_t>(view.shape(axis));
    strides[axis] = static_cast<std::int64_t>(view.stride(axis));
  }
  return at::from_blob(view.data(), sizes, strides, at::TensorOptions().dtype(torch_dtype_of<T>()));
}

/// A new contiguous CPU tensor holding a copy of the view's voxels (any strides, const or not).
template <class T, std::size_t Rank>
[[nodiscard]] at::Tensor copy_to_tensor(const volume_view<T, Rank>& view) {
  std::vector<std::int64_t> sizes(Rank);
  for (std::size_t axis = 0; axis < Rank; ++axis) {
    sizes[axis] = static_cast<std::int64_t>(view.shape(axis));
  }
  at::Tensor result = at::empty(sizes, at::TensorOptions().dtype(torch_dtype_of<T>()));
  const volume_view<std::remove_cv_t<T>, Rank> target =
      as_volume<std::remove_cv_t<T>, Rank>(result);
  for_each_voxel(view, [&](const auto& index, const T& voxel) { target[index] = voxel; });
  return result;
}

}  // namespace discgeom
