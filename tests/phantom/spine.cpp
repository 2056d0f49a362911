// SPDX-License-Identifier: MIT
// phantom/spine.hpp: synthetic spines whose measures (measure_discs) must reproduce the truth
// they were generated from, within tolerances derived from the voxel size.
#include "discgeom/phantom/spine.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "discgeom/geometry/disc_measures.hpp"

using namespace discgeom;
using phantom::spine_options;

namespace {

std::set<int> labels_present(const image<std::uint8_t>& labels) {
  std::set<int> present;
  for (const auto v : labels.voxels)
    present.insert(v);
  return present;
}

std::set<int> expected_labels(int lumbar) {
  std::set<int> expected{0, 100, 100 + lumbar + 1};  // background, canal, partial T12
  for (int n = 1; n <= lumbar; ++n)
    expected.insert(n);
  for (int n = 1; n <= lumbar + 1; ++n)
    expected.insert(200 + n);
  return expected;
}

constexpr double degrees_per_radian = 180.0 / 3.14159265358979323846;

/// Checks measure_discs on a phantom against its truth. Tolerances, from the voxel size
/// (s_in = AP and SI spacing, s_lr = slice spacing; docs/phantom.md gives the model):
///  - height: every footprint column holds the voxel centres of an interval of length t >= s_in
///    (the generator keeps every disc at least 2 mm thick), so (voxels x s_in) is within s_in of
///    t column by column, and the mean over columns within s_in of the mean of t over the grid
///    columns; that mean samples the footprint's mean thickness (the truth) on the voxel grid.
///    Tolerance s_in. (Observed over 200 spines: < 0.2 s_in.)
///  - AP width: the middle sagittal slice is the mid-plane l = 0 (a slice centre plane; the disc is
///    symmetric in l, so the centroid rounds to it), and the number of voxel centres in an interval
///    of length W is floor(W / s) or floor(W / s) + 1: |measured - W| < s_in.
///  - lateral width: the generator ensures the middle transverse slice crosses the widest row whole
///    (docs/phantom.md); the grid column nearest the widest row is within s_in / 2 of it, where the
///    footprint is narrower by at most L (1 - sqrt(1 - (s_in / 2A)^2)) < 0.01 mm per side; so
///    |measured - W| < s_lr + 0.02. Tolerance s_lr + 0.05.
///  - sagittal angle: the ends of the section's major axis, ap_width apart, are located to within
///    half a voxel each along SI, so the axis turns by at most atan(s_in / ap_width).
///    (Observed over 200 spines: < 0.6 of it.)
void check_against_truth(const phantom::spine& s, const std::string& lowest_level) {
  const auto& m = s.anatomy;
  const double s_in = m.geometry.spacing[0], s_lr = m.geometry.spacing[2];
  const auto rows = measure_discs(s.labels, s.labels.geometry, {.lowest_level = lowest_level});
  REQUIRE(rows.size() == m.discs.size());
  for (std::size_t n = 0; n < rows.size(); ++n) {
    const auto& r = rows[n];
    const auto& d = m.discs[n];
    INFO("disc " << d.level << " label " << d.label << " spacing " << s_in << " x " << s_lr);
    CHECK(r.status == "ok");
    CHECK(d.status == "ok");
    CHECK(r.level == d.level);
    CHECK(r.label == d.label);
    CHECK_FALSE(r.touches_border);
    REQUIRE(r.height_mm);
    CHECK(*r.height_mm == Approx(d.height_mm).margin(s_in));
    CHECK(*r.ap_width_mm == Approx(d.ap_width_mm).margin(s_in));
    CHECK(*r.lateral_width_mm == Approx(d.lateral_width_mm).margin(s_lr + 0.05));
    const double angle_tolerance = std::atan(s_in / d.ap_width_mm) * degrees_per_radian;
    CHECK(*r.sagittal_angle_deg == Approx(d.sagittal_angle_deg).margin(angle_tolerance));
  }
}

}  // namespace

TEST_CASE("phantom spine: case names are the file stems phantom_001, ...") {
  CHECK(phantom::case_name(0) == "phantom_001");
  CHECK(phantom::case_name(41) == "phantom_042");
  CHECK(phantom::case_name(999) == "phantom_1000");
}

