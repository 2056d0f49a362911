// SPDX-License-Identifier: MIT
// `discgeom segment` and `discgeom train-seg` run as a user runs them: the golden TorchScript
// model of tests/golden/make_segmenter_golden.py, a tiny native U-Net trained on synthetic
// images, and bad inputs.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "cli/cli_helpers.hpp"
#include "discgeom/io/image_io.hpp"
#include "discgeom/io/npy.hpp"

namespace fs = std::filesystem;
using namespace cli_test;

namespace {

const std::string data_dir = DISCGEOM_TEST_DATA_DIR "/";

// The golden input volume as an image at the model's spacing (1 x 1 x 2 mm).
fs::path write_golden_image(const fs::path& folder, const std::string& name,
                            discgeom::vec3 spacing = {1.0, 1.0, 2.0}) {
  auto img = discgeom::read_npy<float>(data_dir + "segmenter_input.npy");
  img.geometry.spacing = spacing;
  fs::create_directories(folder);
  const fs::path path = folder / name;
  discgeom::write_image(path, img, img.geometry);
  return path;
}

// A T1-like image with two bright slabs (discs) in noise beside its SPIDER mask (201, 202).
void write_case(const fs::path& folder, const std::string& name, int variant) {
  const discgeom::image_geometry geometry{.spacing = {1.0, 1.0, 1.0}};
  auto t1 = discgeom::image<float>::filled({20, 20, 24}, geometry, 0.0f);
  auto mask = discgeom::image<std::uint16_t>::filled({20, 20, 24}, geometry, 0);
  std::mt19937 generator(static_cast<unsigned>(variant + 1));
  std::normal_distribution<float> noise(0.0f, 0.08f);
  for (std::size_t k = 0; k < 24; ++k)
    for (std::size_t j = 0; j < 20; ++j)
      for (std::size_t i = 0; i < 20; ++i) {
        const double x = (static_cast<double>(i) - 9.5) / (6.0 + variant % 2),
                     y = (static_cast<double>(j) - 9.5) / 5.0;
        std::uint16_t label = 0;
        for (int d = 0; d < 2; ++d) {
          const double z = (static_cast<double>(k) - (6.0 + 11.0 * d + variant % 2)) / 2.5;
          if (x * x + y * y + z * z <= 1.0)
            label = static_cast<std::uint16_t>(201 + d);
        }
        mask.voxels(i, j, k) = label;
        t1.voxels(i, j, k) = (label ? 1.0f : 0.25f) + noise(generator);
      }
  fs::create_directories(folder);
  discgeom::write_image(folder / (name + "_t1.nii.gz"), t1, geometry);
  discgeom::write_image(folder / (name + ".nii.gz"), mask, geometry);
}

}  // namespace

TEST_CASE("segment: the golden TorchScript model writes Python's labels") {
  const fs::path folder = scratch() / "segment_golden";
  fs::remove_all(folder);
  const auto image = write_golden_image(folder / "in", "case1_t1.nii.gz");
  const auto r =
      run("segment --model " + data_dir + "segmenter_tiny.pt " + image.string() + " --out " +
          (folder / "out").string() + " --labels classes --no-cleanup --patch 12,10,8 --threads 1");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].at("case") == "case1");
  CHECK(rows[0].at("status") == "ok");
  CHECK(rows[0].at("windows") == "1");
  const auto labels = discgeom::read_image<std::uint16_t>(folder / "out" / "case1.nii.gz");
  CHECK(labels.geometry.spacing == discgeom::vec3{1.0, 1.0, 2.0});
  // --no-cleanup: Python's argmax as it is, voxel for voxel.
  const auto expected = discgeom::read_npy<float>(data_dir + "segmenter_labels.npy");
  std::size_t differ = 0;
  for (std::size_t n = 0; n < expected.voxels.size(); ++n)
    differ += labels.voxels.data()[n] != static_cast<std::uint16_t>(expected.voxels.data()[n]);
  CHECK(differ == 0);
  CHECK(fs::is_regular_file(folder / "out" / "case1.nii.gz"));
  for (const auto& entry : fs::directory_iterator(folder / "out"))
    CHECK(entry.path().string().find(".partial") == std::string::npos);
}

