// SPDX-License-Identifier: MIT
#include "discgeom/geometry/perrone.hpp"

#include <cmath>
#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "discgeom/geometry/detail/scipy_interpolation.hpp"
#include "discgeom/image.hpp"
#include "perrone_golden.hpp"

namespace {

using discgeom::perrone_status;

constexpr double tight = 1e-9;

discgeom::image<std::int16_t> golden_mask(const perrone_golden::golden_case& c) {
  auto img = discgeom::image<std::int16_t>::filled(
      c.shape, discgeom::image_geometry{.spacing = {c.spacing[0], c.spacing[1], c.spacing[2]}}, 0);
  REQUIRE(c.mask.size() == img.voxels.size());
  std::copy(c.mask.begin(), c.mask.end(), img.voxels.data());  // x fastest, as image stores it
  return img;
}

// The released columns of a golden record against our values.
void check_values(const perrone_golden::record& golden, const discgeom::perrone_values& v) {
  CHECK(v.disc_height == Approx(golden.number("disc_height")).margin(tight).epsilon(0));
  CHECK(v.ap_width == golden.number("ap_width"));
  CHECK(v.lat_width == golden.number("lat_width"));
  CHECK(v.sag_angle == Approx(golden.number("sag_angle")).margin(tight).epsilon(0));
  CHECK(v.axial_angle == Approx(golden.number("axial_angle")).margin(tight).epsilon(0));
  CHECK(v.front_angle == Approx(golden.number("front_angle")).margin(tight).epsilon(0));
}

// A released error against our status.
void check_error(const std::string& error, perrone_status status) {
  INFO("released " << error << ", ours " << to_string(status));
  if (error == "IndexError") {
    CHECK(
        (status == perrone_status::empty_cube_slice || status == perrone_status::empty_width_line));
  } else {
    CHECK(error == "ValueError");
    CHECK(
        (status == perrone_status::larger_than_cube || status == perrone_status::empty_width_line));
  }
}

// A box of disc label `label` in an image at the resampled spacing itself, where the zoom is
// the identity: x0..x1 (LR), y0..y1 (AP), z0..z1 (SI), inclusive.
discgeom::image<std::int16_t> box(std::array<std::size_t, 3> shape, std::array<std::size_t, 3> lo,
                                  std::array<std::size_t, 3> hi, std::int16_t label = 201) {
  auto img = discgeom::image<std::int16_t>::filled(
      shape, discgeom::image_geometry{.spacing = {1.4, 1.2, 1.5}}, 0);
  for (std::size_t x = lo[0]; x <= hi[0]; ++x)
    for (std::size_t y = lo[1]; y <= hi[1]; ++y)
      for (std::size_t z = lo[2]; z <= hi[2]; ++z)
        img.voxels(x, y, z) = label;
  return img;
}

}  // namespace