TEST_CASE("phantom spine: five lumbar vertebrae in SPIDER labels, oblique sagittal geometry") {
  const spine_options five{.l6_probability = 0.0, .missing_level_probability = 0.0};
  const auto s = phantom::generate_spine(11, 0, five);
  const auto& m = s.anatomy;
  CHECK(m.lumbar_vertebrae == 5);
  CHECK(m.lowest_level == "L5/S1");
  CHECK(labels_present(s.labels) == expected_labels(5));
  // SPIDER meaning of every label: vertebrae 1-5, partial T12 106, canal 100, discs 201-206
  std::vector<std::string> levels;
  for (const auto& d : m.discs)
    levels.push_back(d.level);
  CHECK(levels == std::vector<std::string>{"L5/S1", "L4/L5", "L3/L4", "L2/L3", "L1/L2", "T12/L1"});
  for (std::size_t n = 0; n < m.discs.size(); ++n) {
    CHECK(m.discs[n].label == static_cast<std::int64_t>(201 + n));
    CHECK(spider_structure(m.discs[n].label).kind == structure_kind::disc);
  }
  CHECK(m.vertebrae.front().name == "L5");
  CHECK(m.vertebrae.front().label == 1);
  CHECK(m.vertebrae.back().name == "T12");
  CHECK(spider_structure(m.vertebrae.back().label).kind == structure_kind::partial_vertebra);

  // A sagittal acquisition: axes P, I, L; anisotropic; oblique but a rotation.
  const auto& g = s.labels.geometry;
  CHECK_NOTHROW(g.validate());
  CHECK(g.orientation_code() == "PIL");
  CHECK(g.spacing[0] == g.spacing[1]);
  CHECK(g.spacing[0] >= 0.5);
  CHECK(g.spacing[0] <= 0.7);
  CHECK(g.spacing[2] >= 3.3);
  CHECK(g.spacing[2] <= 4.4);
  CHECK(g.direction != direction_from_orientation("PIL"));
  CHECK(g.obliquity_deg() > 0.0);
  CHECK(g.obliquity_deg() < 8.0);
  const auto shape = s.labels.shape();
  const double voxels = static_cast<double>(shape[0] * shape[1] * shape[2]);
  CHECK(voxels > 0.5e6);
  CHECK(voxels < 3.0e6);
  check_against_truth(s, "L5/S1");
}

TEST_CASE("phantom spine: measure_discs reproduces the truth on many spines") {
  for (std::size_t c = 0; c < 12; ++c) {
    INFO("case " << c);
    const auto s = phantom::generate_spine(2024, c);
    check_against_truth(s, s.anatomy.lowest_level);
  }
}

TEST_CASE("phantom spine: without obliquity the direction is the exact PIL permutation") {
  const auto s = phantom::generate_spine(5, 1, {.obliquity_deg = 0.0});
  CHECK(s.labels.geometry.direction == direction_from_orientation("PIL"));
  check_against_truth(s, s.anatomy.lowest_level);
}

TEST_CASE("phantom spine: an L6 keeps anatomical level names in the truth") {
  const auto s =
      phantom::generate_spine(3, 0, {.l6_probability = 1.0, .missing_level_probability = 0.0});
  const auto& m = s.anatomy;
  CHECK(m.lumbar_vertebrae == 6);
  CHECK(m.lowest_level == "L6/S1");
  CHECK(labels_present(s.labels) == expected_labels(6));
  CHECK(m.discs.front().level == "L6/S1");
  CHECK(m.discs[1].level == "L5/L6");
  CHECK(m.discs.back().level == "T12/L1");
  CHECK(m.discs.back().label == 207);
  CHECK(m.vertebrae.front().name == "L6");
  // measure_discs' default counts from L5/S1: the names shift by one level, the labels do not
  const auto defaults = measure_discs(s.labels, s.labels.geometry);
  REQUIRE(defaults.size() == 7);
  CHECK(defaults.front().level == "L5/S1");
  CHECK(defaults.front().label == 201);
  CHECK(defaults.back().level == "T11/T12");
  // with the truth's lowest level the names agree, and the measures match
  check_against_truth(s, "L6/S1");
}

TEST_CASE("phantom spine: a missing lumbar level (four lumbar vertebrae)") {
  const auto s =
      phantom::generate_spine(3, 1, {.l6_probability = 0.0, .missing_level_probability = 1.0});
  const auto& m = s.anatomy;
  CHECK(m.lumbar_vertebrae == 4);
  CHECK(m.lowest_level == "L4/S1");
  CHECK(labels_present(s.labels) == expected_labels(4));
  std::vector<std::string> levels;
  for (const auto& d : m.discs)
    levels.push_back(d.level);
  CHECK(levels == std::vector<std::string>{"L4/S1", "L3/L4", "L2/L3", "L1/L2", "T12/L1"});
  const auto defaults = measure_discs(s.labels, s.labels.geometry);
  REQUIRE(defaults.size() == 5);
  CHECK(defaults.front().level == "L5/S1");
  CHECK(defaults.back().level == "L1/L2");
  check_against_truth(s, "L4/S1");
}

