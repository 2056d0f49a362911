// SPDX-License-Identifier: MIT
// `discgeom shape` run as a user runs it: the contract's columns, pyradiomics' golden values
// through NIfTI and MetaImage files (3D, 2D and one-slice volumes), labels, statuses and every bad
// input's exit status.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli/cli_helpers.hpp"
#include "discgeom/geometry/shape_features.hpp"
#include "discgeom/io/image_io.hpp"

namespace fs = std::filesystem;
using namespace cli_test;

namespace {

const std::string columns_3d =
    "case,label,VoxelVolume,MeshVolume,SurfaceArea,SurfaceVolumeRatio,Sphericity,"
    "Maximum3DDiameter,MajorAxisLength,MinorAxisLength,LeastAxisLength,Elongation,Flatness,"
    "status";
const std::string columns_2d =
    "case,label,PixelSurface,MeshSurface,Perimeter,PerimeterSurfaceRatio,Sphericity,"
    "MaximumDiameter,MajorAxisLength,MinorAxisLength,Elongation,status";

struct golden_case {
  int dim = 3;
  std::array<std::size_t, 3> shape{1, 1, 1};
  discgeom::vec3 spacing{1.0, 1.0, 1.0};
  std::vector<std::uint8_t> mask;  // x fastest
  std::map<std::string, double> features;
};

// One case of tests/data/pyradiomics_shape_golden.txt (format: the generator's docstring).
golden_case golden(const std::string& wanted) {
  std::ifstream in(DISCGEOM_TEST_DATA_DIR "/pyradiomics_shape_golden.txt");
  std::string line, name;
  golden_case c;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key;
    words >> key;
    if (key == "case")
      words >> name;
    if (name != wanted)
      continue;
    if (key == "dim") {
      words >> c.dim;
    } else if (key == "shape") {
      for (int d = 0; d < c.dim; ++d)
        words >> c.shape[static_cast<std::size_t>(d)];
    } else if (key == "spacing") {
      for (int d = 0; d < c.dim; ++d)
        words >> c.spacing[static_cast<std::size_t>(d)];
    } else if (key == "mask") {
      int value = 0;
      std::size_t count = 0;
      while (words >> value >> count)
        c.mask.insert(c.mask.end(), count, static_cast<std::uint8_t>(value));
    } else if (key == "feature") {
      std::string feature, value;
      words >> feature >> value;
      c.features[feature] = value == "nan" ? std::nan("") : std::stod(value);
    }
  }
  REQUIRE(!c.mask.empty());
  return c;
}

// The case as a label image (label `label`), written with discgeom's writer (3D; a 2D case
// becomes a volume of one slice). NIfTI stores the spacing in single precision (0.8 becomes
// 0.800000011920929), so the runs below give the exact spacing with --spacing.
fs::path write_case(const golden_case& c, const std::string& file, std::uint8_t label = 1) {
  auto img = discgeom::image<std::uint8_t>::filled(c.shape, {.spacing = c.spacing}, 0);
  for (std::size_t v = 0; v < c.mask.size(); ++v)
    img.voxels.data()[v] = c.mask[v] ? label : 0;
  const fs::path path = scratch() / file;
  discgeom::write_image(path, img);
  return path;
}

// A 2D MetaImage (NDims = 2) of the case, written by hand: discgeom's writer writes 3D only.
std::string spacing_of(const golden_case& c) {
  std::ostringstream text;
  text.precision(17);
  text << " --spacing " << c.spacing[0] << "," << c.spacing[1] << "," << c.spacing[2];
  return text.str();
}

fs::path write_2d_mha(const golden_case& c, const std::string& file) {
  const fs::path path = scratch() / file;
  std::ofstream out(path, std::ios::binary);
  out << "ObjectType = Image\nNDims = 2\nBinaryData = True\nBinaryDataByteOrderMSB = False\n"
      << "CompressedData = False\nTransformMatrix = 1 0 0 1\nOffset = 0 0\n"
      << "ElementSpacing = " << c.spacing[0] << " " << c.spacing[1] << "\n"
      << "DimSize = " << c.shape[0] << " " << c.shape[1] << "\n"
      << "ElementType = MET_UCHAR\nElementDataFile = LOCAL\n";
  out.write(reinterpret_cast<const char*>(c.mask.data()),
            static_cast<std::streamsize>(c.mask.size()));
  return path;
}

std::string header_of(const std::string& csv) {
  return csv.substr(0, csv.find('\n'));
}

// The golden cases with ambiguous faces, where our mesh (closed, the same under mirroring)
// differs from pyradiomics' by design (tests/geometry/shape_features.cpp measures how much).
bool mesh_differs(const std::string& name) {
  return name.rfind("two_voxels_edge", 0) == 0 || name.rfind("random_voxels", 0) == 0 ||
         name.rfind("four_voxels", 0) == 0;
}

