// SPDX-License-Identifier: MIT
#include "discgeom/metrics/surface_distance.hpp"

#include <cmath>
#include <cstdint>
#include <random>

#include <catch2/catch.hpp>

#include "brute_force.hpp"
#include "discgeom/image.hpp"
#include "discgeom/metrics/surface_scores.hpp"
#include "user_voxels.hpp"

namespace {

using engine = discgeom::distance_engine;

template <class T = std::uint8_t>
discgeom::image<T> boxes(const std::array<std::size_t, 3>& shape,
                         const discgeom::image_geometry& geometry,
                         std::initializer_list<std::pair<std::array<std::size_t, 6>, T>> list) {
  auto img = discgeom::image<T>::filled(shape, geometry, T{});
  for (const auto& [b, label] : list)
    for (std::size_t k = b[2]; k < b[5]; ++k)
      for (std::size_t j = b[1]; j < b[4]; ++j)
        for (std::size_t i = b[0]; i < b[3]; ++i)
          img.voxels(i, j, k) = label;
  return img;
}

discgeom::surface_distances only(const std::vector<discgeom::surface_distances>& all) {
  REQUIRE(all.size() == 1);
  return all[0];
}

void check_same(std::vector<double> a, std::vector<double> b) {
  REQUIRE(a.size() == b.size());
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  for (std::size_t i = 0; i < a.size(); ++i)
    CHECK(a[i] == Approx(b[i]).epsilon(1e-12).margin(1e-12));
}

}  // namespace

TEST_CASE("surface distances: a cube shifted by whole voxels", "[metrics][distance]") {
  // 5 x 5 x 5 cube, shifted by 2 voxels along axis 0 (0.5 mm): every reference surface point
  // moved by 1 mm is a prediction surface point, and the face centres have nothing nearer.
  const discgeom::image_geometry g{.spacing = {0.5, 0.7, 2.0}};
  const auto reference = boxes({12, 9, 9}, g, {{{2, 2, 2, 7, 7, 7}, 1}});
  const auto prediction = boxes({12, 9, 9}, g, {{{4, 2, 2, 9, 7, 7}, 1}});
  for (const auto e : {engine::kd_tree, engine::distance_transform, engine::automatic}) {
    const auto d = only(discgeom::directed_surface_distances(reference.view(), prediction.view(), g,
                                                             {.engine = e}));
    CHECK(d.status == discgeom::overlap_status::ok);
    CHECK(d.reference_points == 98);
    CHECK(discgeom::hausdorff_distance(d) == Approx(1.0).epsilon(1e-14));
    check_same(d.reference_to_prediction,
               brute_force::directed(brute_force::surface_voxels<std::uint8_t>(reference, 1),
                                     brute_force::surface_voxels<std::uint8_t>(prediction, 1)));
  }
  SECTION("shifted by one slice of 4.4 mm along the coarse axis") {
    const discgeom::image_geometry coarse{.spacing = {0.43, 0.43, 4.4}};
    const auto r = boxes({12, 12, 9}, coarse, {{{2, 2, 2, 9, 9, 5}, 1}});
    const auto p = boxes({12, 12, 9}, coarse, {{{2, 2, 3, 9, 9, 6}, 1}});
    const auto d = only(discgeom::directed_surface_distances(r.view(), p.view(), coarse));
    CHECK(discgeom::hausdorff_distance(d) == Approx(4.4).epsilon(1e-14));
  }
}

