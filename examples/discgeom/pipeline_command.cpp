// SPDX-License-Identifier: MIT
// `discgeom pipeline`: the stages, their records and the failures (docs/pipeline.md).
#include "pipeline_command.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arguments.hpp"
#include "autoencoder_commands.hpp"
#include "classify_command.hpp"
#include "cohort_ranks.hpp"
#include "correlate_command.hpp"
#include "crop_command.hpp"
#include "crops.hpp"
#include "discs_command.hpp"
#include "inputs.hpp"
#include "phantom_command.hpp"
#include "pipeline_config.hpp"
#include "pipeline_inputs.hpp"
#include "pipeline_records.hpp"
#include "report.hpp"
#include "segment_commands.hpp"
#include "table.hpp"

namespace discgeom::cli {
namespace {

namespace fs = std::filesystem;

/// Writes a header and lines to `file` atomically.
void write_lines(const fs::path& file, const std::string& header,
                 const std::vector<std::string>& lines) {
  detail::write_atomically(file, "pipeline", [&](const fs::path& temporary) {
    std::ofstream out(temporary);
    out << header << '\n';
    for (const auto& line : lines)
      out << line << '\n';
    out.close();
    if (!out)
      throw std::runtime_error(detail::stream_failure_reason());
  });
}

/// What one case contributes to the cases stage's tables: CSV rows, in order. The cases of a
/// rank travel to rank 0 as one JSON array of {"case", "discs", "crops", "failures"} objects.
struct case_items {
  std::size_t index = 0;
  std::vector<std::string> discs, crops, failures;
};

nlohmann::json to_json(const case_items& items) {
  return {{"case", items.index},
          {"discs", items.discs},
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
      c.crops = item.at("crops").get<std::vector<std::string>>();
      c.failures = item.at("failures").get<std::vector<std::string>>();
      by_case[c.index] = std::move(c);
    }
  }
  return by_case;
}

/// The settings of the cases stage that decide its outputs.
disc_table_options disc_scheme(const pipeline_config& config) {
  disc_table_options scheme;
  scheme.scheme =
      config.labels == "ordinal" ? disc_label_scheme::ordinal : disc_label_scheme::spider;
  scheme.min_voxels = config.min_voxels;
  return scheme;
}

/// The per-case work: (segment,) measure the discs, crop them. Returns the case's items.
case_items run_case(std::size_t index, const cohort_case& c, const fs::path& out,
                    const pipeline_config& config) {
  case_items items;
  items.index = index;
  const auto fail = [&](const std::string& stage, const std::string& reason) {
    items.failures.push_back(csv_row({text(c.name), text(stage), text(reason)}));
    return items;
  };
  fs::path mask = c.mask;
  try {
    if (!config.segmenter_model.empty() && !c.image.empty()) {
      mask = out / "segmentations" / (c.name + ".nii.gz");
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
    const auto discs = measure_discs(labels, labels.geometry, disc_scheme(config));
    std::size_t measured = 0;
    for (const auto& d : discs) {
      if (d.status == "fragment")
        continue;
      items.discs.push_back(csv_row(disc_row(c.name, d, false)));
      ++measured;
    }
    if (measured == 0)
      return fail("discs", std::string("no disc in the mask (labels ") + config.labels +
                               (config.labels == "spider" ? ": discs are 201-225)" : ")"));
    stage = "crops";
    for (const auto& row : crop_discs(labels, discs, c.name, mask, out / "crops", config.crop_size,
                                      parse_spacing(config.crop_spacing, "crop_spacing")))
      items.crops.push_back(csv_row(row));
  } catch (const std::exception& e) {
    return fail(stage, e.what());
  }
  return items;
}

/// Runs a command of the program as a stage: its exit status, with exceptions as failures.
void run_command(const char* stage, int (*command)(const std::vector<std::string>&),
                 const std::vector<std::string>& args) {
  const int status = command(args);
  if (status != 0)
    throw std::runtime_error(std::string(stage) + " exited with status " + std::to_string(status));
}

/// The stages in the order they run.
const std::vector<std::string> stage_order{"phantom", "cases",    "autoencoder", "sweep",
                                           "encode",  "traverse", "correlate",   "classify"};

/// A stage and the later stages that read its outputs: when it runs again, their records no
/// longer stand (the sweep reads only the crops, traverse's outputs feed no other stage).
std::vector<std::string> stage_and_dependents(const std::string& stage) {
  if (stage == "phantom" || stage == "cases")
    return {stage_order.begin() + (stage == "phantom" ? 0 : 1), stage_order.end()};
  if (stage == "autoencoder")
    return {"autoencoder", "encode", "traverse", "correlate", "classify"};
  if (stage == "encode")
    return {"encode", "traverse", "correlate", "classify"};
  return {stage};
}

class pipeline_run {
 public:
  pipeline_run(fs::path out, pipeline_config config, bool resume, std::string stop_after,
               const cohort_ranks& ranks)
      : out_(std::move(out)),
        config_(std::move(config)),
        resume_(resume),
        stop_after_(std::move(stop_after)),
        ranks_(ranks),
        records_(out_) {}

  /// Runs `work` as `stage` on rank 0 unless --resume finds it up to date. Returns false when
  /// the stage failed (recorded) or when the run stops here.
  bool stage(const std::string& name, const std::string& inputs,
             const std::vector<std::string>& outputs, const std::function<void()>& work) {
    if (stopped_)
      return false;
    if (resume_ && records_.up_to_date(name, inputs)) {
      say(name + ": skipped, inputs unchanged");
    } else {
      const auto start = std::chrono::steady_clock::now();
      try {
        // This stage and every later one no longer hold what their records say.
        for (const auto& affected : stage_and_dependents(name))
          records_.forget(affected);
        work();
        records_.finished(name, inputs, outputs);
      } catch (const std::exception& e) {
        failures_.push_back({"", name, e.what()});
        say(name + ": failed: " + e.what());
        stopped_ = failed_ = true;
        return false;
      }
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::ostringstream line;
      line.precision(3);
      line << name << ": done in " << seconds << " s";
      say(line.str());
      timings_.emplace_back(name, seconds);
    }
    if (name == stop_after_) {
      say("stopping after " + name + " (--stop-after)");
      stopped_ = true;
    }
    return !stopped_;
  }

  void say(const std::string& line) const {
    if (ranks_.is_root())
      std::cerr << "discgeom pipeline: " << line << '\n';
  }

  const fs::path& out() const { return out_; }
  const pipeline_config& config() const { return config_; }
  bool resume() const { return resume_; }
  bool stopped() const { return stopped_; }
  bool failed() const { return failed_; }
  void stop() { stopped_ = failed_ = true; }
  void stop_here() { stopped_ = true; }
  const stage_records& records() const { return records_; }
  std::vector<pipeline_failure>& failures() { return failures_; }
  const std::vector<std::pair<std::string, double>>& timings() const { return timings_; }

 private:
  fs::path out_;
  pipeline_config config_;
  bool resume_ = false;
  std::string stop_after_;
  const cohort_ranks& ranks_;
  stage_records records_;
  std::vector<pipeline_failure> failures_;
  std::vector<std::pair<std::string, double>> timings_;
  bool stopped_ = false;
  bool failed_ = false;
};

/// The settings entries whose keys are listed, as fingerprint input.
std::string settings_text(const pipeline_config& config, const std::set<std::string>& keys) {
  std::string text;
  for (const auto& [key, value] : config_entries(config)) {
    if (keys.count(key))
      text += key + "=" + value + ";";
  }
  return text;
}

/// The per-case stage on every rank, gathered on rank 0 into discs.csv, crops/index.csv and
/// case_failures.csv, in case order (the same bytes however many ranks ran it).
void run_cases_stage(pipeline_run& run, const cohort& cases, const cohort_ranks& ranks) {
  const fs::path out = run.out();
  // Rank 0 fingerprints the inputs, decides, and prepares the folders; every rank learns the
  // outcome from one broadcast, so an error there cannot leave the others waiting.
  std::string hash, decision;
  if (ranks.is_root()) {
    try {
      const bool segmenting = !run.config().segmenter_model.empty();
      fingerprint inputs;
      inputs.add("cases v1")
          .add(settings_text(run.config(), {"labels", "min_voxels", "segmenter_model", "crop_size",
                                            "crop_spacing"}));
      if (segmenting)  // inference may differ in the last bits with the thread count
        inputs.add(settings_text(run.config(), {"threads"})).add_file(run.config().segmenter_model);
      for (const auto& c : cases.cases)
        inputs.add(c.name).add_image_file(c.mask).add_image_file(c.image);
      for (const auto& f : cases.unusable)
        inputs.add(f.case_name).add(f.reason);
      hash = inputs.hex();
      if (run.resume() && run.records().up_to_date("cases", hash)) {
        decision = "skip";
      } else {
        for (const auto& affected : stage_and_dependents("cases"))
          run.records().forget(affected);
        fs::remove_all(out / "crops");
        fs::create_directories(out / "crops");
        if (segmenting)
          fs::create_directories(out / "segmentations");
        decision = "run";
      }
    } catch (const std::exception& e) {
      decision = std::string("error: ") + e.what();
    }
  }
  decision = ranks.broadcast(decision);
  const bool skip = decision == "skip";
  std::string failure = decision.rfind("error: ", 0) == 0 ? decision.substr(7) : "";
  if (!skip && failure.empty()) {
    auto mine = nlohmann::json::array();
    for (std::size_t i = static_cast<std::size_t>(ranks.rank()); i < cases.cases.size();
         i += static_cast<std::size_t>(ranks.size()))
      mine.push_back(to_json(run_case(i, cases.cases[i], out, run.config())));
    const auto gathered = ranks.gather(mine.dump());
    if (ranks.is_root()) {
      std::vector<std::string> discs, crops, failures;
      for (const auto& f : cases.unusable)
        failures.push_back(csv_row({text(f.case_name), text(f.stage), text(f.reason)}));
      for (auto& [index, items] : read_items(gathered)) {
        discs.insert(discs.end(), items.discs.begin(), items.discs.end());
        crops.insert(crops.end(), items.crops.begin(), items.crops.end());
        failures.insert(failures.end(), items.failures.begin(), items.failures.end());
      }
      try {
        write_lines(out / "discs.csv", csv_header(discs_columns(false)), discs);
        write_lines(out / "crops" / "index.csv", csv_header(crop_index_columns), crops);
        write_lines(out / "case_failures.csv", "case,stage,reason", failures);
        run.records().finished("cases", hash, {"discs.csv", "crops", "case_failures.csv"});
        std::ostringstream line;
        line << "cases: " << cases.cases.size() << " cases on " << ranks.size() << " rank(s), "
             << discs.size() << " discs, " << crops.size() << " crops, " << failures.size()
             << " failed";
        run.say(line.str());
      } catch (const std::exception& e) {
        failure = e.what();
      }
    }
  } else if (skip) {
    run.say("cases: skipped, inputs unchanged");
  }
  failure = ranks.broadcast(failure);
  if (!failure.empty()) {
    run.failures().push_back({"", "cases", failure});
    run.say("cases: failed: " + failure);
    run.stop();
  }
}

/// discs.csv + latents.csv -> geometry_latents.csv (every measured disc with a code), and with
/// the labels -> features.csv (only the discs that also have a narrowing label).
void write_feature_tables(const fs::path& out, const narrowing_labels& labels,
                          std::vector<pipeline_failure>& notes) {
  const csv_table discs = read_csv(out / "discs.csv");
  const csv_table latents = read_csv(out / "latents.csv");
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
  for (const auto& row : discs.rows) {
    if (row[status_column] != "ok")
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
    // Labels are written as numbers (100000 as 1e+05): read them as numbers.
    const auto label = labels.by_disc.find(
        {row[case_column], static_cast<std::int64_t>(std::stod(row[label_column]))});
    if (label == labels.by_disc.end()) {
      ++unlabelled;
      continue;
    }
    labelled.push_back(line + "," + std::to_string(label->second) + code_text);
  }
  if (uncoded)
    notes.push_back({"", "encode",
                     std::to_string(uncoded) +
                         " measured discs have no crop or latent code (see the crop failures)"});
  write_lines(out / "geometry_latents.csv", csv_header(discs.header) + code_header, coded);
  if (labels.source.empty())
    return;
  if (unlabelled)
    notes.push_back({"", "classify",
                     std::to_string(unlabelled) + " discs have no narrowing label in " +
                         labels.source + " and are left out of the classification"});
  write_lines(out / "features.csv", csv_header(discs.header) + ",narrowed" + code_header, labelled);
}

/// failures.csv: the case failures of the cases stage, then the stages' own.
void write_failures(const fs::path& out, const std::vector<pipeline_failure>& stage_failures) {
  std::vector<std::string> lines;
  if (fs::is_regular_file(out / "case_failures.csv")) {
    const csv_table cases = read_csv(out / "case_failures.csv");
    for (const auto& row : cases.rows) {
      std::vector<cell> cells;
      for (const auto& value : row)
        cells.push_back(text(value));
      lines.push_back(csv_row(cells));
    }
  }
  for (const auto& f : stage_failures)
    lines.push_back(csv_row({text(f.case_name), text(f.stage), text(f.reason)}));
  write_lines(out / "failures.csv", "case,stage,reason", lines);
}

/// The arguments of `discgeom train-ae` for the pipeline's settings: one model (`bottlenecks`
/// one size, `out` a file) or a sweep (several sizes, `out` a folder).
std::vector<std::string> train_ae_arguments(const pipeline_config& c, const fs::path& crops,
                                            const fs::path& out_path,
                                            const std::string& bottlenecks, std::size_t epochs) {
  return {"--crops",         crops.string(),
          "--out",           out_path.string(),
          "--bottleneck",    bottlenecks,
          "--epochs",        std::to_string(epochs),
          "--target-iou",    format_number(c.target_iou),
          "--batch",         std::to_string(c.batch),
          "--seed",          std::to_string(c.seed),
          "--threads",       std::to_string(c.threads),
          "--channels",      c.channels,
          "--learning-rate", format_number(c.learning_rate),
          "--quiet"};
}

}  // namespace

int run_pipeline(const std::vector<std::string>& argv) {
  const auto args =
      parse_arguments(argv, {"--out", "--phantom", "--data", "--config", "--stop-after"},
                      {"--paper", "--resume", "--quiet"});
  if (!args.positional.empty())
    throw usage_error("pipeline takes no positional argument ('" + args.positional[0] + "')");
  if (!args.has("--out"))
    throw usage_error("pipeline needs --out DIR");
  if (args.has("--phantom") && args.has("--data"))
    throw usage_error("--phantom and --data exclude each other");
  const std::set<std::string> stages{"phantom",  "cases",     "autoencoder", "sweep", "encode",
                                     "traverse", "correlate", "classify",    "report"};
  const std::string stop_after = args.value_or("--stop-after", "");
  if (!stop_after.empty() && !stages.count(stop_after))
    throw usage_error("--stop-after '" + stop_after +
                      "' is not a stage (phantom, cases, autoencoder, sweep, encode, traverse, "
                      "correlate, classify, report)");
  pipeline_config config = args.has("--paper") ? paper_pipeline_config() : pipeline_config{};
  if (args.has("--config"))
    read_config_file(args.value_or("--config", ""), config);
  const std::size_t phantoms =
      args.has("--phantom") ? parse_count("--phantom", args.value_or("--phantom", "")) : 40;
  if (!args.has("--data") && phantoms < 2)
    throw usage_error("--phantom needs at least 2 spines");
  if (stop_after == "phantom" && args.has("--data"))
    throw usage_error("--stop-after phantom: with --data there is no phantom stage");
  if (stop_after == "sweep" && config.bottleneck_sweep.empty())
    throw usage_error("--stop-after sweep: the setting bottleneck_sweep is empty");

  const cohort_ranks ranks;
  const fs::path out = args.value_or("--out", "");
  std::string created;
  if (ranks.is_root()) {
    try {
      fs::create_directories(out);
    } catch (const std::exception& e) {
      created = e.what();
    }
  }
  if (created = ranks.broadcast(created); !created.empty())
    throw io_error("--out " + out.string() + ": " + created);
  pipeline_run run(out, config, args.has("--resume"), stop_after, ranks);
  const auto& c = run.config();

  // Phantom cohort (rank 0 writes it; every rank reads it).
  fs::path data = args.value_or("--data", "");
  if (data.empty()) {
    data = out / "phantom";
    fingerprint inputs;
    inputs.add("phantom v1").add(std::to_string(phantoms)).add(std::to_string(c.seed));
    inputs.add(c.segmenter_model.empty() ? "masks" : "images");
    std::string failure;
    if (ranks.is_root()) {
      run.stage("phantom", inputs.hex(), {"phantom"}, [&] {
        fs::remove_all(data);
        std::vector<std::string> phantom_args{"--out",   data.string(),
                                              "--cases", std::to_string(phantoms),
                                              "--seed",  std::to_string(c.seed)};
        if (!c.segmenter_model.empty())
          phantom_args.push_back("--image");
        run_command("phantom", run_phantom, phantom_args);
      });
      failure = run.failed() ? "failed" : run.stopped() ? "stop" : "";
    }
    failure = ranks.broadcast(failure);
    if (failure == "failed")
      run.stop();
    else if (failure == "stop")
      run.stop_here();
  }

  // Rank 0 finds the cases and tells the others, so every rank works on the same list.
  cohort cases;
  if (!run.stopped()) {
    std::string listing;
    if (ranks.is_root()) {
      try {
        cases = find_cohort(data, !c.segmenter_model.empty());
        run.say("cohort: " + std::to_string(cases.cases.size()) + " cases (" + cases.layout +
                " layout), labels " + (cases.labels.source.empty() ? "none" : cases.labels.source));
        listing = "ok\n";
        for (const auto& one : cases.cases)
          listing += one.name + '\t' + one.mask.string() + '\t' + one.image.string() + '\n';
      } catch (const std::exception& e) {
        listing = std::string("error\n") + e.what();
      }
    }
    listing = ranks.broadcast(listing);
    if (listing.rfind("error\n", 0) == 0) {
      run.failures().push_back({"", "inputs", listing.substr(6)});
      run.say("inputs: failed: " + listing.substr(6));
      run.stop();
    } else if (!ranks.is_root()) {
      std::istringstream lines(listing.substr(3));
      for (std::string line; std::getline(lines, line);) {
        const auto tab1 = line.find('\t'), tab2 = line.find('\t', tab1 + 1);
        cases.cases.push_back(
            {line.substr(0, tab1), line.substr(tab1 + 1, tab2 - tab1 - 1), line.substr(tab2 + 1)});
      }
    }
  }
  if (!run.stopped()) {
    run_cases_stage(run, cases, ranks);
    if (!run.stopped() && stop_after == "cases") {
      run.say("stopping after cases (--stop-after)");
      run.stop_here();
    }
  }
  if (!ranks.is_root())
    return 0;  // the remaining stages run on rank 0 only

  const fs::path model = out / "autoencoder" / "model.pt";
  const std::string crops_hash =
      fingerprint{}.add_folder(out / "crops").hex();  // every crop and the index
  const std::string ae_settings = settings_text(
      c, {"channels", "bottleneck", "epochs", "target_iou", "batch", "learning_rate", "seed"});
  const std::string train_inputs = fingerprint{}.add(crops_hash).add(ae_settings).hex();
  run.stage("autoencoder", train_inputs,
            {"autoencoder/model.pt", "autoencoder/model.pt.training.csv"}, [&] {
              fs::create_directories(model.parent_path());
              // An interrupted training on the same inputs continues from its checkpoint.
              const fs::path started = out / "records" / "autoencoder.started";
              std::ifstream previous(started);
              std::string previous_inputs;
              previous >> previous_inputs;
              const fs::path checkpoint = model.string() + ".checkpoint";
              const bool resume_training = run.resume() && previous_inputs == train_inputs &&
                                           fs::is_regular_file(checkpoint);
              if (!resume_training)  // another run's state (or a finished one's) must not leak in
                fs::remove(checkpoint);
              write_lines(started, train_inputs, {});
              auto train = train_ae_arguments(c, out / "crops", model, std::to_string(c.bottleneck),
                                              c.epochs);
              train.insert(train.end(), {"--checkpoint-every", std::to_string(c.checkpoint_every)});
              if (resume_training) {
                run.say("autoencoder: continuing the interrupted training from its checkpoint");
                train.push_back("--resume");
              }
              run_command("train-ae", run_train_ae, train);
            });
  if (!c.bottleneck_sweep.empty()) {
    const std::string sweep_inputs =
        fingerprint{}
            .add(crops_hash)
            .add(settings_text(c, {"channels", "bottleneck_sweep", "sweep_epochs", "target_iou",
                                   "batch", "learning_rate", "seed"}))
            .hex();
    run.stage("sweep", sweep_inputs, {"autoencoder/sweep"}, [&] {
      run_command("train-ae", run_train_ae,
                  train_ae_arguments(c, out / "crops", out / "autoencoder" / "sweep",
                                     c.bottleneck_sweep, c.sweep_epochs));
    });
  }
  const std::string model_hash = fingerprint{}.add_file(model).hex();
  run.stage("encode", fingerprint{}.add(model_hash).add(crops_hash).hex(), {"latents.csv"}, [&] {
    run_command("encode", run_encode,
                {"--model", model.string(), "--crops", (out / "crops").string(), "--out",
                 (out / "latents.csv").string()});
  });
  const std::string latents_hash = fingerprint{}.add_file(out / "latents.csv").hex();
  run.stage("traverse",
            fingerprint{}
                .add(model_hash)
                .add(latents_hash)
                .add(crops_hash)
                .add(settings_text(c, {"traversal_steps", "correlation_method"}))
                .hex(),
            {"traversal"}, [&] {
              run_command(
                  "traverse", run_traverse,
                  {"--model", model.string(), "--latents", (out / "latents.csv").string(), "--out",
                   (out / "traversal").string(), "--steps", std::to_string(c.traversal_steps),
                   "--crops", (out / "crops").string(), "--method", c.correlation_method});
            });
  if (!run.stopped()) {
    std::vector<pipeline_failure> notes;
    try {
      write_feature_tables(out, cases.labels, notes);
    } catch (const std::exception& e) {
      run.failures().push_back({"", "features", e.what()});
      run.stop();
    }
    run.failures().insert(run.failures().end(), notes.begin(), notes.end());
  }
  const std::string geometric = c.geometric_features;
  run.stage("correlate",
            fingerprint{}
                .add_file(out / "geometry_latents.csv")
                .add(settings_text(c, {"correlation_method", "adjust", "geometric_features"}))
                .hex(),
            {"correlations.csv"}, [&] {
              run_command("correlate", run_correlate,
                          {(out / "geometry_latents.csv").string(), "--x", "z*", "--y",
                           geometric + ",volume_mm3", "--method", c.correlation_method, "--adjust",
                           c.adjust, "--out", (out / "correlations.csv").string()});
            });
  if (!run.stopped() && cases.labels.source.empty()) {
    run.failures().push_back(
        {"", "classify",
         "no narrowing labels (truth.csv or radiological_gradings.csv): not classified"});
  } else if (!run.stopped()) {
    run.stage("classify",
              fingerprint{}
                  .add_file(out / "features.csv")
                  .add(settings_text(c, {"folds", "trees", "depth", "boosting_learning_rate",
                                         "seed", "geometric_features"}))
                  .hex(),
              {"classification.csv", "classification.summary.csv"}, [&] {
                run_command("classify", run_classify,
                            {(out / "features.csv").string(),
                             "--label",
                             "narrowed",
                             "--features",
                             "latent=z*",
                             "--features",
                             "geometric=" + geometric,
                             "--features",
                             "combined=" + geometric + ",z*",
                             "--folds",
                             std::to_string(c.folds),
                             "--seed",
                             std::to_string(c.seed),
                             "--trees",
                             std::to_string(c.trees),
                             "--depth",
                             std::to_string(c.depth),
                             "--learning-rate",
                             format_number(c.boosting_learning_rate),
                             "--threads",
                             std::to_string(c.boosting_threads),
                             "--out",
                             (out / "classification.csv").string()});
              });
  }

  int status = run.failed() ? 1 : 0;
  try {
    write_failures(out, run.failures());
    // Written even when the run stopped early: it shows what the folder holds, failures first.
    report_context context;
    context.run_folder = out;
    context.layout = cases.layout;
    context.settings = config_entries(c);
    context.ranks = ranks.size();
    context.timings = run.timings();
    for (const auto& stage : stage_order) {
      if (fs::is_regular_file(out / "records" / (stage + ".txt")))
        context.completed.insert(stage);
    }
    write_report(context);
    run.say("report: " + (out / "report.html").string());
  } catch (const std::exception& e) {
    run.say(std::string("report: failed: ") + e.what());
    status = 1;
  }
  return status;
}

}  // namespace discgeom::cli
