// SPDX-License-Identifier: MIT
// mask_summary: reads label masks and prints, per label, its voxel count and physical volume.
//
//   mask_summary MASK...                 one table for the given files (NIfTI, MetaImage, NRRD)
//   mask_summary --real DIR              the ten real disc masks, checked against volumes.csv
//   mask_summary --generated DIR         a generated spine of five ellipsoidal discs, checked
//                                        against the analytic ellipsoid volumes
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <numbers>
#include <string>
#include <vector>

#include "discgeom/discgeom.hpp"
#include "discgeom/inputs.hpp"
#include "discgeom/io/csv.hpp"
#include "discgeom/io/image_io.hpp"

namespace fs = std::filesystem;

namespace {

constexpr double pi = std::numbers::pi;

// reference[label] = expected volume in mm^3, printed beside the measured one when known.
void print_rows(const std::string& name, const fs::path& path,
                const std::map<long, double>& reference) {
  const auto mask = discgeom::read_image<std::uint32_t>(path);
  const auto& g = mask.geometry;
  for (const auto& [label, voxels] : discgeom::label_voxel_counts(mask)) {
    const double volume = static_cast<double>(voxels) * g.voxel_volume();
    std::printf("%-10s %6u %8zu %12.3f", name.c_str(), label, voxels, volume);
    if (const auto found = reference.find(label); found != reference.end()) {
      std::printf(" %12.3f %9.2e", found->second, volume / found->second - 1.0);
    } else {
      std::printf(" %12s %9s", "", "");
    }
    std::printf("  %zux%zux%zu  %.4g,%.4g,%.4g  %s\n", mask.shape()[0], mask.shape()[1],
                mask.shape()[2], g.spacing[0], g.spacing[1], g.spacing[2],
                g.orientation_code().c_str());
  }
}

void print_header() {
  std::printf("%-10s %6s %8s %12s %12s %9s  %s  %s  %s\n", "case", "label", "voxels", "volume_mm3",
              "expected_mm3", "rel_err", "shape", "spacing_mm", "axes");
}

int summarise_real(const fs::path& folder) {
  // volumes.csv: subject, then L5/S1 ... L1/L2 in cm^3 (read checked: a cell that is not a
  // number names the file, the row and the column).
  const fs::path volumes = folder / "volumes.csv";
  if (!fs::is_regular_file(volumes)) {
    std::fprintf(stderr, "mask_summary: cannot read %s\n", volumes.c_str());
    return 1;
  }
  const discgeom::csv_table table = discgeom::read_csv(volumes);
  if (table.header.size() != 6)
    throw discgeom::io_error(volumes.string() + ": has " + std::to_string(table.header.size()) +
                             " columns, not subject and five disc volumes");
  std::printf("Real manual disc masks (%s): label volumes vs published volumes\n", folder.c_str());
  print_header();
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const std::string& subject = table.rows[r][0];
    const std::vector<long> labels = subject == "5" ? std::vector<long>{4, 7, 11, 14, 18}
                                                    : std::vector<long>{51, 102, 153, 204, 255};
    std::map<long, double> reference;
    for (std::size_t i = 0; i < labels.size(); ++i)
      reference[labels[i]] = table.number(r, i + 1) * 1000.0;
    const fs::path path = folder / (subject + "_Labels.nii.gz");
    print_rows(discgeom::cli::case_name(path), path, reference);
  }
  return 0;
}

// Five ellipsoidal discs along SI in a sagittal volume (axes AP, SI, LR as "AIL"), at 0.6 x 0.6
// x 4.0 mm, with semi-axes in mm chosen per level; label 201 + level (SPIDER disc labels).
int summarise_generated(const fs::path& folder) {
  fs::create_directories(folder);
  const discgeom::image_geometry geometry{.spacing = {0.6, 0.6, 4.0},
                                          .origin = {-60.0, 20.0, 80.0},
                                          .direction = discgeom::direction_from_orientation("AIL")};
  auto labels = discgeom::image<std::uint16_t>::filled({100, 300, 30}, geometry, 0);
  std::map<long, double> reference;
  for (int level = 0; level < 5; ++level) {
    const double ap = 17.0 + level, si = 4.5 + 0.5 * level,
                 lr = 24.0 + 2.0 * level;  // semi-axes, mm
    const double centre_ap = 30.0, centre_si = 150.0 - 35.0 * level,
                 centre_lr = 15.0;  // voxel index
    reference[201 + level] = 4.0 / 3.0 * pi * ap * si * lr;
    for (std::size_t k = 0; k < 30; ++k)
      for (std::size_t j = 0; j < 300; ++j)
        for (std::size_t i = 0; i < 100; ++i) {
          const double x = (static_cast<double>(i) - centre_ap) * 0.6 / ap;
          const double y = (static_cast<double>(j) - centre_si) * 0.6 / si;
          const double z = (static_cast<double>(k) - centre_lr) * 4.0 / lr;
          if (x * x + y * y + z * z <= 1.0)
            labels.voxels(i, j, k) = static_cast<std::uint16_t>(201 + level);
        }
  }
  const fs::path path = folder / "generated_spine.nii.gz";
  discgeom::write_image(path, labels);
  std::printf("Generated spine (%s): five ellipsoids at 0.6 x 0.6 x 4.0 mm vs analytic volumes\n",
              path.c_str());
  print_header();
  print_rows(discgeom::cli::case_name(path), path, reference);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 2 && args[0] == "--real")
      return summarise_real(args[1]);
    if (args.size() == 2 && args[0] == "--generated")
      return summarise_generated(args[1]);
    if (args.empty() || args[0].starts_with("--")) {
      std::fprintf(stderr, "usage: mask_summary MASK... | --real DIR | --generated DIR\n");
      return 2;
    }
    print_header();
    for (const auto& file : args)
      print_rows(discgeom::cli::case_name(file), file, {});
    return 0;
  } catch (const discgeom::error& failure) {
    std::fprintf(stderr, "mask_summary: %s\n", failure.what());
    return 1;
  }
}
