// SPDX-License-Identifier: MIT
// Settings in range, refused up front with exit status 2 (docs/cli.md, "Numbers and threads";
// docs/pipeline.md, "Settings"): threads at most 4 per hardware thread, whole numbers that fit
// their type and never wrap, on the command line and in the pipeline's settings file.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "arguments.hpp"
#include "cli/cli_helpers.hpp"

namespace fs = std::filesystem;
using namespace cli_test;

namespace {

// Exit status 2 with `message` on stderr.
void check_refused(const std::string& arguments, const std::string& message) {
  INFO(arguments);
  const auto r = run(arguments);
  INFO(r.err);
  CHECK(r.status == 2);
  CHECK(r.err.find(message) != std::string::npos);
}

}  // namespace

TEST_CASE("settings: --threads is at most 4 per hardware thread, for every command") {
  const std::string most = std::to_string(discgeom::cli::max_threads());
  const std::string over = std::to_string(discgeom::cli::max_threads() + 1);
  const std::string bound = "--threads '" + over + "' must be at most " + most;
  const std::string huge = "--threads '100000' must be at most " + most;
#ifdef DISCGEOM_CLI_WITH_XGBOOST
  check_refused("classify t.csv --label y --features g=a --threads " + over, bound);
#endif
#ifdef DISCGEOM_CLI_WITH_TORCH
  check_refused("train-ae --crops c --out m.pt --threads 100000", huge);
  check_refused("segment --model m.pt x.nii.gz --out d --threads " + over, bound);
  check_refused("train-seg --images i --masks m --out m.pt --threads 100000", huge);
#endif
  (void)bound;
  (void)huge;
}

TEST_CASE("settings: whole numbers are digits only and fit their type, never wrapped") {
  check_refused("discs x.nii.gz --min-voxels ' -1'", "--min-voxels ' -1' must be a whole number");
  check_refused("discs x.nii.gz --min-voxels 1e30", "--min-voxels '1e30' must be a whole number");
  check_refused("discs x.nii.gz --min-voxels 18446744073709551616",
                "--min-voxels '18446744073709551616' must be at most 18446744073709551615");
  check_refused("phantom --out d --cases 1e3", "--cases '1e3' must be a whole number");
}

TEST_CASE("settings: the pipeline's settings file is checked up front, line by line",
          "[cli][pipeline]") {
  const fs::path out = scratch() / "settings_run";
  fs::remove_all(out);
  const fs::path config = scratch() / "range.conf";
  const std::string most = std::to_string(discgeom::cli::max_threads());
  for (const auto& [line, message] : std::vector<std::pair<std::string, std::string>>{
           // Refused at once: 100000 threads would take minutes to start.
           {"threads = 100000", "threads '100000' must be at most " + most + " (4 per hardware"},
           {"boosting_threads = 100000", "boosting_threads '100000' must be at most " + most},
           {"threads = 0", "threads '0' must be a whole number >= 1"},
           {"epochs = 1e30", "epochs '1e30' must be a whole number >= 0"},
           {"min_voxels = -1", "min_voxels '-1' must be a whole number >= 0"},
           {"crop_size = 18446744073709551616",
            "crop_size '18446744073709551616' must be at most 18446744073709551615"},
           // Fields that the stages take as signed 64-bit (LibTorch) or int (XGBoost).
           {"epochs = 9223372036854775808",
            "epochs '9223372036854775808' must be at most 9223372036854775807"},
           {"seed = 9223372036854775808",
            "seed '9223372036854775808' must be at most 9223372036854775807"},
           {"depth = 2147483648", "depth '2147483648' must be at most 2147483647"},
           {"segmenter_model = /nonexistent.pt",
            "segmenter_model '/nonexistent.pt': no such file"}}) {
    std::ofstream(config) << "# settings\n" << line << "\n";
    INFO(line);
    const auto r = run("pipeline --out " + out.string() + " --config " + config.string());
    INFO(r.err);
    CHECK(r.status == 2);
    CHECK(r.err.rfind("discgeom pipeline: " + config.string() + ":2: " + message, 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_FALSE(fs::exists(out));  // nothing ran
  }
}