TEST_CASE(
    "segment: a 2D TorchScript model runs slice by slice, with --slice-plane when it names none") {
  // tests/golden/make_segmenter2d_golden.py: Python's slice-by-slice labels of its sagittal slices.
  const fs::path folder = scratch() / "segment_golden_2d";
  fs::remove_all(folder);
  auto img = discgeom::read_npy<float>(data_dir + "segmenter2d_input.npy");
  img.geometry.spacing = {4.0, 0.5, 0.5};
  fs::create_directories(folder / "in");
  const fs::path image = folder / "in" / "case2_t1.nii.gz";
  discgeom::write_image(image, img, img.geometry);
  const auto expected = discgeom::read_npy<float>(data_dir + "segmenter2d_labels.npy");
  const std::string common = " " + image.string() + " --out " + (folder / "out").string() +
                             " --labels classes --no-cleanup --patch 12,12,10 --threads 1";
  for (const std::string model : {"segmenter2d_tiny.pt", "segmenter2d_no_plane.pt"}) {
    const bool named = model == "segmenter2d_tiny.pt";
    const auto r = run("segment --model " + data_dir + model + common +
                       (named ? std::string() : std::string(" --slice-plane sagittal")));
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto rows = parse_csv(r.out);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].at("windows") == "6");  // one window per sagittal slice
    const auto labels = discgeom::read_image<std::uint16_t>(folder / "out" / "case2.nii.gz");
    std::size_t differ = 0;
    for (std::size_t n = 0; n < expected.voxels.size(); ++n)
      differ += labels.voxels.data()[n] != static_cast<std::uint16_t>(expected.voxels.data()[n]);
    CHECK(differ == 0);
  }
  // Without the plane: that image's error, saying how to give it.
  const auto missing = run("segment --model " + data_dir + "segmenter2d_no_plane.pt" + common);
  CHECK(missing.status == 1);
  CHECK(missing.err.find("names no slice plane") != std::string::npos);
  CHECK(missing.err.find("--slice-plane") != std::string::npos);
  const auto bad = run("segment --model " + data_dir + "segmenter2d_tiny.pt" + common +
                       " --slice-plane oblique");
  CHECK(bad.status == 2);
  CHECK(bad.err.find("--slice-plane 'oblique' must be sagittal, coronal, axial or an array axis") !=
        std::string::npos);
}

TEST_CASE("segment: bad inputs exit 1 with one line naming the file, the batch goes on") {
  const fs::path folder = scratch() / "segment_bad";
  fs::remove_all(folder);
  const auto good = write_golden_image(folder / "in", "good_t1.nii.gz");
  // An image with a NaN voxel.
  auto img = discgeom::read_npy<float>(data_dir + "segmenter_input.npy");
  img.geometry.spacing = {1.0, 1.0, 2.0};
  img.voxels(2, 3, 4) = std::numeric_limits<float>::quiet_NaN();
  // MetaImage: ITK's NIfTI reader turns a stored NaN into 0, its MetaImage reader keeps it.
  const fs::path nan_image = folder / "in" / "nan_t1.mha";
  discgeom::write_image(nan_image, img, img.geometry);
  const std::string model = data_dir + "segmenter_tiny.pt";
  const std::string out = " --out " + (folder / "out").string() + " --patch 12,10,8 --quiet";

  auto r = run("segment --model " + model + " " + nan_image.string() + " " + good.string() + out);
  CHECK(r.status == 1);
  CHECK(r.err.find(nan_image.string()) != std::string::npos);
  CHECK(r.err.find("1 non-finite voxels") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  const auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].at("status") == "failed");
  CHECK(rows[1].at("status") == "ok");
  CHECK(fs::is_regular_file(folder / "out" / "good.nii.gz"));

  r = run("segment --model " + data_dir + "segmenter_two_channels.pt " + good.string() + out);
  CHECK(r.status == 1);
  CHECK(r.err.find("segmenter_two_channels.pt") != std::string::npos);
  CHECK(r.err.find("expects 2 input channels, the images have 1") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);

  r = run("segment --model " + model + " --model-spacing 1.4,1.2,1.5 " + good.string() + out);
  CHECK(r.status == 1);
  CHECK(r.err.find("segmenter_tiny.pt works at spacing [1,1,2] mm, but spacing [1.4,1.2,1.5] "
                   "mm was asked for") != std::string::npos);

  r = run("segment --model " + data_dir + "segmenter_no_metadata.pt " + good.string() + out);
  CHECK(r.status == 1);
  CHECK(r.err.find("segmenter_no_metadata.pt carries no discgeom_spacing") != std::string::npos);
  r = run("segment --model " + data_dir + "segmenter_no_metadata.pt --model-spacing 1,1,2 " +
          good.string() + out);
  CHECK(r.status == 0);

  const fs::path text = folder / "not_a_model.pt";
  std::ofstream(text) << "not a model";
  r = run("segment --model " + text.string() + " " + good.string() + out);
  CHECK(r.status == 1);
  CHECK(r.err.find(text.string()) != std::string::npos);
  CHECK(r.err.find("not a TorchScript file") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);

  r = run("segment --model " + model + " " + good.string() + " --out " + folder.string() +
          " --normalise minmax");
  CHECK(r.status == 2);
  CHECK(r.err.find("--normalise 'minmax' must be zscore or percentile") != std::string::npos);
}

