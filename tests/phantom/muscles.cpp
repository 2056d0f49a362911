// SPDX-License-Identifier: MIT
// phantom/muscles.hpp: axial muscle phantoms whose truth must equal an independent count of the
// label map, lie within the stated discretisation bounds of the analytic ellipses, put each side
// on the patient's side, and come out the same for the same seed.
#include "discgeom/phantom/muscles.hpp"

#include <cmath>
#include <cstdint>
#include <map>
#include <numbers>
#include <set>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "discgeom/geometry/disc_measures.hpp"
#include "discgeom/geometry/muscle_sections.hpp"

using namespace discgeom;

namespace {

/// Per (label, slice): pixel count and the sum of the pixel centres' LPS positions, counted by
/// walking the label map and mapping every pixel through the geometry (not through the mean
/// index, as the generator does).
struct counted {
  std::size_t pixels = 0;
  vec3 sum{};
};
std::map<std::pair<int, std::size_t>, counted> count_sections(const image<std::uint8_t>& labels) {
  std::map<std::pair<int, std::size_t>, counted> sections;
  const auto shape = labels.shape();
  for (std::size_t k = 0; k < shape[2]; ++k)
    for (std::size_t j = 0; j < shape[1]; ++j)
      for (std::size_t i = 0; i < shape[0]; ++i) {
        const int v = labels.voxels(i, j, k);
        if (v < 61 || v > 68)
          continue;
        auto& c = sections[{v, k}];
        ++c.pixels;
        const vec3 p = labels.geometry.index_to_physical(std::array<std::size_t, 3>{i, j, k});
        for (std::size_t d = 0; d < 3; ++d)
          c.sum[d] += p[d];
      }
  return sections;
}

double distance(const vec3& a, const vec3& b) {
  return std::hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

}  // namespace

TEST_CASE("muscle phantom: the truth equals an independent count of the label map",
          "[phantom][muscles]") {
  for (std::size_t case_index : {0u, 1u, 2u}) {
    const auto ph = phantom::generate_muscle_phantom(11, case_index);
    const auto truth = phantom::muscle_truth(ph);
    const auto counts = count_sections(ph.labels);
    REQUIRE(truth.size() == counts.size());  // every section, none twice
    const auto& g = ph.labels.geometry;
    const double pixel_area = g.spacing[0] * g.spacing[1];
    for (const auto& t : truth) {
      const auto found = counts.find({static_cast<int>(t.label.label), t.slice});
      REQUIRE(found != counts.end());
      const double n = static_cast<double>(found->second.pixels);
      CHECK(t.pixels == found->second.pixels);
      CHECK(t.csa_mm2 == n * pixel_area);
      const vec3 mean{found->second.sum[0] / n, found->second.sum[1] / n, found->second.sum[2] / n};
      CHECK(distance(t.centroid_mm, mean) < 1e-9);
    }
    // muscle_sections (what `discgeom muscles` runs) gives the same numbers.
    std::vector<std::int64_t> wanted;
    for (const auto& m : phantom_muscles())
      wanted.push_back(m.label);
    const auto measured = muscle_sections(ph.labels, g, wanted);
    REQUIRE(measured.size() == truth.size());
    for (std::size_t r = 0; r < truth.size(); ++r) {
      CHECK(measured[r].label == truth[r].label.label);
      CHECK(measured[r].slice == truth[r].slice);
      CHECK(measured[r].csa_mm2 == truth[r].csa_mm2);
      REQUIRE(measured[r].centroid_mm);
      CHECK(distance(*measured[r].centroid_mm, truth[r].centroid_mm) < 1e-9);
    }
  }
}

TEST_CASE("muscle phantom: CSA and centroid within the discretisation bounds of the ellipse",
          "[phantom][muscles]") {
  // |pixels s^2 - pi a b| <= pi s (sqrt(a^2 + b^2) + s/2) (Steiner's formula for the ellipse
  // dilated and eroded by the half-diagonal of a pixel); the centroid within centroid_bound_mm.
  // A hand check of the bound: a circle of radius 10 mm at 1 mm pixels: pi (sqrt(200) + 0.5).
  CHECK(phantom::csa_bound_mm2(10.0, 10.0, 1.0) ==
        Approx(std::numbers::pi * (std::sqrt(200.0) + 0.5)).epsilon(1e-14));
  double worst_csa = 0.0, worst_centroid = 0.0;
  std::size_t sections = 0;
  for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
    for (std::size_t case_index : {0u, 5u}) {
      const auto ph = phantom::generate_muscle_phantom(seed, case_index);
      const double s = ph.anatomy.in_plane_spacing;
      for (const auto& t : phantom::muscle_truth(ph)) {
        ++sections;
        CHECK(t.analytic_csa_mm2 ==
              Approx(std::numbers::pi * t.semi_l_mm * t.semi_p_mm).epsilon(1e-15));
        CHECK(t.csa_bound_mm2 == Approx(phantom::csa_bound_mm2(t.semi_l_mm, t.semi_p_mm, s)));
        CHECK(std::abs(t.csa_mm2 - t.analytic_csa_mm2) <= t.csa_bound_mm2);
        CHECK(distance(t.centroid_mm, t.centre_mm) <= t.centroid_bound_mm);
        // The centre lies on the slice plane: the section is a slice of the model, not a mean.
        CHECK(std::abs(t.centroid_mm[2] - t.centre_mm[2]) < 1.0);
        worst_csa = std::max(worst_csa, std::abs(t.csa_mm2 - t.analytic_csa_mm2) / t.csa_bound_mm2);
        worst_centroid =
            std::max(worst_centroid, distance(t.centroid_mm, t.centre_mm) / t.centroid_bound_mm);
      }
    }
  }
  CHECK(sections > 2000);
  // The bounds are worst cases; the symmetric ellipses come far inside them (observed over 5048
  // sections: 0.17 and 0.04 of the bounds), which a shifted or mis-scaled truth would not.
  CHECK(worst_csa < 0.25);
  CHECK(worst_centroid < 0.1);
}