bool mesh_derived(const std::string& feature) {
  return feature == "MeshVolume" || feature == "SurfaceArea" || feature == "SurfaceVolumeRatio" ||
         feature == "Sphericity" || feature == "Compactness1" || feature == "Compactness2" ||
         feature == "SphericalDisproportion";
}

void check_row(const std::map<std::string, std::string>& row, const golden_case& c,
               const std::string& name = "") {
  for (const auto& [feature, value] : c.features) {
    if (row.find(feature) == row.end())
      continue;  // Compactness1 etc. in 3D; the 2D table has no VoxelVolume
    if (c.dim == 3 && mesh_differs(name) && mesh_derived(feature))
      continue;  // checked against the library in the test below
    INFO(feature << ": " << row.at(feature) << " vs pyradiomics " << value);
    const bool zero_eigenvalue = (feature.find("AxisLength") != std::string::npos ||
                                  feature == "Elongation" || feature == "Flatness") &&
                                 std::abs(value) < 2e-7;
    if (std::isnan(value))
      CHECK(row.at(feature).empty());  // NaN is written empty
    else if (zero_eigenvalue)          // see tests/geometry/shape_features.cpp
      CHECK(std::abs(number(row, feature)) <= 2e-7);
    else
      CHECK(std::abs(number(row, feature) - value) <= 1e-9 * std::max(1.0, std::abs(value)));
  }
}

}  // namespace

TEST_CASE("shape: a 3D label image gives the contract's columns and pyradiomics' values") {
  for (const std::string name :
       {"sphere_r6_0.8x1.0x2.0", "random_voxels_0.7x1.1x1.9", "two_voxels_edge_contact_0.5x0.7x1.1",
        "single_voxel_1x2x3", "four_voxels_open_mesh_0.8x1.1x2.5"}) {
    INFO(name);
    const auto c = golden(name);
    const auto result = run("shape " + write_case(c, name + ".nii.gz", 7).string() + spacing_of(c));
    CHECK(result.status == 0);
    CHECK(result.err.empty());
    CHECK(header_of(result.out).rfind(columns_3d + ",", 0) == 0);
    const auto rows = parse_csv(result.out);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].at("case") == name);
    CHECK(rows[0].at("label") == "7");
    CHECK(rows[0].at("status") == (name.rfind("single", 0) == 0 ? "single voxel" : "ok"));
    check_row(rows[0], c, name);
    if (mesh_differs(name)) {  // the library's values (its tests compare them with pyradiomics')
      auto img = discgeom::image<std::uint8_t>::filled(c.shape, {.spacing = c.spacing}, 0);
      std::copy(c.mask.begin(), c.mask.end(), img.voxels.data());
      const auto f = discgeom::label_shapes_3d(img, img.geometry).at(0);
      CHECK(number(rows[0], "MeshVolume") == Approx(f.mesh_volume_mm3).epsilon(1e-9));
      CHECK(number(rows[0], "SurfaceArea") == Approx(f.surface_area_mm2).epsilon(1e-9));
      CHECK(number(rows[0], "Sphericity") == Approx(f.sphericity).epsilon(1e-9));
      CHECK(number(rows[0], "SurfaceVolumeRatio") ==
            Approx(f.surface_volume_ratio_per_mm).epsilon(1e-9));
    }
    // IBSI's axis lengths: sqrt(N / (N - 1)) times pyradiomics'.
    if (name.rfind("single", 0) != 0) {
      const double n = number(rows[0], "voxels");
      CHECK(number(rows[0], "MajorAxisLengthIBSI") ==
            Approx(number(rows[0], "MajorAxisLength") * std::sqrt(n / (n - 1))));
    }
  }
}

TEST_CASE("shape: a 2D image and a volume of one slice give the 2D columns and values") {
  const auto ellipse = golden("tilted_ellipse_0.5x0.8");
  const auto flat = run("shape " + write_2d_mha(ellipse, "ellipse_2d.mha").string());
  CHECK(flat.status == 0);
  CHECK(flat.err.empty());
  CHECK(header_of(flat.out).rfind(columns_2d + ",", 0) == 0);
  auto rows = parse_csv(flat.out);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].at("case") == "ellipse_2d");
  check_row(rows[0], ellipse);

  const auto pixels = golden("random_pixels_0.6x0.9");
  const fs::path slice = write_case(pixels, "random_slice.nii.gz", 3);
  const auto one_slice = run("shape " + slice.string() + spacing_of(pixels));
  CHECK(one_slice.status == 0);
  CHECK(header_of(one_slice.out).rfind(columns_2d + ",", 0) == 0);
  rows = parse_csv(one_slice.out);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].at("label") == "3");
  check_row(rows[0], pixels);

  // Both in one batch: one 2D table.
  const auto both =
      run("shape " + write_2d_mha(ellipse, "ellipse_2d.mha").string() + " " + slice.string());
  CHECK(both.status == 0);
  CHECK(parse_csv(both.out).size() == 2);

  // --dimensions 3d: the slice as a slab one voxel thick (pyradiomics' 3D class on it).
  const auto slab = run("shape --dimensions 3d " + slice.string());
  CHECK(slab.status == 0);
  CHECK(header_of(slab.out).rfind(columns_3d + ",", 0) == 0);
  rows = parse_csv(slab.out);
  REQUIRE(rows.size() == 1);
  CHECK(number(rows[0], "VoxelVolume") == Approx(pixels.features.at("PixelSurface") * 1.0));
}

