// SPDX-License-Identifier: MIT
// The corner-surfel table and the `deepmind` preset against DeepMind's surface-distance, run by
// tests/golden/make_deepmind_surfel_golden.py (stored in tests/data/deepmind_surfel_golden.txt;
// Python is not run here), and the table's invariance under the cube's symmetries.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "discgeom/image.hpp"
#include "discgeom/metrics/detail/corner_surfels.hpp"
#include "discgeom/metrics/evaluate.hpp"
#include "discgeom/metrics/surface.hpp"
#include "golden_runs.hpp"

namespace {

struct area_table {
  std::array<double, 3> spacing{};
  std::array<double, 256> areas{};
};

struct golden_case {
  std::string name;
  std::array<std::size_t, 3> shape{};
  discgeom::vec3 spacing{};
  std::vector<std::uint16_t> gt, pred;
  std::map<std::string, double> values;
};

struct golden_file {
  std::vector<area_table> tables;
  std::vector<golden_case> cases;
};

golden_file read_golden() {
  std::ifstream file(DISCGEOM_TEST_DATA_DIR "/deepmind_surfel_golden.txt");
  REQUIRE(file.good());
  golden_file golden;
  std::string text;
  bool in_case = false;
  while (std::getline(file, text)) {
    std::istringstream line(text);
    std::string key;
    line >> key;
    if (key == "case") {
      in_case = true;
      golden.cases.emplace_back();
      line >> golden.cases.back().name;
    } else if (key == "spacing") {
      if (in_case) {
        for (auto& s : golden.cases.back().spacing)
          line >> s;
      } else {
        golden.tables.emplace_back();
        for (auto& s : golden.tables.back().spacing)
          line >> s;
      }
    } else if (key == "areas") {
      for (auto& a : golden.tables.back().areas)
        REQUIRE(line >> a);
    } else if (key == "shape") {
      for (auto& n : golden.cases.back().shape)
        line >> n;
    } else if (key == "gt" || key == "pred") {
      const auto& shape = golden.cases.back().shape;
      (key == "gt" ? golden.cases.back().gt : golden.cases.back().pred) =
          golden::decode_runs(line, shape[0] * shape[1] * shape[2]);
    } else if (key == "values") {
      std::string name;
      double value = 0;
      while (line >> name >> value)
        golden.cases.back().values[name] = value;
    }
  }
  REQUIRE(golden.tables.size() == 6);
  REQUIRE(golden.cases.size() == 7);
  return golden;
}

discgeom::image<std::uint16_t> to_image(const std::vector<std::uint16_t>& values,
                                        const golden_case& c) {
  auto img = discgeom::image<std::uint16_t>::filled(c.shape, {.spacing = c.spacing}, 0);
  std::copy(values.begin(), values.end(), img.voxels.data());
  return img;
}

}  // namespace

TEST_CASE("corner surfel table: all 256 areas equal DeepMind's at six spacings",
          "[metrics][surface][golden]") {
  for (const auto& table : read_golden().tables) {
    INFO("spacing " << table.spacing[0] << " " << table.spacing[1] << " " << table.spacing[2]);
    const auto ours = discgeom::detail::corner_surfel_areas(table.spacing);
    for (std::size_t code = 0; code < 256; ++code) {
      INFO("code " << code);
      CHECK(ours[code] == Approx(table.areas[code]).epsilon(1e-13).margin(1e-15));
    }
  }
}

