// SPDX-License-Identifier: MIT
#pragma once
// `discgeom pipeline --out DIR [--phantom N | --data DIR] [--config FILE] [--paper] [--resume]`:
// the Perrone et al. pipeline end to end (docs/pipeline.md). Defined in pipeline_command.cpp;
// its stages are one table there (pipeline_stages()).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "command_line.hpp"
#include "pipeline_config.hpp"

namespace discgeom::cli {

/// The settings of `discgeom pipeline`.
struct pipeline_run_settings {
  std::string out;                      ///< the run folder
  std::optional<std::size_t> phantoms;  ///< --phantom N (40 when neither it nor --data is given)
  std::string data;                     ///< --data DIR: the user's cohort
  pipeline_config config;               ///< --paper, then --config FILE over it
  bool muscles = false;  ///< --muscles: the muscle stage (axial label maps, manual vs automatic)
  bool resume = false;
  std::string stop_after;  ///< a stage's name; empty: run them all
  bool quiet = false;
};

/// The names of the stages, in the order they run ("phantom, cases, ...").
std::vector<std::string_view> pipeline_stage_names();

inline void add_pipeline_options(CLI::App& app, pipeline_run_settings& s) {
  add_text(app, "--out", s.out, "the run folder (made if missing; --resume reuses it)", "DIR")
      ->required();
  add_parsed(
      app, "--phantom", s.phantoms,
      [](const std::string& option, const std::string& text) {
        const std::size_t n = parse_count(option, text);
        if (n < 2)
          throw usage_error(option + " needs at least 2 spines");
        return std::optional<std::size_t>(n);
      },
      "a phantom cohort of N spines (the default, with 40)", "N");
  add_text(app, "--data", s.data,
           "your cohort: a SPIDER-layout folder (images/, masks/, radiological_gradings.csv) or "
           "any folder of masks",
           "DIR");
  // --paper first, then --config over it, whatever their order on the command line.
  auto* paper = app.add_flag_callback(
      "--paper", [&s] { s.config = paper_pipeline_config(); },
      "the paper's configuration instead of the reduced one");
  paper->trigger_on_parse();
  app.add_option_function<std::string>(
         "--config", [&s](const std::string& file) { read_config_file(file, s.config); },
         "key = value settings over the defaults (docs/pipeline.md lists them)")
      ->type_name("FILE");
  add_switch(app, "--muscles", s.muscles,
             "the muscle stage: axial muscle phantoms (with --phantom), or DIR/muscles/ of --data; "
             "manual against automatic cross-sections");
  add_switch(app, "--resume", s.resume, "skip the stages whose inputs have not changed");
  std::string stages;
  for (const auto name : pipeline_stage_names())
    stages += (stages.empty() ? "" : "|") + std::string(name);
  add_parsed(
      app, "--stop-after", s.stop_after,
      [](const std::string& option, const std::string& text) {
        std::string names;
        for (const auto name : pipeline_stage_names()) {
          if (name == text)
            return text;
          names += (names.empty() ? "" : ", ") + std::string(name);
        }
        throw usage_error(option + " '" + text + "' is not a stage (" + names + ")");
      },
      "stop once this stage has run (the report is still written)", stages);
  add_switch(app, "--quiet", s.quiet, "no progress bars (the lines of the stages stay)");
  app.footer(
      "Runs (muscles: manual vs automatic CSA) -> (segment) -> discs -> crops -> autoencoder ->\n"
      "latents -> traversal -> correlations -> narrowing classification -> DIR/report.html. Failed "
      "cases are listed in "
      "DIR/failures.csv and in\nthe report. Started with mpirun, the per-case stages are shared "
      "among the ranks.");
}

/// `discgeom pipeline`: 0, or 1 when a stage failed (the report says which).
int run_pipeline(const pipeline_run_settings& settings);

}  // namespace discgeom::cli