TEST_CASE("perrone_geometry equals the released code on every golden case, blob and disc") {
  const auto cases = perrone_golden::read(DISCGEOM_TEST_DATA_DIR "/perrone_golden.txt");
  REQUIRE(cases.size() == 4);
  std::size_t blobs_checked = 0, traces_checked = 0, discs_checked = 0;
  for (const auto& c : cases) {
    INFO("case " << c.name);
    const auto img = golden_mask(c);
    const auto result = discgeom::perrone_geometry(img, img.geometry);
    CHECK(result.status == perrone_status::ok);
    // resampled is numpy's (z, y, x); ours (x, y, z)
    CHECK(result.resampled_shape[0] == c.resampled[2]);
    CHECK(result.resampled_shape[1] == c.resampled[1]);
    CHECK(result.resampled_shape[2] == c.resampled[0]);
    CHECK(result.field_of_view_check == c.fov_pass);
    REQUIRE(result.blobs.size() == c.components);
    REQUIRE(result.blobs.size() == c.blobs.size());
    for (std::size_t i = 0; i < c.blobs.size(); ++i) {
      INFO("blob " << i + 1);
      const auto& golden = c.blobs[i];
      const auto& blob = result.blobs[i];
      CHECK(blob.label == golden.number("label"));
      CHECK(blob.voxels == golden.number("voxels"));
      CHECK(static_cast<double>(blob.extent[0]) == golden.number("extent_lr"));
      CHECK(static_cast<double>(blob.extent[1]) == golden.number("extent_ap"));
      CHECK(static_cast<double>(blob.extent[2]) == golden.number("extent_si"));
      if (golden.error) {
        CHECK(blob.status != perrone_status::ok);
        CHECK_FALSE(blob.values);
        check_error(*golden.error, blob.status);
      } else {
        CHECK(blob.status == perrone_status::ok);
        REQUIRE(blob.values);
        check_values(golden, *blob.values);
        ++blobs_checked;
        const auto& trace = c.traces.at(i + 1);
        REQUIRE(blob.trace);
        CHECK(blob.trace->step_sag == Approx(trace.number("step_sag")).margin(tight).epsilon(0));
        CHECK(blob.trace->step_axial ==
              Approx(trace.number("step_axial")).margin(tight).epsilon(0));
        CHECK(blob.trace->step_front ==
              Approx(trace.number("step_front")).margin(tight).epsilon(0));
        CHECK(blob.trace->aligned_voxels == trace.number("aligned_voxels"));
        CHECK(blob.trace->middle == trace.number("middle"));
        CHECK(blob.trace->centroid_row ==
              Approx(trace.number("centroid_row")).margin(tight).epsilon(0));
        CHECK(blob.trace->centroid_col ==
              Approx(trace.number("centroid_col")).margin(tight).epsilon(0));
        ++traces_checked;
      }
    }
    REQUIRE(result.discs.size() == c.discs.size());
    for (std::size_t d = 0; d < c.discs.size(); ++d) {
      const auto& golden = c.discs[d];
      const auto& disc = result.discs[d];
      INFO("disc " << golden.fields.at("label"));
      CHECK(disc.label == golden.number("label"));
      CHECK(disc.pieces == golden.number("pieces"));
      if (disc.pieces == 0) {
        CHECK_FALSE(disc.largest);
        continue;
      }
      REQUIRE(disc.largest);
      const auto& blob = result.blobs[*disc.largest];
      CHECK(blob.voxels == golden.number("voxels"));
      if (golden.error) {
        check_error(*golden.error, disc.status);
      } else {
        CHECK(disc.status == perrone_status::ok);
        REQUIRE(blob.values);
        check_values(golden, *blob.values);
      }
      ++discs_checked;
    }
  }
  // Every blob, trace and disc of the file: 3 + 4 + 2 + 1 blobs measured (one more raised).
  CHECK(blobs_checked == 10);
  CHECK(traces_checked == 10);
  CHECK(discs_checked == 9);
}

TEST_CASE("perrone_geometry: the sanity case of the specification, value by value") {
  const auto cases = perrone_golden::read(DISCGEOM_TEST_DATA_DIR "/perrone_golden.txt");
  const auto img = golden_mask(cases.at(0));
  const auto result = discgeom::perrone_geometry(img, img.geometry);
  CHECK(result.resampled_shape == std::array<std::size_t, 3>{38, 78, 83});
  REQUIRE(result.discs.at(0).label == 201);
  const auto& blob = result.blobs.at(*result.discs.at(0).largest);
  CHECK(blob.voxels == 3866);
  REQUIRE(blob.values);
  CHECK(blob.values->disc_height == Approx(23.527272727272727).epsilon(1e-14));
  CHECK(blob.values->ap_width == 27);
  CHECK(blob.values->lat_width == 5);
  CHECK(blob.values->sag_angle == Approx(11.63514061704322).epsilon(1e-12));
  CHECK(blob.values->axial_angle == Approx(-0.23168962374051752).epsilon(1e-10));
  CHECK(blob.values->front_angle == Approx(-0.06643262031439091).epsilon(1e-10));
  CHECK(blob.trace->aligned_voxels == 3882);
  CHECK(blob.trace->middle == 32);
}