TEST_CASE("shape: labels in order, absent ones 'empty', an image without labels 'no labels'") {
  const discgeom::image_geometry g{.spacing = {0.5, 0.5, 3.0}};
  auto img = discgeom::image<std::int16_t>::filled({12, 10, 5}, g, 0);
  for (std::size_t k = 1; k < 4; ++k)
    for (std::size_t j = 2; j < 8; ++j)
      for (std::size_t i = 1; i < 11; ++i)
        img.voxels(i, j, k) = i < 6 ? 201 : 202;
  const fs::path path = scratch() / "two_discs.nii.gz";
  discgeom::write_image(path, img);
  auto rows = parse_csv(run("shape " + path.string()).out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].at("label") == "201");
  CHECK(rows[1].at("label") == "202");
  CHECK(number(rows[0], "VoxelVolume") == Approx(5 * 6 * 3 * 0.75));

  const auto chosen = run("shape " + path.string() + " --labels 202,5");
  CHECK(chosen.status == 0);
  rows = parse_csv(chosen.out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].at("label") == "202");
  CHECK(rows[1].at("label") == "5");
  CHECK(rows[1].at("status") == "empty");
  CHECK(rows[1].at("VoxelVolume") == "0");
  CHECK(rows[1].at("Sphericity").empty());

  const fs::path blank = scratch() / "blank.nii.gz";
  discgeom::write_image(blank, discgeom::image<std::uint8_t>::filled({4, 4, 4}, g, 0));
  const auto none = run("shape " + blank.string());
  CHECK(none.status == 0);
  rows = parse_csv(none.out);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].at("status") == "no labels");
  CHECK(rows[0].at("label").empty());

  // JSON: the same records.
  const auto json = run("shape " + path.string() + " --format json");
  CHECK(json.status == 0);
  const auto records = nlohmann::json::parse(json.out);
  REQUIRE(records.size() == 2);
  CHECK(records[1]["label"] == 202);
  CHECK(records[1]["status"] == "ok");
}

TEST_CASE("shape: bad input exits 1 with a row and a line naming the file, bad usage exits 2") {
  const auto sphere = golden("sphere_r6_0.8x1.0x2.0");
  const fs::path good = write_case(sphere, "good_sphere.nii.gz");
  const fs::path missing = scratch() / "missing.nii.gz";
  const auto batch = run("shape " + missing.string() + " " + good.string());
  CHECK(batch.status == 1);
  CHECK(batch.err.find(missing.string()) != std::string::npos);
  auto rows = parse_csv(batch.out);
  REQUIRE(rows.size() == 2);  // the batch went on
  CHECK(rows[0].at("case") == "missing");
  CHECK(rows[0].at("status").rfind("error: ", 0) == 0);
  CHECK(rows[1].at("status") == "ok");

  // A 2D image in a 3D batch: its row says so; the 3D table is kept.
  const auto mixed = run("shape " + good.string() + " " +
                         write_2d_mha(golden("tilted_ellipse_0.5x0.8"), "mixed_2d.mha").string());
  CHECK(mixed.status == 1);
  CHECK(header_of(mixed.out).rfind(columns_3d, 0) == 0);
  rows = parse_csv(mixed.out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].at("status").find("2D") != std::string::npos);

  // --dimensions 2d of a volume.
  const auto not_flat = run("shape --dimensions 2d " + good.string());
  CHECK(not_flat.status == 1);
  CHECK(not_flat.err.find("--dimensions 2d needs a 2D image or a volume of one slice") !=
        std::string::npos);

  // Labels that are not whole numbers, a non-integer label image, unknown choices.
  for (const std::string bad : {"--labels 0", "--labels a", "--labels 1,,2", "--labels 3,3",
                                "--dimensions 4d", "--bogus"}) {
    INFO(bad);
    const auto refused = run("shape " + good.string() + " " + bad);
    CHECK(refused.status == 2);
    CHECK(refused.out.empty());
  }
  const fs::path fractional = scratch() / "fractional.nii.gz";
  discgeom::write_image(fractional, discgeom::image<float>::filled({3, 3, 3}, {}, 0.5f));
  const auto not_labels = run("shape " + fractional.string());
  CHECK(not_labels.status == 1);
  CHECK(not_labels.err.find(fractional.string()) != std::string::npos);
  CHECK(run("shape").status == 2);
}
