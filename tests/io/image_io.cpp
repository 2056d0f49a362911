// SPDX-License-Identifier: MIT
#include "discgeom/io/image_io.hpp"

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "discgeom/mask/labels.hpp"
#include "real_data.hpp"

namespace fs = std::filesystem;

namespace {

fs::path scratch_dir() {
  const fs::path dir = fs::temp_directory_path() / "discgeom_io_tests";
  fs::create_directories(dir);
  return dir;
}

discgeom::mat3 oblique_direction() {
  // Columns: axis 0 anterior-ish, axis 1 inferior-ish, axis 2 left-ish, rotated 10 degrees about
  // LR.
  const double c = std::cos(0.1745329252), s = std::sin(0.1745329252);
  return {{{0.0, 0.0, 1.0}, {-c, s, 0.0}, {-s, -c, 0.0}}};
}

// Writes a raw image through ITK with any dimension and component count (for bad-input files).
void write_raw(const fs::path& path, const std::vector<std::size_t>& shape, unsigned components) {
  discgeom::detail::register_image_io_factories();
  auto io = itk::ImageIOFactory::CreateImageIO(path.c_str(), itk::IOFileModeEnum::WriteMode);
  REQUIRE(io);
  io->SetNumberOfDimensions(static_cast<unsigned>(shape.size()));
  itk::ImageIORegion region(static_cast<unsigned>(shape.size()));
  std::size_t count = components;
  for (unsigned d = 0; d < shape.size(); ++d) {
    io->SetDimensions(d, shape[d]);
    io->SetSpacing(d, 1.0);
    io->SetOrigin(d, 0.0);
    std::vector<double> column(shape.size(), 0.0);
    column[d] = 1.0;
    io->SetDirection(d, column);
    region.SetIndex(d, 0);
    region.SetSize(d, shape[d]);
    count *= shape[d];
  }
  io->SetIORegion(region);
  io->SetPixelType(components == 1 ? itk::IOPixelEnum::SCALAR : itk::IOPixelEnum::VECTOR);
  io->SetNumberOfComponents(components);
  io->SetComponentType(itk::IOComponentEnum::UCHAR);
  io->SetFileName(path.string());
  std::vector<std::uint8_t> zeros(count, 0);
  io->WriteImageInformation();
  io->Write(zeros.data());
}

}  // namespace

TEST_CASE("write_image then read_image round-trips voxels and geometry in every format") {
  const discgeom::image_geometry geometry{.spacing = {0.4296875, 0.4296875, 4.4},
                                          .origin = {-12.5, 40.25, 101.0},
                                          .direction = oblique_direction()};
  auto labels = discgeom::image<std::int16_t>::filled({7, 5, 3}, geometry, 0);
  labels.voxels(6, 4, 2) = 201;
  labels.voxels(1, 2, 0) = -3;
  labels.voxels(0, 0, 1) = 100;
  for (const char* name : {"round.nii.gz", "round.nii", "round.mha", "round.nrrd"}) {
    const fs::path path = scratch_dir() / name;
    discgeom::write_image(path, labels);
    const auto back = discgeom::read_image<std::int16_t>(path);
    INFO(name);
    REQUIRE(back.shape() == labels.shape());
    CHECK(back.voxels == labels.voxels);
    for (std::size_t i = 0; i < 3; ++i) {
      CHECK(back.geometry.spacing[i] == Approx(geometry.spacing[i]).epsilon(1e-6));
      CHECK(back.geometry.origin[i] == Approx(geometry.origin[i]).epsilon(1e-6));
      for (std::size_t j = 0; j < 3; ++j) {
        CHECK(back.geometry.direction[i][j] == Approx(geometry.direction[i][j]).margin(1e-6));
      }
    }
    const auto header = discgeom::read_image_header(path);
    CHECK(header.shape == labels.shape());
    CHECK(header.component_type == "short");
  }
}

