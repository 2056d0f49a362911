// SPDX-License-Identifier: MIT
// `discgeom pipeline`: the stage table, the stages, their records and the failures
// (docs/pipeline.md).
#include "pipeline_command.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "arguments.hpp"
#include "autoencoder_commands.hpp"
#include "classify_command.hpp"
#include "cohort_ranks.hpp"
#include "correlate_command.hpp"
#include "crop_command.hpp"
#include "crops.hpp"
#include "discgeom/phantom/muscles.hpp"
#include "discgeom/stats/agreement.hpp"
#include "discs_command.hpp"
#include "indices_command.hpp"
#include "inputs.hpp"
#include "muscles_command.hpp"
#include "phantom_command.hpp"
#include "pipeline_config.hpp"
#include "pipeline_inputs.hpp"
#include "pipeline_records.hpp"
#include "report.hpp"
#include "run_folder.hpp"
#include "run_lock.hpp"
#include "segment_commands.hpp"
#include "table.hpp"

namespace discgeom::cli {
namespace {

namespace fs = std::filesystem;

/// Writes a header and lines to `file` atomically.
void write_lines(const fs::path& file, const std::string& header,
                 const std::vector<std::string>& lines) {
  detail::write_atomically(file, "pipeline", [&](const fs::path& temporary) {
    errno = 0;  // the reason below is this write's, not an earlier call's
    std::ofstream out(temporary);
    out << header << '\n';
    for (const auto& line : lines)
      out << line << '\n';
    out.close();
    if (!out)
      throw std::runtime_error(detail::stream_failure_reason());
  });
}

class pipeline_run;

/// Why a stage does not run; `noted` puts the reason in failures.csv and the report.
struct stage_skip {
  std::string reason;
  bool noted = false;
};

/// One stage of the pipeline: what it depends on, what it writes, and how it runs.
struct pipeline_stage {
  enum class kind {
    recorded,    ///< on rank 0; skipped on --resume while its record stands (records/<name>.json)
    every_rank,  ///< shared among the ranks of an MPI job; recorded like the others
    derived,     ///< cheap tables made from other stages' outputs: runs every time, no record
    last,        ///< the report: runs at the end, even after a failure or --stop-after
  };
  std::string_view name;
  kind how = kind::recorded;
  std::vector<std::string_view> settings;  ///< keys of config_settings() that decide its outputs
  std::vector<std::string_view> inputs;    ///< run-folder paths it reads (run_paths)
  std::vector<std::string_view> outputs;   ///< run-folder paths it writes (run_paths)
  /// Why the stage does not run in this run, or nullopt when it does. With `cohort_known` false
  /// it answers from the settings alone (--stop-after is checked before the cohort is listed).
  std::optional<stage_skip> (*not_run)(const pipeline_run&, bool cohort_known) = nullptr;
  /// Inputs from outside the run folder (the cohort's files, the segmenter model, --phantom N).
  void (*add_outside_inputs)(const pipeline_run&, fingerprint&) = nullptr;
  void (*run)(pipeline_run&) = nullptr;
};

const std::vector<pipeline_stage>& stage_table();

/// The run: its folder, settings, cohort and ranks, the stages' records, failures and timings.
class pipeline_run {
 public:
  pipeline_run(const pipeline_run_settings& settings, const cohort_ranks& ranks)
      : settings_(settings), folder_(settings.out), ranks_(ranks), records_(settings.out) {}

  const pipeline_run_settings& settings() const { return settings_; }
  const pipeline_config& config() const { return settings_.config; }
  const run_folder& folder() const { return folder_; }
  const cohort_ranks& ranks() const { return ranks_; }
  const stage_records& records() const { return records_; }
  bool resume() const { return settings_.resume; }
  /// The cohort's folder: --data, or the phantom stage's output.
  fs::path data() const {
    return settings_.data.empty() ? folder_ / run_paths::phantom : fs::path(settings_.data);
  }
  std::size_t phantoms() const { return settings_.phantoms.value_or(40); }

  cohort& cases() { return cases_; }
  const cohort& cases() const { return cases_; }
  bool cohort_known() const { return cohort_known_; }
  void cohort_is_known() { cohort_known_ = true; }

  bool stopped() const { return stopped_; }
  bool failed() const { return failed_; }
  void stop() { stopped_ = failed_ = true; }
  void stop_here() { stopped_ = true; }
  /// Stops after `stage` when --stop-after names it.
  void finished_stage(std::string_view stage) {
    if (!stopped_ && stage == settings_.stop_after) {
      say("stopping after " + std::string(stage) + " (--stop-after)");
      stopped_ = true;
    }
  }
  void fail(std::string_view stage, const std::string& reason) {
    failures_.push_back({"", std::string(stage), reason});
    say(std::string(stage) + ": failed: " + reason);
    stop();
  }
  void note(std::string_view stage, const std::string& reason) {
    failures_.push_back({"", std::string(stage), reason});
  }
  std::vector<pipeline_failure>& failures() { return failures_; }
  const std::vector<pipeline_failure>& failures() const { return failures_; }
  void timed(std::string_view stage, double seconds) {
    timings_.emplace_back(std::string(stage), seconds);
  }
  const std::vector<std::pair<std::string, double>>& timings() const { return timings_; }

  void say(const std::string& line) const {
    if (ranks_.is_root())
      std::cerr << "discgeom pipeline: " << line << '\n';
  }

