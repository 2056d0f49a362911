// SPDX-License-Identifier: MIT
#pragma once
// `discgeom phantom --out DIR [--cases N] [--seed S] [--first K] [--image] [--quiet]`: synthetic
// lumbar spines in SPIDER labels with the truth of every disc (docs/cli.md,
// docs/phantom.md).

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "arguments.hpp"
#include "crops.hpp"
#include "discgeom/detail/atomic_file.hpp"
#include "discgeom/io/image_io.hpp"
#include "discgeom/phantom/spine.hpp"
#include "progress.hpp"
#include "table.hpp"

namespace discgeom::cli {

inline constexpr const char* phantom_usage =
    "usage: discgeom phantom --out DIR [--cases N] [--seed S] [--first K] [--image] [--quiet]\n"
    "Synthetic lumbar spines in SPIDER labels, DIR/phantom_001.nii.gz ... (uint8), with --image\n"
    "also a T1-like DIR/phantom_001_t1.nii.gz (int16), and DIR/truth.csv: one row per disc with\n"
    "the parameters that generated it, defined as `discgeom discs` measures them.\n"
    "  --cases N   number of spines (default 10)\n"
    "  --seed S    seed, 0 to 2^64-1 (default 1); the same seed gives the same bytes\n"
    "  --first K   number of the first case (default 1): case K is the same whatever N is\n";

/// truth.csv's columns, in order.
inline const std::vector<std::string> phantom_truth_columns{"case",
                                                            "level",
                                                            "label",
                                                            "lowest_level",
                                                            "height_mm",
                                                            "ap_width_mm",
                                                            "lateral_width_mm",
                                                            "sagittal_angle_deg",
                                                            "midplane_tilt_deg",
                                                            "wedge_angle_deg",
                                                            "posterior_bulge_mm",
                                                            "lateral_tilt_deg",
                                                            "endplate_concavity_mm",
                                                            "narrowed",
                                                            "centre_x_mm",
                                                            "centre_y_mm",
                                                            "centre_z_mm",
                                                            "spacing_i_mm",
                                                            "spacing_j_mm",
                                                            "spacing_k_mm"};

/// The truth rows of one spine.
inline std::vector<std::vector<cell>> phantom_truth_rows(const std::string& name,
                                                         const phantom::spine_anatomy& anatomy) {
  std::vector<std::vector<cell>> rows;
  for (const auto& d : anatomy.discs) {
    rows.push_back({text(name),
                    text(d.level),
                    number(static_cast<double>(d.label)),
                    text(anatomy.lowest_level),
                    number(d.height_mm),
                    number(d.ap_width_mm),
                    number(d.lateral_width_mm),
                    number(d.sagittal_angle_deg),
                    number(d.midplane_tilt_deg),
                    number(d.wedge_angle_deg),
                    number(d.posterior_bulge_mm),
                    number(d.lateral_tilt_deg),
                    number(d.endplate_concavity_mm),
                    number(d.narrowed ? 1.0 : 0.0),
                    number(d.centre_mm[0]),
                    number(d.centre_mm[1]),
                    number(d.centre_mm[2]),
                    number(anatomy.geometry.spacing[0]),
                    number(anatomy.geometry.spacing[1]),
                    number(anatomy.geometry.spacing[2])});
  }
  return rows;
}

/// Writes an image through a temporary of the same extension and a rename (ITK picks the format
/// by the extension, so the temporary is `file.partial.nii.gz`).
template <class T>
void write_image_atomically(const std::filesystem::path& file, const image<T>& img) {
  detail::write_atomically(file, "run_phantom", [&](const std::filesystem::path& temporary) {
    const std::filesystem::path staged = temporary.string() + ".nii.gz";
    try {
      write_image(staged, img);
      std::filesystem::rename(staged, temporary);
    } catch (...) {
      std::error_code ignored;
      std::filesystem::remove(staged, ignored);
      throw;
    }
  });
}

/// A 64-bit seed in decimal.
inline std::uint64_t parse_seed(const std::string& text) {
  bool digits = !text.empty() && text.size() <= 20;
  for (char c : text)
    digits = digits && c >= '0' && c <= '9';
  errno = 0;
  char* end = nullptr;
  const unsigned long long value = digits ? std::strtoull(text.c_str(), &end, 10) : 0;
  if (!digits || errno == ERANGE || *end != '\0') {
    throw usage_error("--seed '" + text + "' must be a whole number in [0, 18446744073709551615]");
  }
  return static_cast<std::uint64_t>(value);
}

inline int run_phantom(const std::vector<std::string>& argv) {
  const auto args =
      parse_arguments(argv, {"--out", "--cases", "--seed", "--first"}, {"--image", "--quiet"});
  if (!args.positional.empty())
    throw usage_error("phantom takes no positional argument, got '" + args.positional[0] + "'");
  if (!args.has("--out"))
    throw usage_error("phantom needs --out DIR");
  const std::size_t cases =
      args.has("--cases") ? parse_count("--cases", args.value_or("--cases", "")) : 10;
  if (cases < 1 || cases > 100000)
    throw usage_error("--cases must be in [1, 100000]");
  const std::uint64_t seed = args.has("--seed") ? parse_seed(args.value_or("--seed", "")) : 1;
  const std::size_t first =
      args.has("--first") ? parse_count("--first", args.value_or("--first", "")) : 1;
  if (first < 1 || first > 999999)
    throw usage_error("--first must be in [1, 999999]");
  const bool with_image = args.has("--image");

  const std::filesystem::path out = args.value_or("--out", "");
  std::error_code failure;
  std::filesystem::create_directories(out, failure);
  if (failure || !std::filesystem::is_directory(out)) {
    throw io_error("run_phantom(): " + out.string() + ": cannot create the output folder" +
                   (failure ? ": " + failure.message() : std::string(": a file is in the way")));
  }
  table truth{phantom_truth_columns, {}};
  progress_bar progress("phantom", cases, args.has("--quiet"));
  for (std::size_t n = 0; n < cases; ++n) {
    const std::size_t index = first - 1 + n;
    const std::string name = phantom::case_name(index);
    const auto spine = phantom::generate_spine(seed, index);
    write_image_atomically(out / (name + ".nii.gz"), spine.labels);
    if (with_image) {
      write_image_atomically(out / (name + "_t1.nii.gz"),
                             phantom::t1_image(spine.anatomy, seed, index));
    }
    for (auto& row : phantom_truth_rows(name, spine.anatomy))
      truth.rows.push_back(std::move(row));
    progress.step(name);
  }
  write_table_atomically(out / "truth.csv", truth);
  return 0;
}

}  // namespace discgeom::cli
