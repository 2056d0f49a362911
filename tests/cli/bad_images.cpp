// SPDX-License-Identifier: MIT
// Broken image files in one batch, as a hostile cohort holds them: each made from a file the
// program's own writer wrote, plus byte edits. Every broken file gets a status row and one line
// on stderr naming it; the good files get their rows; the exit status is 1; nothing crashes.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/cli_helpers.hpp"
#include "discgeom/io/image_io.hpp"
#include "gzip_bytes.hpp"

namespace fs = std::filesystem;
using namespace cli_test;

namespace {

std::string gzip(const std::string& plain) {
  return discgeom_test::compress_bytes(plain);
}
std::string gunzip(const std::string& compressed) {
  return discgeom_test::gunzip_bytes(compressed);
}

void spit(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

template <class T>
std::string with(std::string bytes, std::size_t offset, T value) {
  std::memcpy(bytes.data() + offset, &value, sizeof(T));
  return bytes;
}

}  // namespace

TEST_CASE("bad images: a batch of broken files gives status rows, the good rows and exit 1") {
  // A disc of 8 x 10 x 3 voxels at 2.5 x 2.5 x 2.0 mm (600 mm^3 a layer).
  auto spine = discgeom::image<std::int16_t>::filled({12, 14, 16}, {.spacing = {2.5, 2.5, 2.0}}, 0);
  for (std::size_t i = 2; i < 10; ++i)
    for (std::size_t j = 3; j < 13; ++j)
      for (std::size_t k = 4; k < 7; ++k)
        spine.voxels(i, j, k) = 201;
  const fs::path good = scratch() / "good.nii.gz";
  discgeom::write_image(good, spine);
  const std::string gz = slurp(good);
  const std::string nii = gunzip(gz);
  const float nan = std::numeric_limits<float>::quiet_NaN();

  struct broken {
    std::string name, bytes, says;
  };
  const std::vector<broken> files{
      {"cut.nii.gz", gz.substr(0, gz.size() / 2), "compressed data are corrupt"},
      {"crc.nii.gz", with<std::uint32_t>(gz, gz.size() - 8, 0), "incorrect data check"},
      {"short.nii.gz", gzip(nii.substr(0, nii.size() - 500)), "truncated"},
      {"nan_sform.nii.gz", gzip(with<float>(with<std::int16_t>(nii, 254, 1), 280, nan)), "srow_x"},
      {"huge_sform.nii.gz", gzip(with<float>(with<std::int16_t>(nii, 254, 1), 284, 1.0e30f)),
       "srow_x"},
      {"nan_quaternion.nii.gz", gzip(with<float>(with<std::int16_t>(nii, 252, 1), 256, nan)),
       "quatern_b"},
      {"zero_pixdim.nii.gz", gzip(with<float>(nii, 80, 0.0f)), "pixdim[1]"},
      {"nan_pixdim.nii.gz", gzip(with<float>(nii, 84, nan)), "pixdim[2]"},
      {"ascii.nrrd",
       "NRRD0004\ntype: short\ndimension: 3\nsizes: 12 14 16\nencoding: ascii\n\n" +
           std::string(12 * 14 * 16 * 2, '\xfe'),
       "encoding"},
      {"string.mha",
       "NDims = 3\nDimSize = 12 14 16\nBinaryData = False\nElementType = MET_STRING\n"
       "ElementDataFile = LOCAL\n" +
           std::string(12 * 14 * 16, 'x'),
       "ElementType"},
  };
  std::string arguments = "discs";
  for (const auto& file : files) {
    spit(scratch() / file.name, file.bytes);
    arguments += " " + (scratch() / file.name).string();
  }
  arguments += " " + good.string();
  const auto result = run(arguments);

  CHECK(result.status == 1);
  const auto rows = parse_csv(result.out);
  REQUIRE(rows.size() == files.size() + 1);
  for (std::size_t f = 0; f < files.size(); ++f) {
    INFO(files[f].name << ": " << rows[f].at("status"));
    CHECK(rows[f].at("status").find(files[f].says) != std::string::npos);
    CHECK(rows[f].at("volume_mm3").empty());
    // One line on stderr names the file and says why.
    const std::string path = (scratch() / files[f].name).string();
    const auto line_start = result.err.find(path);
    REQUIRE(line_start != std::string::npos);
    const auto line = result.err.substr(line_start, result.err.find('\n', line_start) - line_start);
    CHECK(line.find(files[f].says) != std::string::npos);
  }
  CHECK(rows.back().at("status") == "ok");
  CHECK(rows.back().at("volume_mm3") == "3000");
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') ==
        static_cast<std::ptrdiff_t>(files.size()));
}

TEST_CASE("bad images: --max-voxels bounds what a file may declare") {
  const fs::path spine = scratch() / "bounded.nii.gz";
  discgeom::write_image(spine, discgeom::image<std::int16_t>::filled({12, 14, 16}, {}, 0));
  const auto refused = run("discs --max-voxels 1000 " + spine.string());
  CHECK(refused.status == 1);
  CHECK(refused.err.find(spine.string()) != std::string::npos);
  CHECK(refused.err.find("2688 voxels, more than the bound of 1000") != std::string::npos);
  CHECK(run("discs --max-voxels 2688 " + spine.string()).status == 0);
  const auto bad = run("discs --max-voxels 0 " + spine.string());
  CHECK(bad.status == 2);
  CHECK(bad.err.find("--max-voxels '0' must be a whole number >= 1") != std::string::npos);
}