TEST_CASE("perrone_geometry: the direction cosines bring any layout to SPIDER's first") {
  // The tilted golden case stored as P, I, L (axis 0 posterior, 1 inferior, 2 left), the
  // layout of data/ivd-real: the same numbers as in SPIDER's layout.
  const auto cases = perrone_golden::read(DISCGEOM_TEST_DATA_DIR "/perrone_golden.txt");
  const auto lps = golden_mask(cases.at(0));
  const auto [nx, ny, nz] = lps.shape();
  discgeom::image_geometry pil_geometry{
      .spacing = {lps.geometry.spacing[1], lps.geometry.spacing[2], lps.geometry.spacing[0]}};
  pil_geometry.direction = discgeom::direction_from_orientation("PIL");
  auto pil = discgeom::image<std::int16_t>::filled({ny, nz, nx}, pil_geometry, 0);
  for (std::size_t x = 0; x < nx; ++x)
    for (std::size_t y = 0; y < ny; ++y)
      for (std::size_t z = 0; z < nz; ++z)
        pil.voxels(y, nz - 1 - z, x) = lps.voxels(x, y, z);
  const auto expected = discgeom::perrone_geometry(lps, lps.geometry);
  const auto result = discgeom::perrone_geometry(pil, pil.geometry);
  CHECK(result.resampled_shape == expected.resampled_shape);
  REQUIRE(result.blobs.size() == expected.blobs.size());
  for (std::size_t i = 0; i < result.blobs.size(); ++i) {
    CHECK(result.blobs[i].label == expected.blobs[i].label);
    CHECK(result.blobs[i].voxels == expected.blobs[i].voxels);
    REQUIRE(result.blobs[i].values);
    CHECK(result.blobs[i].values->sag_angle == expected.blobs[i].values->sag_angle);
    CHECK(result.blobs[i].values->disc_height == expected.blobs[i].values->disc_height);
  }
}

TEST_CASE("perrone_geometry: an axis-aligned box, by hand") {
  // At the resampled spacing the zoom is the identity. A box 30 (LR) x 20 (AP) x 6 (SI) voxels:
  // every angle 0, every rotation the identity; "disc height" is the LR extent 30; the middle
  // LR slice is int(31.5) = 31, its centroid (31.5, 31.5), so "ap width" = 41 - 22 = 19 and
  // "lat width" = 34 - 29 = 5 (centre distances, one less than the voxel counts).
  const auto img = box({40, 30, 12}, {5, 4, 3}, {34, 23, 8});
  const auto result = discgeom::perrone_geometry(img, img.geometry);
  CHECK(result.resampled_shape == std::array<std::size_t, 3>{40, 30, 12});
  CHECK_FALSE(result.field_of_view_check);  // 2 x 40 > 30
  REQUIRE(result.blobs.size() == 1);
  const auto& blob = result.blobs[0];
  CHECK(blob.voxels == 30 * 20 * 6);
  CHECK(blob.extent == std::array<std::size_t, 3>{30, 20, 6});
  REQUIRE(blob.values);
  CHECK(blob.values->disc_height == 30.0);
  CHECK(blob.values->ap_width == 19.0);
  CHECK(blob.values->lat_width == 5.0);
  CHECK(blob.values->sag_angle == 0.0);
  CHECK(blob.values->axial_angle == 0.0);
  CHECK(blob.values->front_angle == 0.0);
  CHECK(blob.trace->aligned_voxels == 30 * 20 * 6);
  CHECK(blob.trace->middle == 31);
  REQUIRE(result.discs.size() == 1);
  CHECK(result.discs[0].pieces == 1);
  CHECK(result.discs[0].status == perrone_status::ok);
}