TEST_CASE("muscle phantom: every muscle on both sides at every level, left at the patient's left",
          "[phantom][muscles]") {
  const auto ph = phantom::generate_muscle_phantom(5, 3);
  const auto truth = phantom::muscle_truth(ph);
  const auto& g = ph.labels.geometry;
  // The acquisition: anisotropic axial slices, an oblique direction, SI the slice axis.
  CHECK(g.spacing[0] == g.spacing[1]);
  CHECK(g.spacing[0] >= 0.7);
  CHECK(g.spacing[0] <= 0.9);
  CHECK(g.spacing[2] >= 4.0);
  CHECK(g.spacing[2] <= 6.0);
  CHECK(g.array_axis(anatomical_axis::si) == 2);
  CHECK(std::abs(g.direction[0][0]) < 1.0);  // not the identity: the patient is rotated
  CHECK_FALSE(not_axial_reason(g).has_value());

  // Spine labels for the levels: bodies 1-5, canal 100, discs 201-205.
  std::set<int> present;
  for (const auto v : ph.labels.voxels)
    present.insert(v);
  for (int v : {0, 1, 2, 3, 4, 5, 61, 62, 63, 64, 65, 66, 67, 68, 100, 201, 202, 203, 204, 205})
    CHECK(present.count(v) == 1);
  CHECK(present.size() == 20);

  // Left and right: on every slice, each left muscle lies at larger LPS x (patient's left) than
  // its right twin, and further left than the slice's vertebral body or disc.
  std::map<std::pair<std::string, std::size_t>, std::map<char, double>> x;
  for (const auto& t : truth)
    x[{t.label.muscle, t.slice}][t.label.side] = t.centroid_mm[0];
  for (const auto& [key, sides] : x) {
    REQUIRE(sides.size() == 2);
    CHECK(sides.at('L') > sides.at('R'));
  }
  std::vector<muscle_section> sections;
  std::vector<std::int64_t> wanted;
  for (const auto& m : phantom_muscles())
    wanted.push_back(m.label);
  for (const auto& t : truth) {
    muscle_section s;
    s.label = t.label.label;
    s.slice = t.slice;
    s.pixels = t.pixels;
    s.centroid_mm = t.centroid_mm;
    sections.push_back(s);
  }
  CHECK(swapped_sides(sections, phantom_muscles()).empty());
  const auto bodies = muscle_sections(ph.labels, g, {1, 2, 3, 4, 5, 201, 202, 203, 204, 205});
  for (const auto& body : bodies) {
    REQUIRE(body.centroid_mm);
    for (const auto& muscle : {"psoas", "quadratus_lumborum", "erector_spinae", "multifidus"}) {
      const auto& sides = x.at({muscle, body.slice});
      CHECK(sides.at('L') > (*body.centroid_mm)[0]);
      CHECK(sides.at('R') < (*body.centroid_mm)[0]);
    }
  }

  // Levels: top slice L1/L2, bottom slice L5/S1; one level slice per muscle and level, and it is
  // the slice nearest that level's disc centroid.
  std::map<std::pair<std::int64_t, std::string>, std::size_t> level_slices;
  std::set<std::string> levels;
  for (const auto& t : truth) {
    levels.insert(t.level);
    if (t.level_slice)
      ++level_slices[{t.label.label, t.level}];
    if (t.slice == 0)
      CHECK(t.level == "L1/L2");
    if (t.slice + 1 == ph.labels.shape()[2])
      CHECK(t.level == "L5/S1");
  }
  CHECK(levels == std::set<std::string>{"L1/L2", "L2/L3", "L3/L4", "L4/L5", "L5/S1"});
  CHECK(level_slices.size() == 8 * 5);
  for (const auto& [key, n] : level_slices)
    CHECK(n == 1);
  // The discs as measure_discs finds them name the same levels (what `discs` then `muscles
  // --discs` does).
  std::vector<disc_position> discs;
  for (const auto& d : measure_discs(ph.labels, g, disc_table_options{}))
    if (d.centroid_mm)
      discs.push_back({d.level, *d.centroid_mm});
  REQUIRE(discs.size() == 5);
  const auto own = phantom::phantom_disc_positions(ph, g);
  for (std::size_t n = 0; n < 5; ++n) {
    CHECK(discs[n].level == own[n].level);
    CHECK(distance(discs[n].centroid_mm, own[n].centroid_mm) < 1e-9);
  }
  for (const auto& t : truth)
    CHECK(nearest_disc_level(g, t.slice, discs).value_or("") == t.level);

  // Psoas grows caudally, erector spinae shrinks at L5/S1 (the typical pattern).
  std::map<std::pair<std::string, std::string>, double> csa;
  for (const auto& t : truth)
    if (t.level_slice && t.label.side == 'L')
      csa[{t.label.muscle, t.level}] = t.csa_mm2;
  CHECK(csa.at({"psoas", "L4/L5"}) > 2.0 * csa.at({"psoas", "L1/L2"}));
  CHECK(csa.at({"erector_spinae", "L5/S1"}) < csa.at({"erector_spinae", "L2/L3"}));
}