TEST_CASE("read_image converts only what it can represent exactly") {
  auto values = discgeom::image<float>::filled({3, 2, 2}, {}, 0.0f);
  values.voxels(2, 1, 1) = 201.0f;
  const fs::path whole = scratch_dir() / "whole.nii.gz";
  discgeom::write_image(whole, values);
  CHECK(discgeom::read_image<std::uint8_t>(whole).voxels(2, 1, 1) == 201);

  values.voxels(1, 0, 1) = 2.5f;
  const fs::path fractional = scratch_dir() / "fractional.nii.gz";
  discgeom::write_image(fractional, values);
  CHECK_THROWS_AS(discgeom::read_image<std::uint8_t>(fractional), discgeom::io_error);
  CHECK_THROWS_WITH(discgeom::read_image<std::uint8_t>(fractional),
                    Catch::Contains("holds the value 2.5 at voxel [1,0,1]"));
  CHECK(discgeom::read_image<double>(fractional).voxels(1, 0, 1) == 2.5);

  auto wide = discgeom::image<std::int32_t>::filled({2, 2, 2}, {}, 0);
  wide.voxels(1, 1, 1) = 300;
  const fs::path wide_path = scratch_dir() / "wide.mha";
  discgeom::write_image(wide_path, wide);
  CHECK_THROWS_WITH(discgeom::read_image<std::uint8_t>(wide_path),
                    Catch::Contains("holds the value 300 at voxel [1,1,1]"));
  CHECK(discgeom::read_image<std::uint16_t>(wide_path).voxels(1, 1, 1) == 300);
  CHECK_THROWS_WITH(discgeom::read_image<bool>(wide_path), Catch::Contains("holds the value 300"));
}

TEST_CASE("read_image: values at the edge of an integer type's range are judged exactly") {
  // 2^31 is one past int32's maximum but is exactly representable as float: it must be refused.
  auto edge = discgeom::image<float>::filled({2, 1, 1}, {}, 0.0f);
  edge.voxels(1, 0, 0) = 2147483648.0f;
  const fs::path path = scratch_dir() / "edge.mha";
  discgeom::write_image(path, edge);
  CHECK_THROWS_WITH(discgeom::read_image<std::int32_t>(path),
                    Catch::Contains("holds the value 2147483648"));
  CHECK(discgeom::read_image<std::int64_t>(path).voxels(1, 0, 0) == 2147483648LL);
  edge.voxels(1, 0, 0) = -2147483648.0f;  // int32's minimum, exactly
  discgeom::write_image(path, edge);
  CHECK(discgeom::read_image<std::int32_t>(path).voxels(1, 0, 0) ==
        std::numeric_limits<std::int32_t>::min());
  edge.voxels(1, 0, 0) = -1.0f;
  discgeom::write_image(path, edge);
  CHECK_THROWS_WITH(discgeom::read_image<std::uint32_t>(path),
                    Catch::Contains("holds the value -1"));
}

TEST_CASE("read_image: a header with invalid geometry is an io_error unless validation is off") {
  const fs::path path = scratch_dir() / "zero_spacing.mha";
  std::ofstream(path) << "ObjectType = Image\nNDims = 3\nDimSize = 2 2 2\nElementSpacing = 0 -2 1\n"
                         "ElementType = MET_UCHAR\nElementDataFile = LOCAL\n"
                      << std::string(8, '\0');
  CHECK_THROWS_AS(discgeom::read_image<std::uint8_t>(path), discgeom::io_error);
  CHECK_THROWS_WITH(discgeom::read_image<std::uint8_t>(path),
                    Catch::Contains(path.string()) &&
                        Catch::Contains("ElementSpacing: the voxel size 0 mm is not a positive "
                                        "number"));
  const auto raw = discgeom::read_image<std::uint8_t>(path, {.validate_geometry = false});
  CHECK(raw.geometry.spacing[1] == -2.0);
}