TEST_CASE("surface distances: both engines equal the definition", "[metrics][distance]") {
  std::mt19937_64 generator(11);
  const discgeom::image_geometry g{.spacing = {0.43, 0.6, 4.4},
                                   .origin = {-3, 7, 1},
                                   .direction = discgeom::direction_from_orientation("ASL")};
  for (int trial = 0; trial < 4; ++trial) {
    auto reference = discgeom::image<std::int16_t>::filled({12, 10, 6}, g, 0);
    auto prediction = reference;
    for (std::size_t k = 0; k < 6; ++k)
      for (std::size_t j = 0; j < 10; ++j)
        for (std::size_t i = 0; i < 12; ++i) {
          if (i > 2 && i < 10 && j > 1 && j < 8 && generator() % 5 != 0)
            reference.voxels(i, j, k) = 3;
          if (i > 1 && i < 9 && j > 2 && j < 9 && generator() % 5 != 0)
            prediction.voxels(i, j, k) = 3;
        }
    for (const auto kind :
         {discgeom::surface_kind::face_connected, discgeom::surface_kind::fully_connected,
          discgeom::surface_kind::corner_surfels}) {
      const bool corners = kind == discgeom::surface_kind::corner_surfels;
      const auto rs = corners ? brute_force::surface_corners<std::int16_t>(reference, 3)
                              : brute_force::surface_voxels<std::int16_t>(
                                    reference, 3, kind == discgeom::surface_kind::fully_connected);
      const auto ps = corners ? brute_force::surface_corners<std::int16_t>(prediction, 3)
                              : brute_force::surface_voxels<std::int16_t>(
                                    prediction, 3, kind == discgeom::surface_kind::fully_connected);
      for (const auto e : {engine::kd_tree, engine::distance_transform}) {
        const auto d = only(discgeom::directed_surface_distances(
            reference.view(), prediction.view(), g, {.kind = kind, .engine = e}));
        check_same(d.reference_to_prediction, brute_force::directed(rs, ps));
        check_same(d.prediction_to_reference, brute_force::directed(ps, rs));
        CHECK(d.reference_areas.size() == (corners ? rs.size() : 0));
      }
    }
  }
}

TEST_CASE("surface distances: symmetric, invariant to translation and to the origin",
          "[metrics][distance]") {
  const discgeom::image_geometry g{.spacing = {0.43, 0.43, 4.4}};
  const auto a = boxes({20, 20, 8}, g, {{{3, 3, 1, 12, 10, 5}, 1}, {{13, 3, 1, 18, 9, 6}, 2}});
  const auto b = boxes({20, 20, 8}, g, {{{4, 2, 2, 12, 11, 5}, 1}, {{12, 4, 1, 19, 9, 5}, 2}});
  const auto ab = discgeom::directed_surface_distances(a.view(), b.view(), g);
  const auto ba = discgeom::directed_surface_distances(b.view(), a.view(), g);
  // The same shapes moved by (2, 1, 1) voxels, and a geometry with another origin.
  const auto a2 = boxes({20, 20, 8}, g, {{{5, 4, 2, 14, 11, 6}, 1}, {{15, 4, 2, 20, 10, 7}, 2}});
  const auto b2 =
      boxes({20, 20, 8}, g, {{{6, 3, 3, 14, 12, 6}, 1}, {{14, 5, 2, 21 - 1, 10, 6}, 2}});
  REQUIRE(ab.size() == 2);
  for (std::size_t l = 0; l < 2; ++l) {
    const auto sa = discgeom::score_surface(ab[l]);
    const auto sb = discgeom::score_surface(ba[l]);
    CHECK(sa.hausdorff_mm == sb.hausdorff_mm);
    CHECK(sa.hausdorff_percentile_mm == sb.hausdorff_percentile_mm);
    CHECK(sa.assd_mm == Approx(sb.assd_mm).epsilon(1e-14));
    CHECK(sa.masd_mm == Approx(sb.masd_mm).epsilon(1e-14));
    CHECK(sa.nsd == sb.nsd);
    CHECK(sa.asd_reference_to_prediction_mm ==
          Approx(sb.asd_prediction_to_reference_mm).epsilon(1e-14));
  }
  const auto moved = discgeom::directed_surface_distances(a2.view(), b2.view(), g);
  const discgeom::image_geometry shifted{.spacing = g.spacing, .origin = {100, -50, 20}};
  const auto elsewhere = discgeom::directed_surface_distances(a.view(), b.view(), shifted);
  // Label 2 of b2 loses a column at the border (x = 20 is outside): compare label 1 only.
  for (const auto& other : {moved[0], elsewhere[0]}) {
    const auto s = discgeom::score_surface(ab[0]);
    const auto t = discgeom::score_surface(other);
    CHECK(s.hausdorff_mm == Approx(t.hausdorff_mm).epsilon(1e-12));
    CHECK(s.hausdorff_percentile_mm == Approx(t.hausdorff_percentile_mm).epsilon(1e-12));
    CHECK(s.assd_mm == Approx(t.assd_mm).epsilon(1e-12));
    CHECK(s.nsd == Approx(t.nsd).epsilon(1e-12));
  }
}