TEST_CASE("perrone_geometry: what the released code cannot measure comes back with a status") {
  SECTION("a disc one voxel thick misses the cube's middle slices") {
    // SI extent 1: centred with 31 voxels before it, slice 32 along SI is empty (released:
    // IndexError in compute_rotation_angle).
    const auto img = box({40, 30, 12}, {5, 4, 5}, {34, 23, 5});
    const auto result = discgeom::perrone_geometry(img, img.geometry);
    REQUIRE(result.blobs.size() == 1);
    CHECK(result.blobs[0].status == perrone_status::empty_cube_slice);
    CHECK_FALSE(result.blobs[0].values);
    CHECK(result.discs[0].status == perrone_status::empty_cube_slice);
    CHECK(to_string(result.discs[0].status) == "middle slice of the cube empty");
  }
  SECTION("a blob wider than the 64-voxel cube") {
    const auto img = box({80, 30, 12}, {5, 4, 3}, {74, 23, 8});  // 70 voxels LR
    const auto result = discgeom::perrone_geometry(img, img.geometry);
    REQUIRE(result.blobs.size() == 1);
    CHECK(result.blobs[0].extent[0] == 70);
    CHECK(result.blobs[0].status == perrone_status::larger_than_cube);
    CHECK_FALSE(result.blobs[0].values);
    CHECK(to_string(result.discs[0].status) == "blob larger than the 64-voxel cube");
  }
  SECTION("two touching discs are one blob: the smaller has none of its own") {
    auto img = box({40, 30, 16}, {5, 4, 3}, {34, 23, 6});
    for (std::size_t x = 5; x <= 34; ++x)
      for (std::size_t y = 4; y <= 23; ++y)
        for (std::size_t z = 7; z <= 8; ++z)
          img.voxels(x, y, z) = 202;
    const auto result = discgeom::perrone_geometry(img, img.geometry);
    REQUIRE(result.blobs.size() == 1);
    CHECK(result.blobs[0].label == 201);
    REQUIRE(result.discs.size() == 2);
    CHECK(result.discs[0].pieces == 1);
    CHECK(result.discs[1].pieces == 0);
    CHECK(result.discs[1].status == perrone_status::no_piece);
  }
  SECTION("no disc label") {
    const auto img = box({40, 30, 12}, {5, 4, 3}, {34, 23, 8}, 5);  // a vertebra
    const auto result = discgeom::perrone_geometry(img, img.geometry);
    CHECK(result.status == perrone_status::no_disc_voxels);
    CHECK(result.blobs.empty());
    CHECK(result.discs.empty());
  }
}

TEST_CASE("perrone_geometry: the zoom of label values dilates the discs") {
  // 50 LR voxels of 0.9 mm resample to round(32.14) = 32; output o reads input o * 49/31. The
  // disc (LR 10..39) covers outputs 6..25 because every output whose two taps touch the disc
  // reads at least 201 x its weight >= 0.5; a 0/1 mask zoomed the same way keeps 7..24 (scipy).
  discgeom::image_geometry g{.spacing = {0.9, 1.2, 1.5}};
  auto img = discgeom::image<std::int16_t>::filled({50, 30, 12}, g, 0);
  for (std::size_t x = 10; x <= 39; ++x)
    for (std::size_t y = 4; y <= 23; ++y)
      for (std::size_t z = 3; z <= 8; ++z)
        img.voxels(x, y, z) = 201;
  const auto result = discgeom::perrone_geometry(img, img.geometry);
  CHECK(result.resampled_shape == std::array<std::size_t, 3>{32, 30, 12});
  REQUIRE(result.blobs.size() == 1);
  CHECK(result.blobs[0].extent == std::array<std::size_t, 3>{20, 20, 6});
}

TEST_CASE("scipy-compatible pieces: Cephes' degree sine and cosine are exact at right angles") {
  using discgeom::detail::sine_cosine_degrees;
  CHECK(sine_cosine_degrees(90.0).sine == 1.0);
  CHECK(sine_cosine_degrees(90.0).cosine == 0.0);
  CHECK(sine_cosine_degrees(-90.0).sine == -1.0);
  CHECK(sine_cosine_degrees(180.0).cosine == -1.0);
  CHECK(sine_cosine_degrees(0.0).cosine == 1.0);
  CHECK(sine_cosine_degrees(30.0).sine == Approx(0.5).epsilon(1e-16));
  for (double a = -360.0; a <= 360.0; a += 7.25) {
    const auto [s, c] = sine_cosine_degrees(a);
    CHECK(s == Approx(std::sin(a * M_PI / 180.0)).margin(1e-15));
    CHECK(c == Approx(std::cos(a * M_PI / 180.0)).margin(1e-15));
  }
  // zoom: 8 slices to 26 puts the last output at 25 * (7 / 25) > 7 in double arithmetic, which
  // scipy's mode 'constant' reads as outside (the border golden case depends on it).
  const auto taps = discgeom::detail::zoom_taps(8, 26);
  CHECK(25.0 * (7.0 / 25.0) > 7.0);
  CHECK_FALSE(taps.back().inside);
  CHECK(taps.front().inside);
}