TEST_CASE("muscle phantom: the same seed gives the same phantom, another seed another",
          "[phantom][muscles]") {
  const auto a = phantom::generate_muscle_phantom(21, 4);
  const auto b = phantom::generate_muscle_phantom(21, 4);
  const auto c = phantom::generate_muscle_phantom(22, 4);
  CHECK(a.labels.shape() == b.labels.shape());
  CHECK(std::equal(a.labels.voxels.begin(), a.labels.voxels.end(), b.labels.voxels.begin()));
  const auto ta = phantom::muscle_truth(a), tb = phantom::muscle_truth(b);
  REQUIRE(ta.size() == tb.size());
  for (std::size_t r = 0; r < ta.size(); ++r) {
    CHECK(ta[r].pixels == tb[r].pixels);
    CHECK(ta[r].centroid_mm == tb[r].centroid_mm);
    CHECK(ta[r].semi_l_mm == tb[r].semi_l_mm);
  }
  CHECK(a.anatomy.geometry.origin != c.anatomy.geometry.origin);
  const auto t1a = phantom::muscle_t1_image(a, 21, 4), t1b = phantom::muscle_t1_image(b, 21, 4);
  CHECK(std::equal(t1a.voxels.begin(), t1a.voxels.end(), t1b.voxels.begin()));
  const auto ra = phantom::second_rater(a.labels, {61, 62, 63, 64, 65, 66, 67, 68}, 21, 4);
  const auto rb = phantom::second_rater(b.labels, {61, 62, 63, 64, 65, 66, 67, 68}, 21, 4);
  CHECK(std::equal(ra.voxels.begin(), ra.voxels.end(), rb.voxels.begin()));
  // Case k does not depend on the other cases: drawn alone, it is the same.
  CHECK(phantom::draw_muscle_anatomy(21, 4).geometry.origin == a.anatomy.geometry.origin);
}