TEST_CASE("surface distances: concentric spheres against the analytic gap", "[metrics][distance]") {
  // Radii 9 and 12 mm at 0.5 mm: surface voxel centres lie within one voxel (0.5 mm) inside
  // the true sphere, so every directed distance is the 3 mm gap within 0.5 mm.
  const discgeom::image_geometry g{.spacing = {0.5, 0.5, 0.5}};
  auto inner = discgeom::image<std::uint8_t>::filled({56, 56, 56}, g, 0);
  auto outer = inner;
  const discgeom::vec3 c{13.75, 13.75, 13.75};
  for (std::size_t k = 0; k < 56; ++k)
    for (std::size_t j = 0; j < 56; ++j)
      for (std::size_t i = 0; i < 56; ++i) {
        const auto p = g.index_to_physical(std::array<std::size_t, 3>{i, j, k});
        const double r = brute_force::distance(p, c);
        if (r <= 9.0)
          inner.voxels(i, j, k) = 1;
        if (r <= 12.0)
          outer.voxels(i, j, k) = 1;
      }
  const auto d = only(discgeom::directed_surface_distances(inner.view(), outer.view(), g));
  const auto s = discgeom::score_surface(d);
  CHECK(s.hausdorff_mm == Approx(3.0).margin(0.5));
  CHECK(s.hausdorff_percentile_mm == Approx(3.0).margin(0.5));
  CHECK(s.assd_mm == Approx(3.0).margin(0.5));
  for (double v : d.reference_to_prediction)
    CHECK(std::abs(v - 3.0) <= 0.5);
  CHECK(s.nsd == 0.0);  // tolerance 1 mm < gap
  CHECK(discgeom::score_surface(d, {.tolerance_mm = 3.5}).nsd == 1.0);
}

