// SPDX-License-Identifier: MIT
#include "discgeom/io/nifti_affine.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>
#include <catch2/catch.hpp>

namespace {

// A NIfTI-1 header of a 2D sagittal slice whose axis 0 grows posterior, axis 1 inferior and the
// slice normal left (PIL) at 0.5 mm: by its qform (nibabel's quaternion b, c, d = -0.5, 0.5,
// -0.5 with qfac -1), its sform, or neither; in either byte order.
std::vector<std::byte> header(bool qform, bool sform, bool big_endian = false) {
  std::vector<std::byte> h(348);
  const auto put = [&](std::size_t offset, auto value) {
    std::memcpy(h.data() + offset, &value, sizeof value);
    if (big_endian)
      std::reverse(h.begin() + static_cast<std::ptrdiff_t>(offset),
                   h.begin() + static_cast<std::ptrdiff_t>(offset + sizeof value));
  };
  put(0, std::int32_t{348});
  put(40, std::int16_t{2});
  put(76, qform ? -1.0f : 1.0f);
  if (qform) {
    put(252, std::int16_t{1});
    put(256, -0.5f);
    put(260, 0.5f);
    put(264, -0.5f);
  }
  if (sform) {
    put(254, std::int16_t{1});
    const float srow[3][4] = {{0, 0, -1, 0}, {-0.5f, 0, 0, 0}, {0, -0.5f, 0, 0}};
    for (std::size_t r = 0; r < 3; ++r)
      for (std::size_t c = 0; c < 4; ++c)
        put(280 + 16 * r + 4 * c, srow[r][c]);
  }
  return h;
}

void check_pil(const std::optional<discgeom::mat3>& d) {
  REQUIRE(d);
  const auto expected = discgeom::direction_from_orientation("PIL");
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t c = 0; c < 3; ++c)
      CHECK((*d)[r][c] == Approx(expected[r][c]).margin(1e-7));
}

}  // namespace

TEST_CASE("nifti_affine: the full direction of a 2D header from its qform or sform") {
  check_pil(discgeom::detail::nifti_header_direction(header(true, false)));
  check_pil(discgeom::detail::nifti_header_direction(header(false, true)));
  check_pil(discgeom::detail::nifti_header_direction(header(true, true, true)));
  CHECK_FALSE(discgeom::detail::nifti_header_direction(header(false, false)));
  CHECK_FALSE(discgeom::detail::nifti_header_direction(std::vector<std::byte>(100)));
}

TEST_CASE("nifti_affine: read from a file") {
  const auto file = std::filesystem::temp_directory_path() /
                    ("discgeom_nifti_affine_" + std::to_string(::getpid()) + ".hdr");
  {
    const auto h = header(true, false);
    std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(h.data()), 348);
  }
  check_pil(discgeom::read_nifti_direction(file));
  std::filesystem::remove(file);
}
