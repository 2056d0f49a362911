// SPDX-License-Identifier: MIT
#pragma once
// `discgeom phantom --out DIR [--cases N] [--seed N] [--first N] [--image] [--quiet]`: synthetic
// lumbar spines in SPIDER labels with the truth of every disc (docs/cli.md,
// docs/phantom.md).

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "command_line.hpp"
#include "crops.hpp"
#include "discgeom/detail/atomic_file.hpp"
#include "discgeom/io/image_io.hpp"
#include "discgeom/phantom/muscles.hpp"
#include "discgeom/phantom/spine.hpp"
#include "progress.hpp"
#include "table.hpp"

namespace discgeom::cli {

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

/// muscles/truth.csv's columns, in order: those of `discgeom muscles`, then the analytic ellipse.
inline const std::vector<std::string> muscle_truth_columns{"case",
                                                           "muscle",
                                                           "side",
                                                           "label",
                                                           "slice",
                                                           "pixels",
                                                           "csa_mm2",
                                                           "centroid_x_mm",
                                                           "centroid_y_mm",
                                                           "centroid_z_mm",
                                                           "level",
                                                           "status",
                                                           "csa_cm2",
                                                           "level_slice",
                                                           "semi_axis_lr_mm",
                                                           "semi_axis_ap_mm",
                                                           "analytic_csa_mm2",
                                                           "centre_x_mm",
                                                           "centre_y_mm",
                                                           "centre_z_mm",
                                                           "csa_bound_mm2",
                                                           "centroid_bound_mm"};

/// The truth rows of one axial muscle phantom, through the geometry its file reads back with.
inline std::vector<std::vector<cell>> muscle_truth_rows(const std::string& name,
                                                        const phantom::muscle_phantom& phantom,
                                                        const image_geometry& file_geometry) {
  std::vector<std::vector<cell>> rows;
  for (const auto& t : phantom::muscle_truth(phantom, file_geometry)) {
    rows.push_back({text(name),
                    text(t.label.muscle),
                    text(std::string(1, t.label.side)),
                    number(static_cast<double>(t.label.label)),
                    number(static_cast<double>(t.slice)),
                    number(static_cast<double>(t.pixels)),
                    number(t.csa_mm2),
                    number(t.centroid_mm[0]),
                    number(t.centroid_mm[1]),
                    number(t.centroid_mm[2]),
                    text(t.level),
                    text("ok"),
                    number(t.csa_mm2 / 100.0),
                    number(t.level_slice ? 1.0 : 0.0),
                    number(t.semi_l_mm),
                    number(t.semi_p_mm),
                    number(t.analytic_csa_mm2),
                    number(t.centre_mm[0]),
                    number(t.centre_mm[1]),
                    number(t.centre_mm[2]),
                    number(t.csa_bound_mm2),
                    number(t.centroid_bound_mm)});
  }
  return rows;
}

/// The label scheme of the muscle phantoms as a `--labels FILE.csv` table (label,muscle,side).
inline table muscle_scheme_table() {
  table scheme{{"label", "muscle", "side"}, {}};
  for (const auto& m : phantom_muscles())
    scheme.rows.push_back(
        {number(static_cast<double>(m.label)), text(m.muscle), text(std::string(1, m.side))});
  return scheme;
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

/// The settings of `discgeom phantom`.
struct phantom_settings {
  std::string out;         ///< the folder of the spines and truth.csv (made if missing)
  std::size_t cases = 10;  ///< number of spines, in [1, 100000]
  std::uint64_t seed = 1;  ///< the same seed gives the same bytes
  /// Number of the first case, in [1, 999999]: case K is the same whatever the number of cases.
  std::size_t first = 1;
  bool image = false;    ///< also a T1-like image of every spine
  bool muscles = false;  ///< also an axial muscle phantom of every case, in DIR/muscles/
  bool quiet = false;
};

/// A whole number in [1, largest], refused as "OPTION must be in [1, largest]".
inline std::size_t parse_case_number(const std::string& option, const std::string& text,
                                     std::size_t largest) {
  const std::size_t value = parse_count(option, text);
  if (value < 1 || value > largest)
    throw usage_error(option + " must be in [1, " + std::to_string(largest) + "]");
  return value;
}

inline void add_phantom_options(CLI::App& app, phantom_settings& s) {
  add_text(app, "--out", s.out, "the folder of the spines and truth.csv (made if missing)", "DIR")
      ->required();
  add_parsed(
      app, "--cases", s.cases,
      [](const std::string& option, const std::string& text) {
        return parse_case_number(option, text, 100000);
      },
      "number of spines, 1 to 100000", "N")
      ->default_str(std::to_string(s.cases));
  add_parsed(
      app, "--seed", s.seed,
      [](const std::string&, const std::string& text) { return parse_seed(text); },
      "seed, 0 to 2^64-1; the same seed gives the same bytes", "N")
      ->default_str(std::to_string(s.seed));
  add_parsed(
      app, "--first", s.first,
      [](const std::string& option, const std::string& text) {
        return parse_case_number(option, text, 999999);
      },
      "number of the first case, 1 to 999999 (case K is the same for any --cases)", "N")
      ->default_str(std::to_string(s.first));
  add_switch(app, "--image", s.image, "also a T1-like image of every spine (int16)");
  add_switch(app, "--muscles", s.muscles,
             "also an axial muscle phantom of every case with its truth, in DIR/muscles/");
  add_quiet(app, s.quiet);
  app.footer(
      "Synthetic lumbar spines in SPIDER labels, DIR/phantom_001.nii.gz ... (uint8), with --image\n"
      "also a T1-like DIR/phantom_001_t1.nii.gz (int16), and DIR/truth.csv: one row per disc with\n"
      "the parameters that generated it, defined as `discgeom discs` measures them.\n"
      "With --muscles also axial label maps of the lumbar muscles, DIR/muscles/phantom_001.nii.gz\n"
      "... (uint8; with --image a T1-like phantom_001_t1.nii.gz), DIR/muscles/truth.csv (one row\n"
      "per muscle and slice, as `discgeom muscles` measures it) and DIR/muscles/labels.csv.");
}

/// The axial muscle phantoms of the cases of `s` in `folder` (made if missing): <case>.nii.gz,
/// with s.image <case>_t1.nii.gz, truth.csv and labels.csv (docs/phantom.md).
/// \throws io_error when the folder cannot be made or a file cannot be written
inline void write_muscle_phantoms(const std::filesystem::path& folder, const phantom_settings& s) {
  std::error_code failure;
  std::filesystem::create_directories(folder, failure);
  if (failure || !std::filesystem::is_directory(folder)) {
    throw io_error("run_phantom(): " + folder.string() + ": cannot create the folder" +
                   (failure ? ": " + failure.message() : std::string(": a file is in the way")));
  }
  table truth{muscle_truth_columns, {}};
  progress_bar progress("phantom muscles", s.cases, s.quiet);
  for (std::size_t n = 0; n < s.cases; ++n) {
    const std::size_t index = s.first - 1 + n;
    const std::string name = phantom::case_name(index);
    // The truth goes through the geometry the written header reads back with (a NIfTI header
    // holds it in single precision), so that `discgeom muscles` on the file gives its numbers.
    const auto axial = phantom::generate_muscle_phantom(s.seed, index);
    const auto file = folder / (name + ".nii.gz");
    write_image_atomically(file, axial.labels);
    for (auto& row : muscle_truth_rows(name, axial, read_image_header(file.string()).geometry))
      truth.rows.push_back(std::move(row));
    if (s.image)
      write_image_atomically(folder / (name + "_t1.nii.gz"),
                             phantom::muscle_t1_image(axial, s.seed, index));
    progress.step(name);
  }
  write_table_atomically(folder / "truth.csv", truth);
  write_table_atomically(folder / "labels.csv", muscle_scheme_table());
}

/// `discgeom phantom`: 0. \throws io_error when the output folder cannot be made
inline int run_phantom(const phantom_settings& s) {
  const std::filesystem::path out = s.out;
  std::error_code failure;
  std::filesystem::create_directories(out, failure);
  if (failure || !std::filesystem::is_directory(out)) {
    throw io_error("run_phantom(): " + out.string() + ": cannot create the output folder" +
                   (failure ? ": " + failure.message() : std::string(": a file is in the way")));
  }
  table truth{phantom_truth_columns, {}};
  progress_bar progress("phantom", s.cases, s.quiet);
  for (std::size_t n = 0; n < s.cases; ++n) {
    const std::size_t index = s.first - 1 + n;
    const std::string name = phantom::case_name(index);
    const auto spine = phantom::generate_spine(s.seed, index);
    write_image_atomically(out / (name + ".nii.gz"), spine.labels);
    if (s.image) {
      write_image_atomically(out / (name + "_t1.nii.gz"),
                             phantom::t1_image(spine.anatomy, s.seed, index));
    }
    for (auto& row : phantom_truth_rows(name, spine.anatomy))
      truth.rows.push_back(std::move(row));
    progress.step(name);
  }
  write_table_atomically(out / "truth.csv", truth);
  if (s.muscles)
    write_muscle_phantoms(out / "muscles", s);
  return 0;
}

}  // namespace discgeom::cli