TEST_CASE("corner surfel table: invariant under the 48 cube symmetries and complement",
          "[metrics][surface]") {
  // A pattern turned or mirrored has the same surface, at the spacing turned with it; its
  // complement has the same surface at the same spacing.
  const std::array<double, 3> spacing{0.43, 0.7, 4.4};
  const auto areas = discgeom::detail::corner_surfel_areas(spacing);
  CHECK(areas[0] == 0.0);
  CHECK(areas[255] == 0.0);
  const auto symmetries = discgeom::detail::cube_symmetries();
  REQUIRE(symmetries.size() == 48);
  std::vector<int> classes;
  for (const auto& symmetry : symmetries) {
    std::array<double, 3> turned{};
    for (std::size_t d = 0; d < 3; ++d)
      turned[d] = spacing[static_cast<std::size_t>(symmetry.axis[d])];
    const auto turned_areas = discgeom::detail::corner_surfel_areas(turned);
    for (int code = 0; code < 256; ++code) {
      INFO("code " << code);
      CHECK(turned_areas[static_cast<std::size_t>(symmetry.pattern(code))] ==
            Approx(areas[static_cast<std::size_t>(code)]).epsilon(1e-13));
    }
  }
  for (int code = 0; code < 256; ++code) {
    CHECK(areas[static_cast<std::size_t>(code)] ==
          Approx(areas[static_cast<std::size_t>(255 - code)]).epsilon(1e-13));
    // The class of a code: its smallest image under the symmetries and complement.
    int smallest = code;
    for (const auto& symmetry : symmetries)
      smallest = std::min({smallest, symmetry.pattern(code), 255 - symmetry.pattern(code)});
    classes.push_back(smallest);
  }
  std::sort(classes.begin(), classes.end());
  CHECK(std::unique(classes.begin(), classes.end()) - classes.begin() == 14);
  // Hand-computed areas at unit spacing: one corner cut off sqrt(3)/8; half the cell 1; the
  // three-voxel L on a face 1/2 + 3 sqrt(3)/8 (its non-planar pentagon cut along its mid-plane).
  const auto unit = discgeom::detail::corner_surfel_areas({1.0, 1.0, 1.0});
  CHECK(unit[1] == Approx(std::sqrt(3.0) / 8));
  CHECK(unit[15] == Approx(1.0));
  CHECK(unit[7] == Approx(0.5 + 3 * std::sqrt(3.0) / 8));
}

TEST_CASE("deepmind preset: DeepMind's distances, surface Dice and surfel areas, mirrors agree",
          "[metrics][golden]") {
  auto options = discgeom::conventions_of(discgeom::metric_convention::deepmind);
  options.labels = std::vector<discgeom::label_value>{1};
  options.surface.tolerance_mm = 1.0;
  double first_masd = 0.0;
  for (const auto& c : read_golden().cases) {
    INFO("case " << c.name);
    const auto gt = to_image(c.gt, c), pred = to_image(c.pred, c);
    const discgeom::image_geometry geometry{.spacing = c.spacing};
    options.surface.percentile = 95.0;
    const auto r = discgeom::evaluate_segmentation(gt.view(), pred.view(), geometry, options);
    REQUIRE(r.size() == 1);
    const auto& s = r[0].surface;
    const auto& v = c.values;
    CHECK(s.asd_reference_to_prediction_mm == Approx(v.at("asd_gt_to_pred")).epsilon(1e-12));
    CHECK(s.asd_prediction_to_reference_mm == Approx(v.at("asd_pred_to_gt")).epsilon(1e-12));
    CHECK(s.nsd == Approx(v.at("surface_dice_1mm")).epsilon(1e-12));
    CHECK(s.hausdorff_percentile_mm == Approx(v.at("hd95")).epsilon(1e-12));
    CHECK(s.hausdorff_mm == Approx(v.at("hd100")).epsilon(1e-12));
    CHECK(static_cast<double>(s.reference_points) == v.at("surfels_gt"));
    CHECK(static_cast<double>(s.prediction_points) == v.at("surfels_pred"));
    for (const auto& [mask, key] : {std::pair{&gt, "area_gt"}, std::pair{&pred, "area_pred"}}) {
      const auto surface = discgeom::extract_surface(mask->view(), geometry, 1,
                                                     discgeom::surface_kind::corner_surfels);
      CHECK(std::accumulate(surface.areas_mm2.begin(), surface.areas_mm2.end(), 0.0) ==
            Approx(v.at(key)).epsilon(1e-12));
    }
    // The ellipsoid mirrored along each axis and transposed: DeepMind's values, and ours, do not
    // change.
    if (c.name.rfind("ellipsoid_0.9x0.6x3.3", 0) == 0) {
      if (first_masd == 0.0)
        first_masd = s.masd_mm;
      CHECK(s.masd_mm == Approx(first_masd).epsilon(1e-12));
    }
  }
}