TEST_CASE("surface distances: empty masks, one voxel, all foreground", "[metrics][distance]") {
  const discgeom::image_geometry g{.spacing = {0.43, 0.43, 4.4}};
  const auto cube = boxes({8, 8, 6}, g, {{{2, 2, 2, 5, 5, 4}, 1}});
  const auto empty = boxes({8, 8, 6}, g, {});
  SECTION("statuses, and no distance invented") {
    const auto d =
        discgeom::directed_surface_distances(cube.view(), empty.view(), g, {.labels = {1, 7}});
    REQUIRE(d.size() == 2);
    CHECK(d[0].status == discgeom::overlap_status::prediction_empty);
    CHECK(d[0].reference_points == 3 * 3 * 2);
    CHECK(d[0].reference_to_prediction.empty());
    CHECK(d[1].status == discgeom::overlap_status::both_empty);
    const auto s = discgeom::score_surface(d[0]);
    CHECK(std::isnan(s.hausdorff_mm));
    CHECK(std::isnan(s.assd_mm));
    CHECK(std::isnan(s.nsd));
    const auto filled = discgeom::score_surface(
        d[0], {.distance_one_empty = {discgeom::distance_fill_rule::image_diagonal},
               .nsd_one_empty = 0.0});
    CHECK(filled.hausdorff_mm == Approx(std::sqrt(2 * 3.44 * 3.44 + 26.4 * 26.4)));
    CHECK(filled.nsd == 0.0);
    CHECK(std::isinf(discgeom::score_surface(
                         d[1], {.distance_both_empty = {discgeom::distance_fill_rule::infinity}})
                         .hausdorff_mm));
    CHECK(discgeom::score_surface(
              d[0], {.distance_one_empty = {discgeom::distance_fill_rule::value, 99.0}})
              .masd_mm == 99.0);
    const auto reversed = discgeom::directed_surface_distances(empty.view(), cube.view(), g);
    CHECK(only(reversed).status == discgeom::overlap_status::reference_empty);
  }
  SECTION("one voxel") {
    const auto one = boxes({1, 1, 1}, g, {{{0, 0, 0, 1, 1, 1}, 1}});
    const auto s = discgeom::score_surface(
        only(discgeom::directed_surface_distances(one.view(), one.view(), g)));
    CHECK(s.hausdorff_mm == 0.0);
    CHECK(s.nsd == 1.0);
  }
  SECTION("a prediction that is all foreground: its surface is the image border") {
    const auto all = boxes({8, 8, 6}, g, {{{0, 0, 0, 8, 8, 6}, 1}});
    for (const auto e : {engine::kd_tree, engine::distance_transform}) {
      const auto d =
          only(discgeom::directed_surface_distances(cube.view(), all.view(), g, {.engine = e}));
      CHECK(d.prediction_points == 8 * 8 * 6 - 6 * 6 * 4);
      check_same(d.prediction_to_reference,
                 brute_force::directed(brute_force::surface_voxels<std::uint8_t>(all, 1),
                                       brute_force::surface_voxels<std::uint8_t>(cube, 1)));
    }
  }
  SECTION("both completely filled: identical surfaces on the image border") {
    const auto all = boxes({8, 8, 6}, g, {{{0, 0, 0, 8, 8, 6}, 1}});
    const auto d = only(discgeom::directed_surface_distances(all.view(), all.view(), g));
    const auto s = discgeom::score_surface(d);
    CHECK(d.reference_points == 240);
    CHECK(s.hausdorff_mm == 0.0);
    CHECK(s.assd_mm == 0.0);
    CHECK(s.nsd == 1.0);
  }
  SECTION("all background: no label, nothing to report unless asked") {
    CHECK(discgeom::directed_surface_distances(empty.view(), empty.view(), g).empty());
    const auto asked =
        discgeom::directed_surface_distances(empty.view(), empty.view(), g, {.labels = {1}});
    CHECK(only(asked).status == discgeom::overlap_status::both_empty);
  }
  SECTION("user label types and float label maps") {
    auto r = discgeom::image<user::opaque_label>::filled({8, 8, 6}, g, {0});
    auto p = discgeom::image<float>::filled({8, 8, 6}, g, 0.0f);
    for (std::size_t k = 2; k < 4; ++k)
      for (std::size_t j = 2; j < 5; ++j)
        for (std::size_t i = 2; i < 5; ++i) {
          r.voxels(i, j, k) = {70000};
          p.voxels(i + 1, j, k) = 70000.0f;
        }
    const auto d = only(discgeom::directed_surface_distances(r.view(), p.view(), g));
    CHECK(d.label == 70000);
    CHECK(discgeom::hausdorff_distance(d) == Approx(0.43));
  }
}

TEST_CASE("directed_surface_distances refuses bad input", "[metrics][distance][errors]") {
  const discgeom::image_geometry g{.spacing = {0.43, 0.43, 4.4}};
  const auto a = boxes({8, 8, 6}, g, {{{2, 2, 2, 5, 5, 4}, 1}});
  const auto b = boxes({8, 8, 5}, g, {{{2, 2, 2, 5, 5, 4}, 1}});
  CHECK_THROWS_WITH(discgeom::directed_surface_distances(a.view(), b.view(), g),
                    "directed_surface_distances(): reference and prediction differ in shape: "
                    "reference [8,8,6] vs prediction [8,8,5]");
  CHECK_THROWS_WITH(discgeom::directed_surface_distances(a.view(), a.view(), g, {.labels = {0}}),
                    "directed_surface_distances(): options.labels holds 0, the background, which "
                    "has no surface");
  const discgeom::image_geometry bad{.spacing = {0.43, -1, 4.4}};
  CHECK_THROWS_WITH(
      discgeom::directed_surface_distances(a.view(), a.view(), bad),
      Catch::Matchers::StartsWith("directed_surface_distances(): geometry.spacing[1]"));
}
