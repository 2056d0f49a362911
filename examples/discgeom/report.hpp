// SPDX-License-Identifier: MIT
#pragma once
// DIR/report.html of `discgeom pipeline`: one self-contained page (images embedded, charts drawn
// as SVG by the program, a sortable table by a few lines of inline script) built from the run's
// tables. Defined in report.cpp.

#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace discgeom::cli {

/// A setting of the run, with the stages whose outputs it decides.
struct report_setting {
  std::string key, value;
  std::vector<std::string> stages;
};

struct report_context {
  std::filesystem::path run_folder;
  std::string layout;                    ///< phantom, spider or masks
  std::vector<report_setting> settings;  ///< the run's configuration
  int ranks = 1;
  std::vector<std::pair<std::string, double>> timings;  ///< stage, seconds (stages run now)
  /// Stages whose record stands for the inputs the folder holds now (their outputs are current).
  std::set<std::string> completed;
};

/// Writes run_folder/report.html from the tables the stages left there; a stage that did not
/// run shows as such. \throws io_error when the page cannot be written
void write_report(const report_context& context);

/// Base64 (RFC 4648, with padding) of `bytes`: images embedded as data: URLs.
std::string base64(const std::string& bytes);

}  // namespace discgeom::cli
