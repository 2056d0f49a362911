// SPDX-License-Identifier: MIT
#include "discgeom/adapters/torch.hpp"

#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

TEST_CASE("as_volume<T, Rank>(tensor): a zero-copy view of a contiguous CPU tensor") {
  at::Tensor tensor = at::arange(24, at::kFloat).reshape({2, 3, 4});
  const auto view = discgeom::as_volume<float, 3>(tensor);
  CHECK(view.shape() == std::array<std::size_t, 3>{2, 3, 4});
  CHECK(view.is_row_major());
  CHECK(view.data() == tensor.data_ptr<float>());
  CHECK(view(1, 2, 3) == 23.0f);
  view(0, 0, 1) = -5.0f;
  CHECK(tensor[0][0][1].item<float>() == -5.0f);
}

TEST_CASE("as_volume<T, Rank>(tensor): non-contiguous tensors are viewed through their strides") {
  at::Tensor base = at::arange(60, at::kShort).reshape({3, 4, 5});
  at::Tensor permuted = base.permute({2, 0, 1});
  at::Tensor sliced = base.slice(2, 1, 5, 2);
  REQUIRE_FALSE(permuted.is_contiguous());
  const auto p = discgeom::as_volume<const std::int16_t, 3>(permuted);
  const auto s = discgeom::as_volume<std::int16_t, 3>(sliced);
  for (std::int64_t a = 0; a < 5; ++a)
    for (std::int64_t b = 0; b < 3; ++b)
      for (std::int64_t c = 0; c < 4; ++c)
        CHECK(p(a, b, c) == permuted[a][b][c].item<std::int16_t>());
  CHECK(s(2, 3, 1) == base[2][3][3].item<std::int16_t>());
  // A 2D slice of a batched network output.
  at::Tensor batch = at::zeros({2, 1, 4, 4}, at::kFloat);
  batch[1][0][2][3] = 0.75f;
  CHECK(discgeom::as_volume<float, 2>(batch[1][0])(2, 3) == 0.75f);
}

TEST_CASE("as_volume<T, Rank>(tensor): bad tensors throw precondition_error saying what is wrong") {
  const at::Tensor floats = at::zeros({2, 2, 2}, at::kFloat);
  CHECK_THROWS_AS((discgeom::as_volume<std::uint8_t, 3>(floats)), discgeom::precondition_error);
  CHECK_THROWS_WITH((discgeom::as_volume<std::uint8_t, 3>(floats)),
                    "as_volume(): tensor has dtype Float but the view asks for Byte");
  const at::Tensor five = at::zeros({1, 1, 2, 2, 2});
  CHECK_THROWS_WITH((discgeom::as_volume<float, 3>(five)),
                    "as_volume(): tensor has 5 dimensions [1,1,2,2,2] but the view has rank 3");
  CHECK_THROWS_WITH((discgeom::as_volume<float, 3>(at::Tensor())),
                    "as_volume(): tensor is undefined");
  const at::Tensor elsewhere =
      at::empty({2, 2, 2}, at::TensorOptions().dtype(at::kFloat).device(at::kMeta));
  CHECK_THROWS_WITH((discgeom::as_volume<float, 3>(elsewhere)),
                    Catch::Contains("tensor is on meta; move it to the CPU"));
  // A temporary that owns its memory would dangle; a temporary sharing memory is fine.
  const at::Tensor integers = at::zeros({2, 2, 2}, at::kInt);
  CHECK_THROWS_WITH((discgeom::as_volume<float, 3>(integers.to(at::kFloat))),
                    Catch::Contains("tensor is a temporary that owns its memory"));
  CHECK_NOTHROW(discgeom::as_volume<float, 3>(floats.cpu()));
  CHECK_NOTHROW(discgeom::as_volume<float, 2>(floats[1]));
  const at::Tensor sparse = at::zeros({2, 2, 2}, at::kFloat).to_sparse();
  CHECK_THROWS_WITH((discgeom::as_volume<float, 3>(sparse)),
                    Catch::Contains("only strided tensors can be viewed"));
}

TEST_CASE("borrow_as_tensor shares memory, copy_to_tensor copies any strides") {
  std::vector<std::uint8_t> buffer(2 * 3 * 4, 0);
  const std::array<std::size_t, 3> shape{2, 3, 4};
  const discgeom::volume_view<std::uint8_t, 3> column(buffer.data(), shape,
                                                      discgeom::column_major_strides(shape));
  at::Tensor borrowed = discgeom::borrow_as_tensor(column);
  CHECK(borrowed.data_ptr<std::uint8_t>() == buffer.data());
  borrowed[1][2][3] = 9;
  CHECK(column(1, 2, 3) == 9);

  const discgeom::volume_view<std::uint8_t, 3> flipped(buffer.data() + 18, shape, {1, 2, -6});
  CHECK_THROWS_WITH(discgeom::borrow_as_tensor(flipped), Catch::Contains("negative entry"));
  const discgeom::volume_view<const std::uint8_t, 3> read_only = flipped;
  const at::Tensor copy = discgeom::copy_to_tensor(read_only);
  CHECK(copy.is_contiguous());
  CHECK(copy.data_ptr<std::uint8_t>() != buffer.data());
  CHECK(copy[1][2][0].item<std::uint8_t>() == 9);  // flipped axis 2: index 0 is column's 3
}