 private:
  const pipeline_run_settings& settings_;
  run_folder folder_;
  const cohort_ranks& ranks_;
  stage_records records_;
  cohort cases_;
  bool cohort_known_ = false;
  std::vector<pipeline_failure> failures_;
  std::vector<std::pair<std::string, double>> timings_;
  bool stopped_ = false;
  bool failed_ = false;
};

// ---------------------------------------------------------------------------------------------
// The stage table's derived facts: fingerprints and dependents.

const pipeline_stage& stage_named(std::string_view name) {
  for (const auto& stage : stage_table())
    if (stage.name == name)
      return stage;
  throw std::logic_error("no pipeline stage '" + std::string(name) + "'");
}

/// `path` is `output` or lies inside it (both relative to the run folder).
bool path_within(std::string_view path, std::string_view output) {
  return path == output || (path.size() > output.size() &&
                            path.substr(0, output.size()) == output && path[output.size()] == '/');
}

/// The stage and every later stage that reads, directly or through another stage, what it
/// writes: when it runs again, their records no longer stand.
std::vector<std::string_view> stage_and_dependents(std::string_view name) {
  std::vector<std::string_view> affected{name}, written;
  bool after = false;
  for (const auto& stage : stage_table()) {
    if (stage.name == name) {
      after = true;
      written.assign(stage.outputs.begin(), stage.outputs.end());
      continue;
    }
    if (!after)
      continue;
    const bool reads_written = std::any_of(stage.inputs.begin(), stage.inputs.end(), [&](auto in) {
      return std::any_of(written.begin(), written.end(),
                         [&](auto out) { return path_within(in, out) || path_within(out, in); });
    });
    if (reads_written) {
      affected.push_back(stage.name);
      written.insert(written.end(), stage.outputs.begin(), stage.outputs.end());
    }
  }
  return affected;
}

/// The settings entries whose keys are listed, as fingerprint input.
std::string settings_text(const pipeline_config& config,
                          const std::vector<std::string_view>& keys) {
  std::string text;
  for (const auto key : keys) {
    const pipeline_setting* setting = find_setting(key);
    if (setting == nullptr)
      throw std::logic_error("stage setting '" + std::string(key) + "' is not a setting");
    text += std::string(key) + "=" + setting_text(config, *setting) + ";";
  }
  return text;
}

/// What decides a stage's outputs: its name, its settings, the bytes of its inputs in the run
/// folder and those from outside it.
std::string stage_fingerprint(const pipeline_stage& stage, const pipeline_run& run) {
  fingerprint inputs;
  inputs.add(std::string(stage.name) + " v2").add(settings_text(run.config(), stage.settings));
  for (const auto input : stage.inputs)
    inputs.add(std::string(input)).add(output_hash(run.folder() / input));
  if (stage.add_outside_inputs)
    stage.add_outside_inputs(run, inputs);
  return inputs.hex();
}

std::vector<std::string> output_names(const pipeline_stage& stage) {
  return {stage.outputs.begin(), stage.outputs.end()};
}

/// Forgets the records of the stage and its dependents: they no longer hold what they say.
void forget_stage_and_dependents(const pipeline_run& run, std::string_view stage) {
  for (const auto affected : stage_and_dependents(stage))
    run.records().forget(std::string(affected));
}

/// Runs a recorded stage on rank 0 unless --resume finds its record standing.
void run_recorded_stage(const pipeline_stage& stage, pipeline_run& run) {
  const std::string name(stage.name);
  const std::string inputs = stage_fingerprint(stage, run);
  if (run.resume() && run.records().up_to_date(name, inputs)) {
    run.say(name + ": skipped, inputs unchanged");
  } else {
    const auto start = std::chrono::steady_clock::now();
    try {
      forget_stage_and_dependents(run, stage.name);
      stage.run(run);
      run.records().finished(name, inputs, output_names(stage));
    } catch (const std::exception& e) {
      run.fail(stage.name, e.what());
      return;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::ostringstream line;
    line.precision(3);
    line << name << ": done in " << seconds << " s";
    run.say(line.str());
    run.timed(stage.name, seconds);
  }
  run.finished_stage(stage.name);
}

/// Throws when `status`, a command's exit status, is not 0.
void check_status(std::string_view command, int status) {
  if (status != 0)
    throw std::runtime_error(std::string(command) + " exited with status " +
                             std::to_string(status));
}

// ---------------------------------------------------------------------------------------------
// phantom

std::optional<stage_skip> phantom_not_run(const pipeline_run& run, bool) {
  if (!run.settings().data.empty())
    return stage_skip{"with --data there is no phantom stage"};
  return std::nullopt;
}

void phantom_outside_inputs(const pipeline_run& run, fingerprint& inputs) {
  inputs.add(std::to_string(run.phantoms()))
      .add(run.config().segmenter_model.empty() ? "masks" : "images");
}

void run_phantom_stage(pipeline_run& run) {
  const fs::path folder = run.folder() / run_paths::phantom;
  fs::remove_all(folder);
  phantom_settings phantom;
  phantom.out = folder.string();
  phantom.cases = run.phantoms();
  phantom.seed = run.config().seed;
  phantom.image = !run.config().segmenter_model.empty();
  phantom.quiet = true;
  check_status("phantom", run_phantom(phantom));
}

// ---------------------------------------------------------------------------------------------
// cases: (segment,) measure the discs, crop them; shared among the ranks

/// What one case contributes to the cases stage's tables: CSV rows, in order. The cases of a
/// rank travel to rank 0 as one JSON array of {"case", "discs", "indices", "crops", "failures"}
/// objects.
struct case_items {
  std::size_t index = 0;
  std::vector<std::string> discs, indices, crops, failures;
};

nlohmann::json to_json(const case_items& items) {
  return {{"case", items.index},
          {"discs", items.discs},
          {"indices", items.indices},
          {"crops", items.crops},
          {"failures", items.failures}};
}

/// The items of every case in the gathered payloads, by case index.
/// \throws nlohmann::json::exception on a payload that is not the array to_json made
std::map<std::size_t, case_items> read_items(const std::vector<std::string>& payloads) {
  std::map<std::size_t, case_items> by_case;
  for (const auto& payload : payloads) {
    for (const auto& item : nlohmann::json::parse(payload)) {
      case_items c;
      c.index = item.at("case").get<std::size_t>();
      c.discs = item.at("discs").get<std::vector<std::string>>();
      c.indices = item.at("indices").get<std::vector<std::string>>();
      c.crops = item.at("crops").get<std::vector<std::string>>();
      c.failures = item.at("failures").get<std::vector<std::string>>();
      by_case[c.index] = std::move(c);
    }
  }
  return by_case;
}

/// The cohort as JSON, from rank 0 to the others: every rank works on the same list.
nlohmann::json cohort_json(const cohort& cases) {
  auto list = nlohmann::json::array();
  for (const auto& c : cases.cases)
    list.push_back({c.name, c.mask.string(), c.image.string()});
  return list;
}

/// BianqueNet's indices of a case's discs (indices.csv rows) when its SPIDER mask labels
/// vertebral bodies (1-25), with Delta SI when the case has an image on the mask's grid; none
/// otherwise. A case that cannot be measured gives one row with its reason.
template <class Labels>
std::vector<std::string> case_indices(const cohort_case& c, const Labels& labels) {
  const auto columns = indices_columns(false);
  const auto shape = labels.shape();
  bool bodies = false;
  for (std::size_t k = 0; k < shape[2] && !bodies; ++k)
    for (std::size_t j = 0; j < shape[1] && !bodies; ++j)
      for (std::size_t i = 0; i < shape[0] && !bodies; ++i)
        bodies = labels.voxels(i, j, k) >= 1 && labels.voxels(i, j, k) <= 25;
  if (!bodies)
    return {};
  std::vector<std::string> rows;
  try {
    const auto levels = spider_bianquenet_levels(find_discs(labels, labels.geometry));
    const bianquenet_options options{.reference_label = 100};
    std::vector<bianquenet_indices> measured;
    if (!c.image.empty()) {
      const auto grey = read_image<double>(c.image);
      if (grid_difference("mask", labels.shape(), labels.geometry, "image", grey.shape(),
                          grey.geometry))
        measured = measure_bianquenet(labels, labels.geometry, levels, options);
      else
        measured = measure_bianquenet(labels, grey, labels.geometry, levels, options);
    } else {
      measured = measure_bianquenet(labels, labels.geometry, levels, options);
    }
    for (const auto& r : measured)
      rows.push_back(csv_row(indices_row(c.name, r, std::nullopt, false)));
  } catch (const std::exception& e) {
    rows.push_back(csv_row(failed_case_row(c.name, std::string("error: ") + e.what(), columns)));
  }
  return rows;
}

/// The per-case work: (segment,) measure the discs, crop them. Returns the case's items.
case_items run_case(std::size_t index, const cohort_case& c, const pipeline_run& run) {
  const pipeline_config& config = run.config();
  case_items items;
  items.index = index;
  const auto fail = [&](const std::string& stage, const std::string& reason) {
    items.failures.push_back(csv_row({text(c.name), text(stage), text(reason)}));
    return items;
  };
  fs::path mask = c.mask;
  try {
    if (!config.segmenter_model.empty() && !c.image.empty()) {
      mask = run.folder() / run_paths::segmentations / (c.name + ".nii.gz");
      segment_cli_options options;
      options.threads = static_cast<int>(config.threads);
      options.min_disc_voxels = config.min_voxels;
      const auto summary = segment_file(config.segmenter_model, c.image, mask, options);
      if (summary.status != "ok")
        return fail("segment", "the segmentation holds " + std::to_string(summary.discs) +
                                   " discs (status " + summary.status + ")");
    }
  } catch (const std::exception& e) {
    return fail("segment", e.what());
  }
  try {
    if (config.segmenter_model.empty() && !c.image.empty() && !c.mask.empty()) {
      // The image and its mask must share one grid (same voxels in the same place).
      const auto image = read_image_header(c.image), labels = read_image_header(c.mask);
      if (const auto difference = grid_difference("image", image.shape, image.geometry, "mask",
                                                  labels.shape, labels.geometry))
        return fail("inputs", *difference);
    }
  } catch (const std::exception& e) {
    return fail("inputs", e.what());
  }
  // The mask is read and measured once: the discs table and the crops come from the same pass.
  const char* stage = "discs";
  try {
    const auto labels = read_label_image<std::int64_t>(mask, "pipeline", {});
    disc_table_options scheme;
    scheme.scheme = config.disc_scheme();
    scheme.min_voxels = config.min_voxels;
    const auto discs = measure_discs(labels, labels.geometry, scheme);
    std::size_t measured = 0;
    for (const auto& d : discs) {
      if (d.status == "fragment")
        continue;
      items.discs.push_back(csv_row(disc_row(c.name, d, false)));
      ++measured;
    }
    if (config.labels == mask_labels::spider)
      items.indices = case_indices(c, labels);
    if (measured == 0)
      return fail("discs",
                  std::string("no disc in the mask (labels ") +
                      std::string(to_string(config.labels)) +
                      (config.labels == mask_labels::spider ? ": discs are 201-225)" : ")"));
    stage = "crops";
    for (const auto& row : crop_discs(labels, discs, c.name, mask, run.folder() / run_paths::crops,
                                      config.crop_size, config.crop_spacing))
      items.crops.push_back(csv_row(row));
  } catch (const std::exception& e) {
    return fail(stage, e.what());
  }
  return items;
}

void cases_outside_inputs(const pipeline_run& run, fingerprint& inputs) {
  if (!run.config().segmenter_model.empty())  // inference may differ in the last bits
    inputs.add(settings_text(run.config(), {"threads"})).add_file(run.config().segmenter_model);
  for (const auto& c : run.cases().cases)
    inputs.add(c.name).add_image_file(c.mask).add_image_file(c.image);
  for (const auto& f : run.cases().unusable)
    inputs.add(f.case_name).add(f.reason);
}

/// Rank 0 lists the cohort and tells the others. Returns false when it cannot be listed.
bool list_cohort(pipeline_run& run) {
  const auto& ranks = run.ranks();
  std::string listing;
  if (ranks.is_root()) {
    try {
      run.cases() = find_cohort(run.data(), !run.config().segmenter_model.empty());
      const auto& labels = run.cases().labels;
      run.say("cohort: " + std::to_string(run.cases().cases.size()) + " cases (" +
              run.cases().layout + " layout), labels " +
              (labels.source.empty() ? "none" : labels.source));
      listing = nlohmann::json{{"cases", cohort_json(run.cases())}}.dump();
    } catch (const std::exception& e) {
      listing = nlohmann::json{{"error", e.what()}}.dump();
    }
  }
  const auto message = nlohmann::json::parse(ranks.broadcast(listing));
  if (message.contains("error")) {
    run.fail("inputs", message["error"].get<std::string>());
    return false;
  }
  if (!ranks.is_root()) {
    for (const auto& c : message.at("cases"))
      run.cases().cases.push_back(
          {c.at(0).get<std::string>(), c.at(1).get<std::string>(), c.at(2).get<std::string>()});
  }
  run.cohort_is_known();
  return true;
}

/// The per-case stage on every rank, gathered on rank 0 into discs.csv, crops/index.csv and
/// case_failures.csv, in case order (the same bytes however many ranks ran it).
void run_cases_stage(pipeline_run& run) {
  const auto& ranks = run.ranks();
  if (!list_cohort(run))
    return;
  const pipeline_stage& stage = stage_named("cases");
  // Rank 0 fingerprints the inputs, decides, and prepares the folders; every rank learns the
  // outcome from one broadcast, so an error there cannot leave the others waiting.
  std::string hash, decision;
  if (ranks.is_root()) {
    try {
      hash = stage_fingerprint(stage, run);
      if (run.resume() && run.records().up_to_date("cases", hash)) {
        decision = "skip";
      } else {
        forget_stage_and_dependents(run, "cases");
        fs::remove_all(run.folder() / run_paths::crops);
        fs::create_directories(run.folder() / run_paths::crops);
        if (!run.config().segmenter_model.empty())
          fs::create_directories(run.folder() / run_paths::segmentations);
        decision = "run";
      }
    } catch (const std::exception& e) {
      decision = std::string("error: ") + e.what();
    }
  }
  decision = ranks.broadcast(decision);
  std::string failure = decision.rfind("error: ", 0) == 0 ? decision.substr(7) : "";
  if (decision == "run") {
    const auto start = std::chrono::steady_clock::now();
    auto mine = nlohmann::json::array();
    for (std::size_t i = static_cast<std::size_t>(ranks.rank()); i < run.cases().cases.size();
         i += static_cast<std::size_t>(ranks.size()))
      mine.push_back(to_json(run_case(i, run.cases().cases[i], run)));
    const auto gathered = ranks.gather(mine.dump());
    if (ranks.is_root()) {
      std::vector<std::string> discs, indices, crops, failures;
      for (const auto& f : run.cases().unusable)
        failures.push_back(csv_row({text(f.case_name), text(f.stage), text(f.reason)}));
      for (auto& [index, items] : read_items(gathered)) {
        discs.insert(discs.end(), items.discs.begin(), items.discs.end());
        indices.insert(indices.end(), items.indices.begin(), items.indices.end());
        crops.insert(crops.end(), items.crops.begin(), items.crops.end());
        failures.insert(failures.end(), items.failures.begin(), items.failures.end());
      }
      try {
        write_lines(run.folder() / run_paths::discs, csv_header(discs_columns(false)), discs);
        write_lines(run.folder() / run_paths::indices, csv_header(indices_columns(false)), indices);
        write_lines(run.folder() / run_paths::crop_index, csv_header(crop_index_columns), crops);
        write_lines(run.folder() / run_paths::case_failures, "case,stage,reason", failures);
        run.records().finished("cases", hash, output_names(stage));
        std::ostringstream line;
        line << "cases: " << run.cases().cases.size() << " cases on " << ranks.size()
             << " rank(s), " << discs.size() << " discs, " << crops.size() << " crops, "
             << failures.size() << " failed";
        run.say(line.str());
        run.timed("cases",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      } catch (const std::exception& e) {
        failure = e.what();
      }
    }
  } else if (decision == "skip") {
    run.say("cases: skipped, inputs unchanged");
  }
  failure = ranks.broadcast(failure);
  if (!failure.empty())
    run.fail("cases", failure);
}

// ---------------------------------------------------------------------------------------------
// muscles: Hess et al.'s muscle cross-sections, manual against automatic (docs/pipeline.md)

/// The folder of the axial label maps: the phantom stage's, or DATA/muscles/.
fs::path muscle_folder(const pipeline_run& run) {
  return run.settings().data.empty() ? run.folder() / run_paths::phantom_muscles
                                     : fs::path(run.settings().data) / "muscles";
}

/// The label maps directly inside `folder` by case, leaving out `<case>_t1` images.
std::map<std::string, fs::path> muscle_maps(const fs::path& folder) {
  auto files = image_files(folder);
  for (auto it = files.begin(); it != files.end();) {
    const std::string stem = image_case(it->second);
    it = stem != it->first && files.count(stem) ? files.erase(it) : std::next(it);
  }
  return files;
}

/// Phantoms: with --muscles. --data: when DATA/muscles/ exists; with --muscles and no such
/// folder, skipped with the reason in the log, failures.csv and the report.
std::optional<stage_skip> muscles_not_run(const pipeline_run& run, bool) {
  if (run.settings().data.empty()) {
    if (!run.settings().muscles)
      return stage_skip{"without --muscles"};
    return std::nullopt;
  }
  if (fs::is_directory(muscle_folder(run)))
    return std::nullopt;
  return stage_skip{muscle_folder(run).string() +
                        " does not exist: the cohort has no axial label maps of the muscles",
                    run.settings().muscles};
}

void muscles_outside_inputs(const pipeline_run& run, fingerprint& inputs) {
  if (run.settings().data.empty()) {  // the stage draws the phantoms itself
    inputs.add("phantoms " + std::to_string(run.phantoms()));
    return;
  }
  const fs::path folder = muscle_folder(run);
  if (!fs::is_directory(folder))
    return;
  for (const auto& [name, file] : muscle_maps(folder))
    inputs.add(name).add_image_file(file);
  if (fs::is_directory(folder / "automatic"))
    for (const auto& [name, file] : muscle_maps(folder / "automatic"))
      inputs.add("automatic " + name).add_image_file(file);
  if (fs::is_regular_file(folder / "labels.csv"))
    inputs.add_file(folder / "labels.csv");
}

/// One measured section of one rater, as muscles.csv holds it.
struct rater_section {
  std::string case_name, rater, muscle, side, level;
  std::int64_t label = 0;
  std::size_t slice = 0, pixels = 0;
  double csa_mm2 = 0.0;
  std::optional<vec3> centroid_mm;
  std::string status;
  bool level_slice = false;
};

inline const std::vector<std::string> pipeline_muscle_columns{
    "case",          "rater",  "muscle",  "side",          "label",
    "slice",         "pixels", "csa_mm2", "centroid_x_mm", "centroid_y_mm",
    "centroid_z_mm", "level",  "status",  "csa_cm2",       "level_slice"};

std::vector<cell> muscle_row(const rater_section& r) {
  std::vector<cell> row{text(r.case_name),
                        text(r.rater),
                        text(r.muscle),
                        text(r.side),
                        number(static_cast<double>(r.label)),
                        number(static_cast<double>(r.slice)),
                        number(static_cast<double>(r.pixels)),
                        number(r.csa_mm2)};
  for (std::size_t d = 0; d < 3; ++d)
    row.push_back(r.centroid_mm ? number((*r.centroid_mm)[d]) : cell{});
  row.push_back(text(r.level));
  row.push_back(text(r.status));
  row.push_back(number(r.csa_mm2 / 100.0));
  row.push_back(number(r.level_slice ? 1.0 : 0.0));
  return row;
}

/// The sections of one rater's label map, with the levels of `discs`.
template <class Labels>
void measure_rater(const Labels& labels, const std::string& case_name, const std::string& rater,
                   const std::vector<muscle_label>& scheme, const std::vector<disc_position>& discs,
                   std::vector<rater_section>& out) {
  std::vector<std::int64_t> wanted;
  for (const auto& m : scheme)
    wanted.push_back(m.label);
  const std::size_t slices = labels.shape()[labels.geometry.array_axis(anatomical_axis::si)];
  for (const auto& section : muscle_sections(labels, labels.geometry, wanted)) {
    const auto& m = *std::find_if(scheme.begin(), scheme.end(),
                                  [&](const auto& l) { return l.label == section.label; });
    out.push_back({case_name, rater, m.muscle, m.side ? std::string(1, m.side) : std::string(),
                   nearest_disc_level(labels.geometry, section.slice, discs).value_or(""), m.label,
                   section.slice, section.pixels, section.csa_mm2, section.centroid_mm,
                   section.status, is_level_slice(labels.geometry, slices, section.slice, discs)});
  }
}

/// Hess et al.'s agreement (Tables 6-8) of the automatic rater with the manual one on the level
/// slices: per measure, muscle and side, one row per level (top to bottom) and one over every
/// level (empty level). Pairs are keyed by (case, muscle, side, level); a key of one rater only
/// counts in n_unpaired.
table muscle_agreement_table(const std::vector<rater_section>& sections) {
  table result{{"measure", "muscle", "side", "level", "n", "pearson_r", "pearson_p", "mae",
                "mae_sd", "bias", "loa_low", "loa_high", "icc_a1", "ccc", "n_unpaired"},
               {}};
  using key = std::tuple<std::string, std::string, std::string, std::string>;
  std::map<key, const rater_section*> manual, automatic;
  std::vector<std::pair<std::string, std::string>> muscles;  // (muscle, side), first seen first
  std::map<std::string, std::pair<double, double>> level_height;  // level -> (sum z, count)
  for (const auto& s : sections) {
    if (!s.level_slice || s.level.empty() || !s.centroid_mm)
      continue;
    (s.rater == "manual" ? manual : automatic)[{s.case_name, s.muscle, s.side, s.level}] = &s;
    if (std::find(muscles.begin(), muscles.end(), std::pair{s.muscle, s.side}) == muscles.end())
      muscles.emplace_back(s.muscle, s.side);
    auto& h = level_height[s.level];
    h.first += (*s.centroid_mm)[2];
    h.second += 1.0;
  }
  std::vector<std::string> levels;
  for (const auto& [level, h] : level_height)
    levels.push_back(level);
  std::sort(levels.begin(), levels.end(), [&](const auto& a, const auto& b) {
    return level_height[a].first / level_height[a].second >
           level_height[b].first / level_height[b].second;  // superior first
  });
  levels.emplace_back();  // every level
  const std::vector<std::pair<std::string, int>> measures{
      {"csa_mm2", -1}, {"centroid_x_mm", 0}, {"centroid_y_mm", 1}};
  for (const auto& [measure, axis] : measures) {
    for (const auto& [muscle, side] : muscles) {
      for (const auto& level : levels) {
        std::vector<double> x, y;
        std::size_t unpaired = 0;
        const auto value = [&](const rater_section& s) {
          return axis < 0 ? s.csa_mm2 : (*s.centroid_mm)[static_cast<std::size_t>(axis)];
        };
        const auto in_group = [&](const key& k) {
          return std::get<1>(k) == muscle && std::get<2>(k) == side &&
                 (level.empty() || std::get<3>(k) == level);
        };
        for (const auto& [k, s] : manual) {
          if (!in_group(k))
            continue;
          const auto partner = automatic.find(k);
          if (partner == automatic.end()) {
            ++unpaired;
            continue;
          }
          x.push_back(value(*s));
          y.push_back(value(*partner->second));
        }
        for (const auto& [k, s] : automatic)
          unpaired += in_group(k) && !manual.count(k) ? 1 : 0;
        const auto a = agreement(x, y);
        result.rows.push_back({text(measure), text(muscle), text(side), text(level),
                               number(static_cast<double>(a.n)), number(a.pearson_r),
                               number(a.pearson_p), number(a.mae), number(a.mae_sd), number(a.bias),
                               number(a.loa_low), number(a.loa_high), number(a.icc_a1),
                               number(a.ccc), number(static_cast<double>(unpaired))});
      }
    }
  }
  return result;
}

/// Every case's axial label map measured as the manual rater, and the automatic rater's map
/// (DATA/muscles/automatic/<case>, or the simulated second rater of phantom/muscles.hpp, written
/// to muscles_automatic/) beside it; levels from the discs of the manual map. A map that cannot
/// be read or is not axial is a row with its status and a line of failures.csv.
void run_muscles_stage(pipeline_run& run) {
  const fs::path folder = muscle_folder(run);
  if (run.settings().data.empty()) {
    // The axial muscle phantoms of the cohort's cases, drawn here rather than by the phantom
    // stage: --muscles then never changes what the spines' stages see.
    fs::remove_all(folder);
    phantom_settings phantom;
    phantom.out = folder.string();
    phantom.cases = run.phantoms();
    phantom.seed = run.config().seed;
    phantom.quiet = true;
    write_muscle_phantoms(folder, phantom);
  }
  const fs::path scheme_file = folder / "labels.csv";
  const auto scheme = fs::is_regular_file(scheme_file) ? read_muscle_scheme(scheme_file.string())
                                                       : totalsegmentator_mr_muscles();
  std::vector<std::int64_t> wanted;
  for (const auto& m : scheme)
    wanted.push_back(m.label);
  const auto maps = muscle_maps(folder);
  const auto given = fs::is_directory(folder / "automatic") ? muscle_maps(folder / "automatic")
                                                            : std::map<std::string, fs::path>{};
  const fs::path simulated = run.folder() / run_paths::muscles_automatic;
  fs::remove_all(simulated);
  fs::create_directories(simulated);
  std::vector<rater_section> sections;
  table rows{pipeline_muscle_columns, {}};
  std::size_t case_index = 0, failed = 0;
  for (const auto& [name, file] : maps) {
    const std::size_t index = case_index++;
    try {
      const auto manual = read_label_image<std::int32_t>(file, "pipeline", {});
      if (const auto reason = not_axial_reason(manual.geometry, manual.shape()))
        throw io_error(*reason);
      std::vector<disc_position> discs;
      for (const auto& d : measure_discs(manual, manual.geometry, disc_table_options{})) {
        if (!d.level.empty() && d.centroid_mm)
          discs.push_back({d.level, *d.centroid_mm});
      }
      if (discs.empty())
        run.say("muscles: " + name + ": no discs (labels 201-225) in the map: levels stay empty");
      image<std::int32_t> automatic;
      if (const auto found = given.find(name); found != given.end()) {
        automatic = read_label_image<std::int32_t>(found->second, "pipeline", {});
        if (const auto difference =
                grid_difference("manual", manual.shape(), manual.geometry, "automatic",
                                automatic.shape(), automatic.geometry))
          throw io_error(*difference);
      } else {
        automatic = phantom::second_rater(manual, wanted, run.config().seed, index);
        write_image_atomically(simulated / (name + ".nii.gz"), automatic);
      }
      measure_rater(manual, name, "manual", scheme, discs, sections);
      measure_rater(automatic, name, "automatic", scheme, discs, sections);
    } catch (const std::exception& e) {
      ++failed;
      const std::string reason = failure_reason(e, "read and measure it");
      run.say("muscles: " + name + ": " + reason);
      run.failures().push_back({name, "muscles", reason});
      auto row = failed_case_row(name, "error: " + reason, pipeline_muscle_columns);
      rows.rows.push_back(std::move(row));
    }
  }
  for (const auto& s : sections)
    rows.rows.push_back(muscle_row(s));
  write_table_atomically(run.folder() / run_paths::muscles, rows);
  write_table_atomically(run.folder() / run_paths::muscle_agreement,
                         muscle_agreement_table(sections));
  run.say("muscles: " + std::to_string(maps.size()) + " axial label maps, " +
          std::to_string(sections.size()) + " sections, " + std::to_string(failed) + " failed");
}

// ---------------------------------------------------------------------------------------------
// autoencoder, sweep, encode, traverse

/// train-ae's settings for the pipeline's: one model, or a sweep (several sizes, a folder).
train_ae_settings training_settings(const pipeline_config& c, const fs::path& crops,
                                    const fs::path& out, std::vector<std::int64_t> bottlenecks,
                                    std::size_t epochs) {
  train_ae_settings train;
  train.crops = crops.string();
  train.out = out.string();
  train.bottlenecks = std::move(bottlenecks);
  train.epochs = static_cast<std::int64_t>(epochs);
  train.target_iou = c.target_iou;
  train.batch = static_cast<std::int64_t>(c.batch);
  train.seed = c.seed;
  train.threads = static_cast<int>(c.threads);
  train.channels = c.channels;
  train.learning_rate = c.learning_rate;
  train.quiet = true;
  return train;
}

void run_autoencoder_stage(pipeline_run& run) {
  const fs::path model = run.folder() / run_paths::model;
  fs::create_directories(model.parent_path());
  // An interrupted training on the same inputs continues from its checkpoint.
  const std::string inputs = stage_fingerprint(stage_named("autoencoder"), run);
  const fs::path started = run.folder() / run_paths::training_started;
  std::ifstream previous(started);
  std::string previous_inputs;
  previous >> previous_inputs;
  const fs::path checkpoint = model.string() + ".checkpoint";
  const bool resume_training =
      run.resume() && previous_inputs == inputs && fs::is_regular_file(checkpoint);
  if (!resume_training)  // another run's state (or a finished one's) must not leak in
    fs::remove(checkpoint);
  fs::create_directories(started.parent_path());
  write_lines(started, inputs, {});
  auto train =
      training_settings(run.config(), run.folder() / run_paths::crops, model,
                        {static_cast<std::int64_t>(run.config().bottleneck)}, run.config().epochs);
  train.checkpoint_every = static_cast<std::int64_t>(run.config().checkpoint_every);
  if (resume_training) {
    run.say("autoencoder: continuing the interrupted training from its checkpoint");
    train.resume = true;
  }
  check_status("train-ae", run_train_ae(train));
}

std::optional<stage_skip> sweep_not_run(const pipeline_run& run, bool) {
  if (run.config().bottleneck_sweep.empty())
    return stage_skip{"the setting bottleneck_sweep is empty"};
  return std::nullopt;
}

void run_sweep_stage(pipeline_run& run) {
  check_status("train-ae",
               run_train_ae(training_settings(
                   run.config(), run.folder() / run_paths::crops, run.folder() / run_paths::sweep,
                   run.config().bottleneck_sweep, run.config().sweep_epochs)));
}

void run_encode_stage(pipeline_run& run) {
  encode_settings encode;
  encode.model = (run.folder() / run_paths::model).string();
  encode.crops = (run.folder() / run_paths::crops).string();
  encode.out = (run.folder() / run_paths::latents).string();
  encode.quiet = true;
  check_status("encode", run_encode(encode));
}

void run_traverse_stage(pipeline_run& run) {
  traverse_settings traverse;
  traverse.model = (run.folder() / run_paths::model).string();
  traverse.latents = (run.folder() / run_paths::latents).string();
  traverse.out = (run.folder() / run_paths::traversal).string();
  traverse.steps = run.config().traversal_steps;
  traverse.crops = (run.folder() / run_paths::crops).string();
  traverse.method = run.config().correlation;
  traverse.quiet = true;
  check_status("traverse", run_traverse(traverse));
}

// ---------------------------------------------------------------------------------------------
// features, correlate, classify

/// discs.csv + latents.csv -> geometry_latents.csv (every measured disc with a code), and with
/// the labels -> features.csv (only the discs that also have a narrowing label).
void run_features_stage(pipeline_run& run) {
  const run_folder& out = run.folder();
  const narrowing_labels& labels = run.cases().labels;
  const csv_table discs = read_csv(out / run_paths::discs);
  const csv_table latents = read_csv(out / run_paths::latents);
  std::map<std::pair<std::string, std::string>, std::size_t> latent_row;
  for (std::size_t r = 0; r < latents.rows.size(); ++r)
    latent_row[{latents.rows[r][0], latents.rows[r][1]}] = r;
  const auto case_column = discs.column("case"), level_column = discs.column("level"),
             label_column = discs.column("label"), status_column = discs.column("status");

  std::string code_header;
  for (std::size_t c = 2; c < latents.header.size(); ++c)
    code_header += "," + latents.header[c];
  std::vector<std::string> coded, labelled;
  std::size_t unlabelled = 0, uncoded = 0;
  for (std::size_t r = 0; r < discs.rows.size(); ++r) {
    const auto& row = discs.rows[r];
    if (!is_measured_status(row[status_column]))
      continue;
    const auto code = latent_row.find({row[case_column], row[level_column]});
    if (code == latent_row.end()) {
      ++uncoded;
      continue;
    }
    const std::string line = csv_header(row);  // the row's cells, escaped and joined
    std::string code_text;
    for (std::size_t c = 2; c < latents.header.size(); ++c)
      code_text += "," + latents.rows[code->second][c];
    coded.push_back(line + code_text);
    // Labels are written as numbers (100000 as 1e+05): read them as numbers (checked: a cell
    // that is none names the file, row and column).
    const double label_value = discs.number(r, label_column);
    if (!(std::abs(label_value) < 9.0e15 && label_value == std::floor(label_value)))
      throw io_error(discs.source + ": row " + std::to_string(r + 1) + " (line " +
                     std::to_string(discs.line_of(r)) + "), column 'label': '" +
                     detail::text_excerpt(row[label_column]) + "' is not a label number");
    const auto label =
        labels.by_disc.find({row[case_column], static_cast<std::int64_t>(label_value)});
    if (label == labels.by_disc.end()) {
      ++unlabelled;
      continue;
    }
    labelled.push_back(line + "," + std::to_string(label->second) + code_text);
  }
  if (uncoded)
    run.note("encode", std::to_string(uncoded) +
                           " measured discs have no crop or latent code (see the crop failures)");
  write_lines(out / run_paths::geometry_latents, csv_header(discs.header) + code_header, coded);
  if (labels.source.empty())
    return;
  if (unlabelled)
    run.note("classify", std::to_string(unlabelled) + " discs have no narrowing label in " +
                             labels.source + " and are left out of the classification");
  write_lines(out / run_paths::features, csv_header(discs.header) + ",narrowed" + code_header,
              labelled);
}

void run_correlate_stage(pipeline_run& run) {
  const pipeline_config& c = run.config();
  correlate_settings correlate;
  correlate.table = (run.folder() / run_paths::geometry_latents).string();
  correlate.x = "z*";
  correlate.y = c.geometric_features + ",volume_mm3";
  correlate.methods = {c.correlation};
  correlate.adjust = c.adjust;
  correlate.out = (run.folder() / run_paths::correlations).string();
  correlate.quiet = true;
  check_status("correlate", run_correlate(correlate));
}

std::optional<stage_skip> classify_not_run(const pipeline_run& run, bool cohort_known) {
  if (cohort_known && run.cases().labels.source.empty())
    return stage_skip{
        "no narrowing labels (truth.csv or radiological_gradings.csv): not classified", true};
  return std::nullopt;
}

void run_classify_stage(pipeline_run& run) {
  const pipeline_config& c = run.config();
  classify_command_settings classify;
  classify.table = (run.folder() / run_paths::features).string();
  classify.label = "narrowed";
  classify.features = {{"latent", "z*"},
                       {"geometric", c.geometric_features},
                       {"combined", c.geometric_features + ",z*"}};
  classify.folds = c.folds;
  classify.seed = c.seed;
  classify.trees = c.trees;
  classify.depth = c.depth;
  classify.learning_rate = c.boosting_learning_rate;
  classify.threads = c.boosting_threads;
  classify.out = (run.folder() / run_paths::classification).string();
  classify.quiet = true;
  check_status("classify", run_classify(classify));
}

// ---------------------------------------------------------------------------------------------
// report

/// failures.csv: the case failures of the cases stage, then the stages' own.
void write_failures(const pipeline_run& run) {
  std::vector<std::string> lines;
  const fs::path case_failures = run.folder() / run_paths::case_failures;
  if (fs::is_regular_file(case_failures)) {
    for (const auto& row : read_csv(case_failures).rows) {
      std::vector<cell> cells;
      for (const auto& value : row)
        cells.push_back(text(value));
      lines.push_back(csv_row(cells));
    }
  }
  for (const auto& f : run.failures())
    lines.push_back(csv_row({text(f.case_name), text(f.stage), text(f.reason)}));
  write_lines(run.folder() / run_paths::failures, "case,stage,reason", lines);
}

/// The report's view of the settings: each with the stages whose outputs it decides.
std::vector<report_setting> report_settings(const pipeline_config& config) {
  std::vector<report_setting> settings;
  for (const auto& [key, value] : config_entries(config)) {
    report_setting setting{key, value, {}};
    for (const auto& stage : stage_table()) {
      if (std::find(stage.settings.begin(), stage.settings.end(), key) != stage.settings.end())
        setting.stages.emplace_back(stage.name);
    }
    settings.push_back(std::move(setting));
  }
  return settings;
}

void run_report_stage(pipeline_run& run) {
  write_failures(run);
  // Written even when the run stopped early: it shows what the folder holds, failures first.
  report_context context;
  context.run_folder = run.folder().root();
  context.layout = run.cases().layout;
  context.settings = report_settings(run.config());
  context.ranks = run.ranks().size();
  context.timings = run.timings();
  // A section is current when its stage's record stands for the inputs the folder holds now.
  for (const auto& stage : stage_table()) {
    if (stage.how != pipeline_stage::kind::recorded &&
        stage.how != pipeline_stage::kind::every_rank)
      continue;
    if ((stage.name != "cases" || run.cohort_known()) &&
        run.records().up_to_date(std::string(stage.name), stage_fingerprint(stage, run)))
      context.completed.insert(std::string(stage.name));
  }
  write_report(context);
  run.say("report: " + (run.folder() / run_paths::report).string());
}

// ---------------------------------------------------------------------------------------------
// The table

const std::vector<pipeline_stage>& stage_table() {
  using kind = pipeline_stage::kind;
  namespace p = run_paths;
  static const std::vector<pipeline_stage> stages{
      {"phantom",
       kind::recorded,
       {"seed"},
       {},
       {p::phantom},
       phantom_not_run,
       phantom_outside_inputs,
       run_phantom_stage},
      {"muscles",
       kind::recorded,
       {"seed"},
       {},
       {p::phantom_muscles, p::muscles, p::muscle_agreement, p::muscles_automatic},
       muscles_not_run,
       muscles_outside_inputs,
       run_muscles_stage},
      {"cases",
       kind::every_rank,
       {"labels", "min_voxels", "segmenter_model", "crop_size", "crop_spacing"},
       {p::phantom},
       {p::discs, p::indices, p::crops, p::case_failures},
       nullptr,
       cases_outside_inputs,
       run_cases_stage},
      {"autoencoder",
       kind::recorded,
       {"channels", "bottleneck", "epochs", "target_iou", "batch", "learning_rate", "seed"},
       {p::crops},
       {p::model, p::training_curve},
       nullptr,
       nullptr,
       run_autoencoder_stage},
      {"sweep",
       kind::recorded,
       {"channels", "bottleneck_sweep", "sweep_epochs", "target_iou", "batch", "learning_rate",
        "seed"},
       {p::crops},
       {p::sweep},
       sweep_not_run,
       nullptr,
       run_sweep_stage},
      {"encode",
       kind::recorded,
       {},
       {p::model, p::crops},
       {p::latents},
       nullptr,
       nullptr,
       run_encode_stage},
      {"traverse",
       kind::recorded,
       {"traversal_steps", "correlation_method"},
       {p::model, p::latents, p::crops},
       {p::traversal},
       nullptr,
       nullptr,
       run_traverse_stage},
      {"features",
       kind::derived,
       {},
       {p::discs, p::latents},
       {p::geometry_latents, p::features},
       nullptr,
       nullptr,
       run_features_stage},
      {"correlate",
       kind::recorded,
       {"correlation_method", "adjust", "geometric_features"},
       {p::geometry_latents},
       {p::correlations},
       nullptr,
       nullptr,
       run_correlate_stage},
      {"classify",
       kind::recorded,
       {"folds", "trees", "depth", "boosting_learning_rate", "seed", "geometric_features"},
       {p::features},
       {p::classification, p::classification_summary},
       classify_not_run,
       nullptr,
       run_classify_stage},
      {"report", kind::last, {}, {}, {p::failures, p::report}, nullptr, nullptr, run_report_stage},
  };
  return stages;
}

/// Shares rank 0's stopped/failed state with the other ranks before a stage they all run.
void share_state(pipeline_run& run) {
  if (run.ranks().size() < 2)
    return;
  const std::string state = run.ranks().broadcast(run.failed()    ? "failed"
                                                  : run.stopped() ? "stopped"
                                                                  : "");
  if (state == "failed")
    run.stop();
  else if (state == "stopped")
    run.stop_here();
}

}  // namespace

std::vector<std::string_view> pipeline_stage_names() {
  std::vector<std::string_view> names;
  for (const auto& stage : stage_table())
    names.push_back(stage.name);
  return names;
}

int run_pipeline(const pipeline_run_settings& settings) {
  if (settings.phantoms && !settings.data.empty())
    throw usage_error("--phantom and --data exclude each other");
  const cohort_ranks ranks;
  pipeline_run run(settings, ranks);
  if (!settings.stop_after.empty()) {
    const pipeline_stage& last = stage_named(settings.stop_after);
    if (last.not_run) {
      if (const auto skip = last.not_run(run, false))
        throw usage_error("--stop-after " + settings.stop_after + ": " + skip->reason);
    }
  }

  // Rank 0 makes the run folder and holds its lock until the run ends, however it ends.
  std::optional<run_folder_lock> lock;
  std::string refused;
  if (ranks.is_root()) {
    try {
      fs::create_directories(settings.out);
      try {
        lock.emplace(settings.out);
      } catch (const error& e) {
        refused = e.what();
      }
    } catch (const std::exception& e) {
      refused = "--out " + settings.out + ": " + e.what();
    }
  }
  if (refused = ranks.broadcast(refused); !refused.empty())
    throw io_error(refused);
  if (lock && !lock->taken_over().empty())
    run.say(lock->taken_over());

  const auto& stages = stage_table();
  std::size_t last_shared = 0;  // the ranks other than 0 leave after the last shared stage
  for (std::size_t i = 0; i < stages.size(); ++i)
    if (stages[i].how == pipeline_stage::kind::every_rank)
      last_shared = i;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const pipeline_stage& stage = stages[i];
    if (i > last_shared && !ranks.is_root())
      return 0;
    if (i <= last_shared && stage.how == pipeline_stage::kind::every_rank)
      share_state(run);
    if (stage.how == pipeline_stage::kind::last) {
      try {
        stage.run(run);
      } catch (const std::exception& e) {
        run.say(std::string(stage.name) + ": failed: " + e.what());
        return 1;
      }
      continue;
    }
    if (run.stopped())
      continue;
    if (stage.not_run) {
      if (const auto skip = stage.not_run(run, run.cohort_known())) {
        if (skip->noted) {
          run.note(stage.name, skip->reason);
          run.say(std::string(stage.name) + ": skipped: " + skip->reason);
        }
        continue;
      }
    }
    switch (stage.how) {
      case pipeline_stage::kind::every_rank:
        stage.run(run);
        run.finished_stage(stage.name);
        break;
      case pipeline_stage::kind::recorded:
        if (ranks.is_root())
          run_recorded_stage(stage, run);
        break;
      case pipeline_stage::kind::derived:
        try {
          stage.run(run);
        } catch (const std::exception& e) {
          run.fail(stage.name, e.what());
        }
        run.finished_stage(stage.name);
        break;
      case pipeline_stage::kind::last:
        break;
    }
  }
  return run.failed() ? 1 : 0;
}

}  // namespace discgeom::cli