TEST_CASE("phantom spine: about 20% of discs are narrowed, and clearly thinner") {
  std::size_t discs = 0, narrowed = 0, six = 0, four = 0;
  std::map<std::string, std::vector<double>> normal_height, narrow_height;
  constexpr std::size_t cases = 600;
  for (std::size_t c = 0; c < cases; ++c) {
    const auto m = phantom::draw_anatomy(77, c);
    six += m.lumbar_vertebrae == 6;
    four += m.lumbar_vertebrae == 4;
    for (const auto& d : m.discs) {
      ++discs;
      narrowed += d.narrowed;
      (d.narrowed ? narrow_height : normal_height)[d.level].push_back(d.height_mm);
      CHECK(d.height_mm >= 3.5);
    }
  }
  // about 3600 discs: sd of the proportion sqrt(0.16 / 3600) = 0.0067; 4 sd
  CHECK(static_cast<double>(narrowed) / static_cast<double>(discs) == Approx(0.2).margin(0.027));
  // L6 8% (sd 0.011) and missing level 6% (sd 0.0097) of spines, 4 sd
  CHECK(static_cast<double>(six) / cases == Approx(0.08).margin(0.045));
  CHECK(static_cast<double>(four) / cases == Approx(0.06).margin(0.039));
  const auto mean = [](const std::vector<double>& v) {
    double sum = 0;
    for (double x : v)
      sum += x;
    return sum / static_cast<double>(v.size());
  };
  for (const std::string level : {"L5/S1", "L4/L5", "L3/L4", "L2/L3", "L1/L2"}) {
    INFO(level);
    REQUIRE(narrow_height[level].size() > 20);
    // narrowing factor 0.6-0.8 of a height drawn from the same range: mean ratio about 0.70
    // (a little above where the 3.5 mm floor lifts the thinnest); 0.75 leaves room for sampling
    CHECK(mean(narrow_height[level]) < 0.75 * mean(normal_height[level]));
  }
}

TEST_CASE("phantom spine: the same seed and case give the same spine, byte for byte") {
  const auto a = phantom::generate_spine(99, 4);
  const auto b = phantom::generate_spine(99, 4);
  const bool same_labels = a.labels.voxels == b.labels.voxels;
  CHECK(same_labels);
  CHECK(a.labels.geometry == b.labels.geometry);
  REQUIRE(a.anatomy.discs.size() == b.anatomy.discs.size());
  for (std::size_t n = 0; n < a.anatomy.discs.size(); ++n) {
    CHECK(a.anatomy.discs[n].height_mm == b.anatomy.discs[n].height_mm);
    CHECK(a.anatomy.discs[n].sagittal_angle_deg == b.anatomy.discs[n].sagittal_angle_deg);
    CHECK(a.anatomy.discs[n].centre_mm == b.anatomy.discs[n].centre_mm);
  }
  // another seed or another case gives another spine
  CHECK(phantom::draw_anatomy(100, 4).discs[0].height_mm != a.anatomy.discs[0].height_mm);
  CHECK(phantom::draw_anatomy(99, 5).discs[0].height_mm != a.anatomy.discs[0].height_mm);
  // a case does not depend on the cases drawn before it
  (void)phantom::draw_anatomy(99, 3);
  CHECK(phantom::draw_anatomy(99, 4).discs[0].height_mm == a.anatomy.discs[0].height_mm);
}