TEST_CASE("train-seg: a tiny U-Net from image/mask pairs in one folder, then segment") {
  const fs::path folder = scratch() / "train_seg";
  fs::remove_all(folder);
  for (int v = 0; v < 4; ++v)
    write_case(folder / "data", "case" + std::to_string(v), v);
  const fs::path model = folder / "model" / "unet.pt";
  const std::string data = (folder / "data").string();
  const std::string command = "train-seg --images " + data + " --masks " + data + " --out " +
                              model.string() +
                              " --epochs 3 --patience 15 --seed 3 --patch 16,16,16 --channels 4,8"
                              " --batches-per-epoch 2 --learning-rate 0.01 --threads 2 --quiet";
  auto r = run(command);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("3 training and 1 validation cases") != std::string::npos);
  const auto curve = parse_csv(slurp(model.string() + ".training.csv"));
  REQUIRE(curve.size() == 3);
  CHECK(curve[0].count("validation_iou") == 1);
  const auto split = parse_csv(slurp(model.string() + ".split.csv"));
  REQUIRE(split.size() == 4);
  const std::string first_curve = slurp(model.string() + ".training.csv");
  // Seeded: the same command gives the same curve.
  r = run(command);
  REQUIRE(r.status == 0);
  CHECK(slurp(model.string() + ".training.csv") == first_curve);

  // The native model segments a new case into SPIDER discs 201 and 202.
  write_case(folder / "new", "fresh", 1);
  r = run("segment --model " + model.string() + " " +
          (folder / "new" / "fresh_t1.nii.gz").string() + " --out " + (folder / "seg").string() +
          " --threads 2");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].at("case") == "fresh");
  CHECK(rows[0].at("labels") == "spider");
  CHECK(fs::is_regular_file(folder / "seg" / "fresh.nii.gz"));
}

TEST_CASE(
    "train-seg --dims 2: a 2D U-Net on sagittal slices, then segment runs it slice by slice") {
  const fs::path folder = scratch() / "train_seg_2d";
  fs::remove_all(folder);
  for (int v = 0; v < 4; ++v)
    write_case(folder / "data", "case" + std::to_string(v), v);
  const fs::path model = folder / "unet2d.pt";
  const std::string data = (folder / "data").string();
  const std::string common = "train-seg --images " + data + " --masks " + data + " --out " +
                             model.string() +
                             " --epochs 3 --patience 15 --seed 3 --patch 16 --channels 4,8"
                             " --batches-per-epoch 2 --learning-rate 0.01 --threads 2 --quiet";
  CHECK(run(common + " --dims 2").status == 2);                // no plane
  CHECK(run(common + " --slice-plane sagittal").status == 2);  // a plane for a 3D U-Net
  auto r = run(common + " --dims 2 --slice-plane sagittal");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("channels 4-8, 2D") != std::string::npos);
  REQUIRE(parse_csv(slurp(model.string() + ".training.csv")).size() == 3);
  // segment needs no --slice-plane: the file holds it. 20 sagittal slices (array axis 0 of the
  // LPS image), each 20 x 24 in 2 x 2 windows of 16 x 16.
  write_case(folder / "new", "fresh", 1);
  r = run("segment --model " + model.string() + " " +
          (folder / "new" / "fresh_t1.nii.gz").string() + " --out " + (folder / "seg").string() +
          " --labels classes --threads 2");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].at("windows") == "80");
  CHECK(fs::is_regular_file(folder / "seg" / "fresh.nii.gz"));
}

TEST_CASE("train-seg: missing and mismatched masks exit 1 naming the files") {
  const fs::path folder = scratch() / "train_seg_bad";
  fs::remove_all(folder);
  write_case(folder / "images", "a", 0);
  write_case(folder / "images", "b", 1);
  // A mask of another shape for b.
  discgeom::write_image(folder / "images" / "b.nii.gz",
                        discgeom::image<std::uint16_t>::filled({8, 8, 8}, {}, 0),
                        discgeom::image_geometry{});
  const std::string data = (folder / "images").string();
  auto r = run("train-seg --images " + data + " --masks " + data + " --out " +
               (folder / "m.pt").string() + " --epochs 1 --quiet");
  CHECK(r.status == 1);
  CHECK(r.err.find("b_t1.nii.gz and ") != std::string::npos);
  CHECK(r.err.find("differ in shape or geometry") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);

  fs::remove(folder / "images" / "b.nii.gz");
  r = run("train-seg --images " + data + " --masks " + data + " --out " +
          (folder / "m.pt").string() + " --epochs 1 --quiet");
  CHECK(r.status == 1);
  CHECK(r.err.find("b_t1.nii.gz: no mask b.nii.gz") != std::string::npos);
  CHECK_FALSE(fs::exists(folder / "m.pt"));
}
