// SPDX-License-Identifier: MIT
// `discgeom crop`, `train-ae`, `encode` and `traverse` run as a user runs them, on small
// generated spines with a tiny architecture.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include <catch2/catch.hpp>

#include "cli/cli_helpers.hpp"
#include "discgeom/io/image_io.hpp"
#include "discgeom/io/npy.hpp"
#include "discgeom/transform/crop.hpp"

namespace fs = std::filesystem;
using namespace cli_test;

namespace {

// A sagittal spine (LR x AP x SI at 1 x 1 x 2 mm) with discs 201-203: ellipsoids whose AP and
// SI semi-axes depend on the case.
fs::path write_spine(const std::string& name, int variant) {
  const discgeom::image_geometry geometry{.spacing = {1.0, 1.0, 2.0}};
  auto img = discgeom::image<std::uint16_t>::filled({24, 32, 24}, geometry, 0);
  for (int d = 0; d < 3; ++d) {
    const double ck = 4.0 + 7.0 * d, a = 8.0, b = 9.0 + variant, c = 2.0 + 0.5 * (variant % 2);
    for (int k = 0; k < 24; ++k)
      for (int j = 0; j < 32; ++j)
        for (int i = 0; i < 24; ++i) {
          const double x = (i - 11.5) / a, y = (j - 15.5) / b, z = (2.0 * (k - ck)) / c;
          if (x * x + y * y + z * z <= 1.0)
            img.voxels(i, j, k) = static_cast<std::uint16_t>(201 + d);
        }
  }
  const fs::path path = scratch() / "spines" / (name + ".nii.gz");
  fs::create_directories(path.parent_path());
  discgeom::write_image(path, img);
  return path;
}

std::string spines() {
  std::string files;
  for (int v = 0; v < 4; ++v) {  // appended piece by piece: GCC 12 -O3 warns falsely on " " + s
    files += ' ';
    files += write_spine("case" + std::to_string(v), v).string();
  }
  return files;
}

void spit(const fs::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

// The offset and length of the largest entry's data in a LibTorch (zip) archive, found from its
// local headers: a weight tensor's bytes.
std::pair<std::size_t, std::size_t> largest_entry(const std::string& bytes) {
  const auto u16 = [&](std::size_t at) {
    return static_cast<std::size_t>(static_cast<unsigned char>(bytes[at])) |
           static_cast<std::size_t>(static_cast<unsigned char>(bytes[at + 1])) << 8;
  };
  std::pair<std::size_t, std::size_t> largest{0, 0};
  for (auto at = bytes.find("PK\x03\x04"); at != std::string::npos;) {
    const std::size_t data = at + 30 + u16(at + 26) + u16(at + 28);
    auto next = bytes.find("PK\x03\x04", data);
    const std::size_t end = next == std::string::npos ? bytes.find("PK\x01\x02", data) : next;
    if (end != std::string::npos && end - data > largest.second)
      largest = {data, end - data};
    at = next;
  }
  REQUIRE(largest.second > 64);
  return largest;
}

bool no_partial_files(const fs::path& folder) {
  for (const auto& entry : fs::recursive_directory_iterator(folder))
    if (entry.path().extension() == ".partial")
      return false;
  return true;
}

}  // namespace

TEST_CASE("crop, train-ae, encode, traverse: the pipeline of a tiny model") {
  const fs::path crops = scratch() / "crops";
  fs::remove_all(crops);
  const auto crop =
      run("crop" + spines() + " --out " + crops.string() + " --size 16 --spacing 2,2,2 --quiet");
  REQUIRE(crop.status == 0);
  const auto index = parse_csv(slurp(crops / "index.csv"));
  REQUIRE(index.size() == 12);  // 4 cases x 3 discs
  CHECK(index[0].at("case") == "case0");
  CHECK(index[0].at("level") == "L5/S1");
  CHECK(index[0].at("file") == "case0_L5-S1.npy");
  CHECK(index[0].at("fits") == "1");
  CHECK(index[0].at("spacing_z_mm") == "2");
  const auto first = discgeom::read_npy<std::uint8_t>(crops / "case0_L5-S1.npy");
  CHECK(first.shape() == std::array<std::size_t, 3>{16, 16, 16});
  std::size_t voxels = 0;
  for (auto v : first.voxels)
    voxels += v;
  CHECK(std::to_string(voxels) == index[0].at("crop_voxels"));

  const fs::path model = scratch() / "model.pt";
  const auto train = run("train-ae --crops " + crops.string() + " --out " + model.string() +
                         " --channels 4,8 --bottleneck 3 --epochs 3 --seed 2 --threads 1 --quiet");
  REQUIRE(train.status == 0);
  CHECK(train.out.find("after 3 epochs") != std::string::npos);
  CHECK(fs::exists(model));
  CHECK(fs::exists(model.string() + ".checkpoint"));
  const auto curve = parse_csv(slurp(model.string() + ".training.csv"));
  REQUIRE(curve.size() == 3);
  CHECK(number(curve[2], "epoch") == 3);

  // Resuming to 4 epochs continues the curve.
  const auto resumed = run("train-ae --crops " + crops.string() + " --out " + model.string() +
                           " --channels 4,8 --bottleneck 3 --epochs 4 --seed 2 --threads 1 "
                           "--resume --quiet");
  REQUIRE(resumed.status == 0);
  const auto longer = parse_csv(slurp(model.string() + ".training.csv"));
  REQUIRE(longer.size() == 4);
  CHECK(longer[2].at("loss") == curve[2].at("loss"));

  const fs::path latents = scratch() / "latents.csv";
  const auto encode = run("encode --model " + model.string() + " --crops " + crops.string() +
                          " --out " + latents.string());
  REQUIRE(encode.status == 0);
  CHECK(slurp(latents).rfind("case,level,z0,z1,z2\n", 0) == 0);
  REQUIRE(parse_csv(slurp(latents)).size() == 12);

  const fs::path out = scratch() / "traversal";
  const auto traverse =
      run("traverse --model " + model.string() + " --latents " + latents.string() + " --crops " +
          crops.string() + " --out " + out.string() + " --steps 4");
  REQUIRE(traverse.status == 0);
  const auto grid = parse_csv(slurp(out / "grid.csv"));
  REQUIRE(grid.size() == 3 * 4);
  CHECK(grid[5].at("feature") == "1");
  CHECK(grid[5].at("step") == "1");
  CHECK(grid[0].count("height_mm") == 1);
  CHECK(grid[0].count("plausibility") == 1);
  CHECK(fs::file_size(out / "traversal.png") > 100);
  const auto correlations = parse_csv(slurp(out / "correlations.csv"));
  CHECK(correlations.size() == 3 * 8);
  CHECK(correlations[0].at("x") == "z0");
  CHECK(correlations[0].at("y") == "volume_mm3");
  CHECK(correlations[0].at("n") == "12");
  // A sweep of bottleneck sizes: a model per size and the summary table.
  const fs::path sweep = scratch() / "sweep";
  const auto swept = run("train-ae --crops " + crops.string() + " --out " + sweep.string() +
                         " --channels 4,8 --bottleneck 1,2 --epochs 2 --threads 1 --quiet");
  REQUIRE(swept.status == 0);
  const auto summary = parse_csv(slurp(sweep / "sweep.csv"));
  REQUIRE(summary.size() == 2);
  CHECK(summary[1].at("bottleneck") == "2");
  CHECK(summary[1].at("epochs") == "2");
  CHECK(summary[1].at("discs") == "12");
  CHECK(number(summary[1], "ci_low") <= number(summary[1], "mean_iou"));
  CHECK(fs::exists(sweep / "bottleneck_1.pt"));
  CHECK(no_partial_files(scratch()));
}

TEST_CASE("autoencoder commands: bad crops, models and latents exit 1 naming the file") {
  const fs::path crops = scratch() / "bad_crops";
  fs::remove_all(crops);
  REQUIRE(run("crop" + spines() + " --out " + crops.string() + " --size 16 --spacing 2,2,2 --quiet")
              .status == 0);
  // Mixed sizes: one crop rewritten at 8^3.
  const auto mixed = crops / "case1_L4-L5.npy";
  discgeom::write_npy(mixed, discgeom::image<std::uint8_t>::filled({8, 8, 8}, {}, 1));
  const fs::path model = scratch() / "bad_model.pt";
  const auto train = run("train-ae --crops " + crops.string() + " --out " + model.string() +
                         " --channels 4,8 --epochs 1 --quiet");
  CHECK(train.status == 1);
  CHECK(train.err.find(mixed.string()) != std::string::npos);
  CHECK(train.err.find("one folder holds one crop size") != std::string::npos);
  CHECK_FALSE(fs::exists(model));
  // An empty crop.
  discgeom::write_npy(mixed, discgeom::image<std::uint8_t>::filled({16, 16, 16}, {}, 0));
  const auto empty = run("train-ae --crops " + crops.string() + " --out " + model.string() +
                         " --channels 4,8 --epochs 1 --quiet");
  CHECK(empty.status == 1);
  CHECK(empty.err.find("holds no disc voxel") != std::string::npos);
  discgeom::write_npy(mixed, discgeom::image<std::uint8_t>::filled({16, 16, 16}, {}, 1));

  REQUIRE(run("train-ae --crops " + crops.string() + " --out " + model.string() +
              " --channels 4,8 --bottleneck 2 --epochs 1 --threads 1 --quiet")
              .status == 0);
  // A damaged model (a byte flipped in a weight): refused in one line naming the file and the
  // zip entry, no backtrace, nothing written.
  const std::string model_bytes = slurp(model);
  std::string flipped = model_bytes;
  const auto [weights, weight_bytes] = largest_entry(model_bytes);
  flipped[weights + weight_bytes / 2] ^= 0x20;
  spit(model, flipped);
  const auto damaged = run("encode --model " + model.string() + " --crops " + crops.string() +
                           " --out " + (scratch() / "never.csv").string());
  CHECK(damaged.status == 1);
  CHECK(damaged.err.find("discgeom encode: load_autoencoder(): " + model.string() +
                         ": damaged archive: entry '") == 0);
  CHECK(damaged.err.find("has CRC-32") != std::string::npos);
  CHECK(std::count(damaged.err.begin(), damaged.err.end(), '\n') == 1);
  CHECK(damaged.err.find("Exception raised from") == std::string::npos);
  CHECK_FALSE(fs::exists(scratch() / "never.csv"));
  spit(model, model_bytes);
  // A crop whose shape's size wraps to zero (2^32 x 2^32 x 16 = 2^68): named, no crash.
  const std::string crop_bytes = slurp(mixed);
  std::string wrapped = crop_bytes;
  const auto shape_at = wrapped.find("(16, 16, 16)");
  REQUIRE(shape_at != std::string::npos);
  const std::string huge = "(4294967296, 4294967296, 16)";
  wrapped.replace(shape_at, 12, huge);
  wrapped.erase(wrapped.find('\n', shape_at) - (huge.size() - 12), huge.size() - 12);  // padding
  spit(mixed, wrapped);
  for (const std::string& command :
       {"train-ae --channels 4,8 --epochs 1 --quiet --out " + (scratch() / "never.pt").string(),
        "encode --model " + model.string() + " --out " + (scratch() / "never.csv").string()}) {
    const auto wraps = run(command + " --crops " + crops.string());
    CHECK(wraps.status == 1);
    CHECK(wraps.err.find(mixed.string() + ": shape (4294967296, 4294967296, 16)") !=
          std::string::npos);
  }
  CHECK_FALSE(fs::exists(scratch() / "never.pt"));
  spit(mixed, crop_bytes);
  // A zero spacing in the index: named with its row, line and column, no model written.
  const std::string index_text = slurp(crops / "index.csv");
  std::string zero = index_text;
  const auto row_start = zero.find('\n') + 1;
  auto cell = row_start;
  for (int comma = 0; comma < 9; ++comma)
    cell = zero.find(',', cell) + 1;
  zero.replace(cell, zero.find(',', cell) - cell, "0");
  spit(crops / "index.csv", zero);
  const auto zero_spacing =
      run("train-ae --crops " + crops.string() + " --out " + (scratch() / "never.pt").string() +
          " --channels 4,8 --epochs 1 --quiet");
  CHECK(zero_spacing.status == 1);
  CHECK(zero_spacing.err.find((crops / "index.csv").string() +
                              ": row 1 (line 2), column 'spacing_y_mm': spacing '0' mm is not a "
                              "positive number") != std::string::npos);
  CHECK_FALSE(fs::exists(scratch() / "never.pt"));
  spit(crops / "index.csv", index_text);
  // Latents with a code cell left empty: the latents file, row, line and column named.
  const fs::path holes = scratch() / "holes.csv";
  std::ofstream(holes) << "case,level,z0,z1\na,L1,1,2\nb,L2,2,\nc,L3,0,1\n";
  const auto hole = run("traverse --model " + model.string() + " --latents " + holes.string() +
                        " --out " + (scratch() / "hole_trav").string());
  CHECK(hole.status == 1);
  CHECK(hole.err.find(holes.string() + ": row 2 (line 3), column 'z1': no value") !=
        std::string::npos);
  // Latents of another bottleneck.
  const fs::path latents = scratch() / "bad_latents.csv";
  std::ofstream(latents) << "case,level,z0,z1,z2\na,L1,1,2,3\nb,L2,2,3,4\nc,L3,0,1,1\n";
  const auto traverse = run("traverse --model " + model.string() + " --latents " +
                            latents.string() + " --out " + (scratch() / "bad_trav").string());
  CHECK(traverse.status == 1);
  CHECK(traverse.err.find("bottleneck is 2") != std::string::npos);
  // A truncated model.
  fs::resize_file(model, fs::file_size(model) / 2);
  const auto encode = run("encode --model " + model.string() + " --crops " + crops.string() +
                          " --out " + (scratch() / "never.csv").string());
  CHECK(encode.status == 1);
  CHECK(encode.err.find(model.string()) != std::string::npos);
  CHECK_FALSE(fs::exists(scratch() / "never.csv"));
  // No index.
  const auto no_index = run("encode --model " + model.string() + " --crops " + scratch().string() +
                            "/nowhere --out x.csv");
  CHECK(no_index.status == 1);
  CHECK(no_index.err.find("no crop index") != std::string::npos);
  // Bad usage.
  CHECK(run("train-ae --crops " + crops.string()).status == 2);
  const auto zero_width = run("train-ae --crops " + crops.string() + " --out m.pt --channels 4,0");
  CHECK(zero_width.status == 2);
  CHECK(zero_width.err.find("--channels '4,0'") != std::string::npos);
  const auto bad_bottleneck =
      run("train-ae --crops " + crops.string() + " --out m.pt --bottleneck 4,x");
  CHECK(bad_bottleneck.status == 2);  // named as --bottleneck, never as --channels
  CHECK(bad_bottleneck.err.find("--bottleneck 'x'") != std::string::npos);
  CHECK(bad_bottleneck.err.find("--channels") == std::string::npos);
  CHECK(run("traverse --model m --latents l --out o --steps 1").status == 2);
  // An architecture the crop size cannot take: 16 is not a multiple of 2^5.
  const auto deep = run("train-ae --crops " + crops.string() + " --out " + model.string() +
                        " --channels 2,2,2,2,2,2 --epochs 1 --quiet");
  CHECK(deep.status == 2);
  CHECK(deep.err.find("the crops are 16^3") != std::string::npos);
}