TEST_CASE("phantom spine: the T1-like image has the labels' geometry and a realistic contrast") {
  const auto s = phantom::generate_spine(21, 0);
  const auto t1 = phantom::t1_image(s.anatomy, 21, 0);
  CHECK(t1.shape() == s.labels.shape());
  CHECK(t1.geometry == s.labels.geometry);
  const bool same_image = phantom::t1_image(s.anatomy, 21, 0).voxels == t1.voxels;
  CHECK(same_image);
  const bool other_seed_same = phantom::t1_image(s.anatomy, 22, 0).voxels == t1.voxels;
  CHECK_FALSE(other_seed_same);
  // the image stream is apart from the anatomy's: rendering leaves the spine as it was
  const bool labels_unchanged = phantom::generate_spine(21, 0).labels.voxels == s.labels.voxels;
  CHECK(labels_unchanged);

  std::map<std::string, std::vector<int>> by_class;
  for (std::size_t n = 0; n < t1.voxels.size(); ++n) {
    const int label = s.labels.voxels.data()[n];
    const std::string name = label == 0     ? "background"
                             : label == 100 ? "canal"
                             : label > 200  ? "disc"
                             : label > 100  ? "partial"
                                            : "vertebra";
    by_class[name].push_back(t1.voxels.data()[n]);
  }
  const auto quantile = [&](const std::string& name, double q) {
    auto v = by_class.at(name);
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
  };
  // T1: fatty marrow bright, disc intermediate, CSF dark
  CHECK(quantile("vertebra", 0.5) > quantile("disc", 0.5) + 200);
  CHECK(quantile("disc", 0.5) > quantile("canal", 0.5) + 150);
  // no threshold isolates the discs: much background lies within the discs' interquartile range
  const int low = quantile("disc", 0.25), high = quantile("disc", 0.75);
  std::size_t inside = 0;
  for (const int v : by_class.at("background"))
    inside += v >= low && v <= high;
  CHECK(static_cast<double>(inside) / static_cast<double>(by_class.at("background").size()) > 0.1);
}

TEST_CASE("phantom spine: a disc the safeguards cannot make measurable says so") {
  // 2 mm pixels and thin discs: the middle transverse slice cannot be sure to cross the widest row
  const auto m = phantom::draw_anatomy(
      4, 0, {.in_plane_spacing_mm = {1.9, 2.0}, .narrowing_probability = 1.0});
  std::size_t flagged = 0;
  for (const auto& d : m.discs) {
    INFO(d.level << ": " << d.status);
    CHECK((d.status == "ok" || d.status == "widest row not in the middle transverse slice" ||
           d.status == "thinner than a voxel"));
    flagged += d.status != "ok";
  }
  CHECK(flagged > 0);
}

TEST_CASE("phantom spine: options out of range are named with their value") {
  CHECK_THROWS_WITH(phantom::draw_anatomy(1, 0, {.in_plane_spacing_mm = {0.7, 0.5}}),
                    "draw_anatomy(): options.in_plane_spacing_mm [0.7, 0.5] must be finite with "
                    "0.1 <= low <= high <= 2");
  CHECK_THROWS_WITH(phantom::draw_anatomy(1, 0, {.narrowing_probability = 1.5}),
                    "draw_anatomy(): options.narrowing_probability must be in [0, 1], got 1.5");
  CHECK_THROWS_WITH(
      phantom::draw_anatomy(1, 0, {.l6_probability = 0.6, .missing_level_probability = 0.6}),
      "draw_anatomy(): options.l6_probability + options.missing_level_probability must be <= 1, "
      "got 1.2");
  CHECK_THROWS_WITH(phantom::draw_anatomy(1, 0, {.obliquity_deg = -1.0}),
                    "draw_anatomy(): options.obliquity_deg must be in [0, 20], got -1");
  CHECK_THROWS_WITH(phantom::draw_anatomy(1, 0, {.margin_mm = 1.0}),
                    "draw_anatomy(): options.margin_mm must be in [2, 100], got 1");
  CHECK_THROWS_AS(phantom::draw_anatomy(1, 0, {.slice_spacing_mm = {0.0, 4.0}}),
                  precondition_error);
  CHECK_THROWS_AS(phantom::generate_spine(1, 0, {.lateral_tilt_deg = {-20.0, 0.0}}),
                  precondition_error);
  const auto anatomy = phantom::draw_anatomy(1, 0);
  CHECK_THROWS_WITH(phantom::t1_image(anatomy, 1, 0, {.noise_sigma = {0.1, 0.05}}),
                    "t1_image(): options.noise_sigma [0.1, 0.05] must satisfy 0 <= low <= high "
                    "<= 0.5");
  CHECK_THROWS_WITH(phantom::t1_image(anatomy, 1, 0, {.bias_amplitude = 2.0}),
                    "t1_image(): options.bias_amplitude must be in [0, 1], got 2");
  CHECK_THROWS_WITH(phantom::t1_image(anatomy, 1, 0, {.scale = 0.0}),
                    "t1_image(): options.scale must be in (0, 20000], got 0");
}