TEST_CASE("muscle phantom: the T1-like image tells muscle from fat", "[phantom][muscles]") {
  const auto ph = phantom::generate_muscle_phantom(8, 1);
  const auto t1 = phantom::muscle_t1_image(ph, 8, 1);
  REQUIRE(t1.shape() == ph.labels.shape());
  CHECK(t1.geometry.origin == ph.labels.geometry.origin);
  // Muscle about 0.34 of full scale, the fat around it (unlabelled, inside the body, behind the
  // vertebral bodies) about 0.8: compare the means of muscle pixels and of the ring of
  // unlabelled pixels 3-5 pixels outside the erector spinae.
  double muscle = 0.0, fat = 0.0;
  std::size_t n_muscle = 0, n_fat = 0;
  const auto shape = ph.labels.shape();
  for (std::size_t k = 0; k < shape[2]; ++k)
    for (std::size_t j = 5; j + 5 < shape[1]; ++j)
      for (std::size_t i = 5; i + 5 < shape[0]; ++i) {
        const int v = ph.labels.voxels(i, j, k);
        if (v >= 61 && v <= 68) {
          muscle += t1.voxels(i, j, k);
          ++n_muscle;
        } else if (v == 0 && ph.labels.voxels(i, j - 4, k) == 65) {
          fat += t1.voxels(i, j, k);  // just behind the left erector spinae
          ++n_fat;
        }
      }
  REQUIRE(n_muscle > 1000);
  REQUIRE(n_fat > 100);
  muscle /= static_cast<double>(n_muscle);
  fat /= static_cast<double>(n_fat);
  CHECK(muscle > 250.0);
  CHECK(muscle < 450.0);
  CHECK(fat > 650.0);
}

TEST_CASE("muscle phantom: the second rater moves muscles only, by a pixel or two",
          "[phantom][muscles]") {
  const auto ph = phantom::generate_muscle_phantom(9, 2);
  const std::vector<std::int64_t> muscles{61, 62, 63, 64, 65, 66, 67, 68};
  const auto second = phantom::second_rater(ph.labels, muscles, 9, 2);
  const auto shape = ph.labels.shape();
  std::size_t differ = 0;
  for (std::size_t k = 0; k < shape[2]; ++k)
    for (std::size_t j = 0; j < shape[1]; ++j)
      for (std::size_t i = 0; i < shape[0]; ++i) {
        const int a = ph.labels.voxels(i, j, k), b = second.voxels(i, j, k);
        if (a == b)
          continue;
        ++differ;
        // The spine is never touched: a change is a muscle grown into 0 or a muscle removed.
        CHECK(((a >= 61 && a <= 68) || a == 0));
        CHECK(((b >= 61 && b <= 68) || b == 0));
      }
  CHECK(differ > 0);
  const auto first_sections = muscle_sections(ph.labels, ph.labels.geometry, muscles);
  const auto second_sections = muscle_sections(second, second.geometry, muscles);
  REQUIRE(first_sections.size() == second_sections.size());  // no section lost
  const double s = ph.anatomy.in_plane_spacing;
  for (std::size_t r = 0; r < first_sections.size(); ++r) {
    REQUIRE(second_sections[r].centroid_mm);
    // A shift of at most one pixel on each in-plane axis (sqrt(2) s), and a one-pixel erosion or
    // dilation of a convex section, which moves its centroid by well under a pixel.
    CHECK(distance(*first_sections[r].centroid_mm, *second_sections[r].centroid_mm) <
          (std::numbers::sqrt2 + 1.0) * s);
  }
  CHECK_THROWS_WITH(phantom::second_rater(ph.labels, muscles, 9, 2, {.max_shift_pixels = 9}),
                    Catch::Contains("second_rater") && Catch::Contains("max_shift_pixels"));
}

TEST_CASE("muscle phantom: options out of range are refused, naming the option",
          "[phantom][muscles]") {
  CHECK_THROWS_WITH(
      phantom::draw_muscle_anatomy(1, 0, {.slice_spacing_mm = {4.0, 9.0}}),
      Catch::Contains("draw_muscle_anatomy") && Catch::Contains("options.slice_spacing_mm"));
  CHECK_THROWS_WITH(phantom::draw_muscle_anatomy(1, 0, {.obliquity_deg = -1.0}),
                    Catch::Contains("options.obliquity_deg"));
  const auto ph = phantom::generate_muscle_phantom(1, 0);
  CHECK_THROWS_WITH(phantom::muscle_t1_image(ph, 1, 0, {.scale = 0.0}),
                    Catch::Contains("muscle_t1_image") && Catch::Contains("options.scale"));
  CHECK_THROWS_WITH(nearest_slice(ph.labels.geometry, 0, vec3{0, 0, 0}),
                    Catch::Contains("nearest_slice"));
}