TEST_CASE("read_image: unreadable input throws io_error naming the file and the reason") {
  const fs::path missing = scratch_dir() / "missing.nii.gz";
  CHECK_THROWS_AS(discgeom::read_image<std::uint8_t>(missing), discgeom::io_error);
  CHECK_THROWS_WITH(discgeom::read_image<std::uint8_t>(missing),
                    "read_image(): cannot read '" + missing.string() + "': no such file");

  const fs::path text = scratch_dir() / "notes.nii";
  std::ofstream(text) << "this is not an image\n";
  CHECK_THROWS_AS(discgeom::read_image<std::uint8_t>(text), discgeom::io_error);

  const fs::path four_d = scratch_dir() / "four_d.nii";
  write_raw(four_d, {3, 3, 3, 2}, 1);
  CHECK_THROWS_WITH(discgeom::read_image<std::uint8_t>(four_d),
                    Catch::Contains("is a 4D image with extent 2 on axis 3"));

  const fs::path vectors = scratch_dir() / "vectors.mha";
  write_raw(vectors, {3, 3, 3}, 3);
  CHECK_THROWS_WITH(discgeom::read_image<std::uint8_t>(vectors),
                    Catch::Contains("ElementNumberOfChannels: '3': only scalar images"));

  const fs::path flat = scratch_dir() / "flat.nii";
  write_raw(flat, {4, 5}, 1);
  CHECK(discgeom::read_image<std::uint8_t>(flat).shape() == std::array<std::size_t, 3>{4, 5, 1});

  CHECK_THROWS_WITH(discgeom::write_image(scratch_dir() / "out.txt",
                                          discgeom::image<std::uint8_t>::filled({2, 2, 2}, {})),
                    Catch::Contains("write_image(): cannot write"));
  const discgeom::image_geometry bad{.spacing = {1.0, 0.0, 1.0}};
  CHECK_THROWS_AS(discgeom::write_image(scratch_dir() / "bad.nii",
                                        discgeom::image<std::uint8_t>::filled({2, 2, 2}, bad)),
                  discgeom::precondition_error);
}

// The ten real manual masks: voxel count x voxel volume must reproduce each published volume.
TEST_CASE("real masks: label volumes reproduce the published disc volumes") {
  if (!real_data::present()) {
    WARN("skipped: " << real_data::folder() << " is absent");
    return;
  }
  int subjects = 0;
  for (const auto& subject : real_data::published_volumes()) {
    REQUIRE(subject.volumes_mm3.size() == 5);
    const auto mask =
        discgeom::read_image<std::uint8_t>(real_data::folder() / (subject.id + "_Labels.nii.gz"));
    INFO("subject " << subject.id << ", header spacing " << mask.geometry.spacing[0] << " "
                    << mask.geometry.spacing[1] << " " << mask.geometry.spacing[2]);
    // The header puts 4.4 mm on the first axis (the lie domain.md describes): the product is
    // still the true voxel volume, 0.4296875^2 x 4.4 mm^3.
    CHECK(mask.geometry.voxel_volume() == Approx(0.4296875 * 0.4296875 * 4.4).epsilon(1e-6));
    // Disc labels from L5/S1 upwards; subject 5 uses its own values and has 10 stray 255 voxels.
    const std::vector<int> disc_labels = subject.id == "5"
                                             ? std::vector<int>{4, 7, 11, 14, 18}
                                             : std::vector<int>{51, 102, 153, 204, 255};
    std::map<int, std::size_t> by_label;
    for (const auto& [label, voxels] : discgeom::label_voxel_counts(mask))
      by_label[label] = voxels;
    for (std::size_t level = 0; level < 5; ++level) {
      const double volume =
          static_cast<double>(by_label[disc_labels[level]]) * mask.geometry.voxel_volume();
      CHECK(volume == Approx(subject.volumes_mm3[level]).epsilon(1e-6));
    }
    if (subject.id == "5")
      CHECK(by_label[255] == 10);
    ++subjects;
  }
  CHECK(subjects == 10);
}
