// SPDX-License-Identifier: MIT
#pragma once
// `discgeom overlap --reference REF --prediction PRED [--labels L,...] [--tolerance-mm T]
//   [--percentile P] ...`: overlap and surface-distance metrics of a predicted segmentation
// against a reference, for one pair of files or for two folders of cases matched by case name
// (docs/cli.md). With `--convention spider-challenge`, the SPIDER challenge's ten scores per case
// and their mean and std over the cases instead.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <map>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "case_rows.hpp"
#include "command_line.hpp"
#include "discgeom/io/image_io.hpp"
#include "discgeom/metrics/evaluate.hpp"
#include "discgeom/metrics/matching.hpp"
#include "discgeom/metrics/spider_challenge.hpp"
#include "discgeom/stats/summary.hpp"
#include "inputs.hpp"
#include "outputs.hpp"
#include "progress.hpp"
#include "rows/overlap.hpp"
#include "table.hpp"

namespace discgeom::cli {

/// What evaluate_pair computes for every pair of files.
struct overlap_evaluation {
  evaluation_options evaluation{};
  bool match = false;
  match_options matching{};
  geometry_overrides overrides{};
};

/// "201,202": labels, each a whole number in [1, 4294967295].
inline std::vector<label_value> parse_labels(const std::string& text) {
  std::vector<label_value> labels;
  for (const std::string& part : split_commas(text)) {
    char* end = nullptr;
    const unsigned long long value = std::strtoull(part.c_str(), &end, 10);
    if (part.empty() || *end != '\0' || part[0] == '-' || value == 0 || value > UINT32_MAX) {
      throw usage_error("--labels '" + text + "': '" + part +
                        "' is not a label (a whole number in [1, 4294967295])");
    }
    labels.push_back(static_cast<label_value>(value));
  }
  return labels;
}

/// One evaluated label of one case (rows/overlap.hpp).
using rows::overlap_record;

/// A reference and a prediction read as labels, on one grid.
struct label_images {
  image<std::uint32_t> reference;
  image<std::uint32_t> prediction;
  std::string both;  ///< "REF vs PRED: ", the start of a message about the two
};

/// Reads a pair of label files and checks that they share one grid. \throws discgeom::error
/// naming the file at fault, or both files and the difference
inline label_images read_label_images(const std::filesystem::path& reference_file,
                                      const std::filesystem::path& prediction_file,
                                      const geometry_overrides& overrides) {
  const auto with_file = [](const std::filesystem::path& file, auto&& read) {
    try {
      return read();
    } catch (const std::exception& e) {  // std::bad_alloc included: named as this file's
      throw io_error(file.string() + ": " + failure_reason(e));
    }
  };
  label_images images{
      with_file(
          reference_file,
          [&] { return read_label_image<std::uint32_t>(reference_file, "overlap", overrides); }),
      with_file(
          prediction_file,
          [&] { return read_label_image<std::uint32_t>(prediction_file, "overlap", overrides); }),
      reference_file.string() + " vs " + prediction_file.string() + ": "};
  try {
    require_same_grid("overlap", images.reference.shape(), images.reference.geometry,
                      images.prediction.shape(), images.prediction.geometry);
  } catch (const error& e) {
    throw precondition_error(images.both + e.what());
  }
  return images;
}

/// Every label of one pair of files. \throws discgeom::error naming the file at fault
inline std::vector<overlap_record> evaluate_pair(const std::filesystem::path& reference_file,
                                                 const std::filesystem::path& prediction_file,
                                                 const overlap_evaluation& settings) {
  const auto images = read_label_images(reference_file, prediction_file, settings.overrides);
  const auto& reference = images.reference;
  const auto& prediction = images.prediction;
  const std::string& both = images.both;
  label_pair_counts pairs;
  std::vector<label_evaluation> evaluations;
  std::optional<matching> matches;
  try {
    pairs = count_label_pairs(reference.view(), prediction.view());
    evaluations = evaluate_segmentation(pairs, reference.view(), prediction.view(),
                                        reference.geometry, settings.evaluation);
    if (settings.match)
      matches = match_structures(pairs, settings.matching);
  } catch (const std::bad_alloc&) {
    throw io_error(both + "not enough memory to compare them");
  }
  return rows::overlap_records(evaluations, matches);
}

/// The image files of a folder, by case name.
inline std::map<std::string, std::filesystem::path> cases_in(const std::filesystem::path& folder) {
  std::map<std::string, std::filesystem::path> cases;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (!entry.is_regular_file())
      continue;
    const std::string name = case_name(entry.path());
    if (name != entry.path().filename().string())  // an image file
      cases[name] = entry.path();
  }
  return cases;
}

/// Per label and metric: the mean over cases with its intervals.
inline table summary_table(const std::vector<std::pair<std::string, overlap_record>>& records,
                           bool with_match, std::uint64_t seed) {
  table summary{{"label", "metric", "n", "n_missing", "mean", "sd", "t_ci_low", "t_ci_high",
                 "bootstrap_ci_low", "bootstrap_ci_high"},
                {}};
  std::map<label_value, std::map<std::string, std::vector<double>>> values;
  const std::vector<std::string> metrics{"dice",    "iou",     "precision", "recall", "hd_mm",
                                         "hd95_mm", "assd_mm", "masd_mm",   "nsd"};
  for (const auto& [name, record] : records) {
    const auto& e = record.evaluation;
    auto& v = values[e.label];
    const std::vector<double> row{
        e.overlap.dice,    e.overlap.iou,          e.overlap.precision,
        e.overlap.recall,  e.surface.hausdorff_mm, e.surface.hausdorff_percentile_mm,
        e.surface.assd_mm, e.surface.masd_mm,      e.surface.nsd};
    for (std::size_t i = 0; i < metrics.size(); ++i)
      v[metrics[i]].push_back(row[i]);
    if (with_match && record.match)
      v["detection_rate"].push_back(record.match->detected ? 1.0 : 0.0);
  }
  for (const auto& [label, per_metric] : values) {
    std::vector<std::string> names = metrics;
    if (per_metric.count("detection_rate"))
      names.push_back("detection_rate");
    for (const auto& metric : names) {
      const auto s = summarise_mean(per_metric.at(metric), {.seed = seed});
      summary.rows.push_back(
          {number(static_cast<double>(label)), text(metric), number(static_cast<double>(s.n)),
           number(static_cast<double>(s.n_missing)), number(s.mean), number(s.sd), number(s.t_low),
           number(s.t_high), number(s.bootstrap_low), number(s.bootstrap_high)});
    }
  }
  return summary;
}

/// The settings of `discgeom overlap`.
struct overlap_settings {
  std::string reference;  ///< a label image, or a folder of them
  /// A label image, or a folder of them (as reference), whose images pair with the reference's
  /// by case name.
  std::string prediction;
  std::vector<label_value> labels;  ///< the labels to score; empty: every label in either image
  /// Whose definitions the metrics follow (conventions_of); spider_challenge: the challenge's
  /// ten scores per case instead of the per-label table (spider_challenge_score).
  metric_convention convention = metric_convention::discgeom;
  /// spider_challenge only: the spacing order of its surface distances; unset: corrected.
  std::optional<challenge_spacing> challenge_spacing_order;
  double tolerance_mm = surface_metric_options{}.tolerance_mm;  ///< of the NSD, >= 0
  double percentile = surface_metric_options{}.percentile;      ///< of hd95_mm, in [0, 100]
  bool match = false;  ///< also the best-overlapping prediction label of every reference label
  /// Given: matches below this Dice are missed structures, and the labels are matched (as with
  /// match).
  std::optional<double> min_dice;
  /// Folders: the summary table's file; empty: beside --out as NAME.summary.EXT, or after the
  /// case table on stdout.
  std::string summary;
  std::uint64_t seed = 0;  ///< of the summary's bootstrap intervals
  geometry_overrides overrides;
  table_format format = table_format::csv;
  std::string out;  ///< empty: stdout
  bool quiet = false;
};

inline void add_overlap_options(CLI::App& app, overlap_settings& s) {
  add_text(app, "--reference", s.reference, "the reference labels: an image, or a folder of images",
           "REF")
      ->required();
  add_text(app, "--prediction", s.prediction,
           "the predicted labels: an image, or a folder of images (as REF)", "PRED")
      ->required();
  add_parsed(
      app, "--labels", s.labels,
      [](const std::string&, const std::string& text) { return parse_labels(text); },
      "the labels to score, absent ones included (default: those in either image)", "L,...");
  add_number(app, "--tolerance-mm", s.tolerance_mm,
             "tolerance of the normalised surface distance (nsd), in mm", 0.0, 1e300);
  add_number(app, "--percentile", s.percentile, "percentile of the Hausdorff distance hd95_mm", 0.0,
             100.0);
  add_choice(app, "--convention", s.convention,
             "whose definitions the metrics follow (docs/metrics.md); spider-challenge: the "
             "SPIDER challenge's scores per case");
  add_parsed(
      app, "--challenge-spacing", s.challenge_spacing_order,
      [](const std::string& option, const std::string& text) {
        return std::optional<challenge_spacing>(parse_choice<challenge_spacing>(option, text));
      },
      "spider-challenge: as-released reproduces the released evaluation.py, which gives array "
      "axis k the spacing of axis 2 - k",
      enum_choices<challenge_spacing>())
      ->default_str(std::string(to_string(challenge_spacing::corrected)));
  add_switch(app, "--match", s.match,
             "match every reference label to its best-overlapping prediction label");
  add_parsed(
      app, "--min-dice", s.min_dice,
      [](const std::string& option, const std::string& text) {
        return std::optional<double>(parse_number(option, text, 0.0, 1.0));
      },
      "a match below this Dice is a missed structure (implies --match)", "X")
      ->default_str(format_number(match_options{}.min_dice));
  add_text(app, "--summary", s.summary,
           "folders: the summary table's file (default: beside --out, NAME.summary.EXT)", "FILE");
  add_count(app, "--seed", s.seed, "seed of the summary's bootstrap intervals");
  add_geometry_overrides(app, s.overrides);
  add_table_output(app, s.format, s.out);
  add_quiet(app, s.quiet);
  app.footer(
      "REF and PRED are two label images, or two folders whose images are paired by case name.\n"
      "With folders, a summary follows: per label and metric the mean over the cases with its\n"
      "t and bootstrap intervals (in --summary FILE, beside --out FILE, or after the table).\n"
      "--convention spider-challenge: one row per case with the challenge's ten scores, then\n"
      "rows 'mean' and 'std' over the cases (docs/metrics.md, \"SPIDER challenge scores\").");
}

/// Folders: the summary table's file (--summary, else beside --out as NAME.summary.EXT); empty:
/// after the case table on stdout.
inline std::string overlap_summary_path(const overlap_settings& s) {
  if (!s.summary.empty() || s.out.empty())
    return s.summary;
  const std::filesystem::path p(s.out);
  return (p.parent_path() / (p.stem().string() + ".summary" + p.extension().string())).string();
}

/// The rules between settings, and no output over an input (a case file of a folder
/// included). \throws usage_error
inline void check_overlap_settings(const overlap_settings& s) {
  const bool challenge = s.convention == metric_convention::spider_challenge;
  if (s.challenge_spacing_order && !challenge)
    throw usage_error("--challenge-spacing applies only with --convention spider-challenge");
  if (challenge) {
    for (const auto& [given, option] :
         {std::pair{!s.labels.empty(), "--labels"}, std::pair{s.match, "--match"},
          std::pair{s.min_dice.has_value(), "--min-dice"},
          std::pair{!s.summary.empty(), "--summary"}}) {
      if (given)
        throw usage_error(std::string(option) +
                          " does not apply with --convention spider-challenge (the challenge "
                          "scores every reference label and writes its mean and std as rows)");
    }
  }
  const bool folders = std::filesystem::is_directory(s.reference);
  if (folders != std::filesystem::is_directory(s.prediction))
    throw usage_error("--reference and --prediction must both be files or both be folders");
  std::vector<std::filesystem::path> inputs;
  for (const std::string& side : {s.reference, s.prediction}) {
    if (!folders) {
      inputs.emplace_back(side);
      continue;
    }
    for (const auto& [name, file] : cases_in(side))
      inputs.push_back(file);
  }
  std::vector<output_path> outputs{{"--out", s.out}};
  if (folders && !challenge)
    outputs.push_back(
        {s.summary.empty() ? "--out's summary" : "--summary", overlap_summary_path(s)});
  refuse_output_over_input(outputs, inputs);
}

/// The columns of `--convention spider-challenge`: the case, the challenge's ten keys, status.
inline std::vector<std::string> spider_challenge_columns() {
  return case_columns(rows::spider_challenge_columns());
}

/// `discgeom overlap --convention spider-challenge`: one row per case (a reference file and the
/// prediction of the same case name), then the rows `mean` and `std` (ddof 1) of each key over
/// the cases scored, NaN left out, as the challenge's metrics.json. 0, or 1 when a case could
/// not be scored (its row's status and a line on stderr say why; it is left out of the mean).
inline int run_spider_challenge(const overlap_settings& s) {
  const spider_challenge_options options{
      .spacing = s.challenge_spacing_order.value_or(challenge_spacing::corrected)};
  const std::filesystem::path reference_path = s.reference;
  const std::filesystem::path prediction_path = s.prediction;
  const bool folders = std::filesystem::is_directory(reference_path);
  std::vector<std::pair<std::string, std::filesystem::path>> references;
  std::map<std::string, std::filesystem::path> predictions;
  if (folders) {
    for (const auto& entry : cases_in(reference_path))
      references.push_back(entry);
    predictions = cases_in(prediction_path);
  } else {
    references.emplace_back(case_name(reference_path), reference_path);
    predictions[case_name(reference_path)] = prediction_path;
  }

  const auto columns = spider_challenge_columns();
  table result{columns, {}};
  std::vector<spider_challenge_scores> scored;
  bool any_failed = false;
  // A line on stderr and, for folders, the case's row with status "error: STATUS".
  const auto failed_row = [&](const std::string& name, const std::string& line,
                              const std::string& status) {
    std::cerr << "discgeom overlap: " << line << '\n';
    any_failed = true;
    if (!folders)  // one pair: no table, as the other conventions
      return;
    std::vector<cell> row(columns.size());
    row.front() = text(name);
    row.back() = text("error: " + status);
    result.rows.push_back(row);
  };
  progress_bar progress("overlap", references.size(), s.quiet);
  for (const auto& [name, reference_file] : references) {
    const auto prediction = predictions.find(name);
    if (prediction == predictions.end()) {
      failed_row(
          name,
          reference_file.string() + ": no prediction of this case in " + prediction_path.string(),
          "no prediction");
      progress.step(name);
      continue;
    }
    try {
      const auto images = read_label_images(reference_file, prediction->second, s.overrides);
      spider_challenge_scores scores;
      try {
        scores = spider_challenge_score(images.reference.view(), images.prediction.view(),
                                        images.reference.geometry, options);
      } catch (const std::bad_alloc&) {
        throw io_error(images.both + "not enough memory to compare them");
      }
      result.rows.push_back(case_row(name, rows::spider_challenge_row(scores)));
      scored.push_back(std::move(scores));
    } catch (const std::exception& failure) {  // this case's failure: the batch goes on
      const std::string reason = failure_reason(failure);
      failed_row(name, reason, reason);
    }
    progress.step(name);
  }
  for (const auto& [name, prediction_file] : predictions) {
    if (std::none_of(references.begin(), references.end(),
                     [&](const auto& reference) { return reference.first == name; }))
      failed_row(
          name,
          prediction_file.string() + ": no reference of this case in " + reference_path.string(),
          "no reference");
  }

  if (!folders && any_failed)
    return 1;
  const auto summary = summarise_spider_challenge(scored);
  std::vector<cell> mean_row{text("mean")};
  std::vector<cell> sd_row{text("std")};
  for (const auto& statistic : summary) {
    mean_row.push_back(number(statistic.mean));
    sd_row.push_back(number(statistic.sd));
  }
  mean_row.push_back(text("aggregate"));
  sd_row.push_back(text("aggregate"));
  result.rows.push_back(mean_row);
  result.rows.push_back(sd_row);
  write_table_output(s.out, result, s.format);
  return any_failed ? 1 : 0;
}

/// `discgeom overlap`: 0, or 1 when a pair could not be evaluated (stderr and, for folders, the
/// case's row say why). \throws usage_error as check_overlap_settings; io_error when a table
/// cannot be written
inline int run_overlap(const overlap_settings& s) {
  check_overlap_settings(s);
  if (s.convention == metric_convention::spider_challenge)
    return run_spider_challenge(s);
  overlap_evaluation per_pair;
  per_pair.evaluation = conventions_of(s.convention);
  per_pair.evaluation.labels = s.labels;
  per_pair.evaluation.surface.tolerance_mm = s.tolerance_mm;
  per_pair.evaluation.surface.percentile = s.percentile;
  per_pair.match = s.match || s.min_dice.has_value();
  if (s.min_dice)
    per_pair.matching.min_dice = *s.min_dice;
  per_pair.overrides = s.overrides;

  const std::filesystem::path reference_path = s.reference;
  const std::filesystem::path prediction_path = s.prediction;
  const bool folders = std::filesystem::is_directory(reference_path);

  std::vector<std::string> columns = rows::overlap_columns();
  if (folders)
    columns.insert(columns.begin(), "case");
  if (per_pair.match)
    columns.insert(columns.end(), rows::overlap_match_columns().begin(),
                   rows::overlap_match_columns().end());
  table result{columns, {}};
  std::vector<std::pair<std::string, overlap_record>> all_records;
  bool any_failed = false;

  if (!folders) {
    try {
      for (const auto& record : evaluate_pair(reference_path, prediction_path, per_pair))
        result.rows.push_back(program_row(rows::overlap_row(record, per_pair.match)));
    } catch (const std::exception& failure) {
      std::cerr << "discgeom overlap: " << failure_reason(failure) << '\n';
      return 1;
    }
  } else {
    const auto references = cases_in(reference_path);
    const auto predictions = cases_in(prediction_path);
    const std::size_t status_column = static_cast<std::size_t>(
        std::find(columns.begin(), columns.end(), "status") - columns.begin());
    const auto failed_row = [&](const std::string& name, const std::string& status) {
      std::vector<cell> row(columns.size());
      row[0] = text(name);
      row[status_column] = text(status);
      result.rows.push_back(row);
      any_failed = true;
    };
    progress_bar progress("overlap", references.size(), s.quiet);
    for (const auto& [name, reference_file] : references) {
      const auto prediction = predictions.find(name);
      if (prediction == predictions.end()) {
        std::cerr << "discgeom overlap: " << reference_file.string()
                  << ": no prediction of this case in " << prediction_path.string() << '\n';
        failed_row(name, "error: no prediction");
      } else {
        try {
          for (const auto& record : evaluate_pair(reference_file, prediction->second, per_pair)) {
            result.rows.push_back(case_row(name, rows::overlap_row(record, per_pair.match)));
            all_records.emplace_back(name, record);
          }
        } catch (const std::exception& failure) {  // this case's failure: the batch goes on
          const std::string reason = failure_reason(failure);
          std::cerr << "discgeom overlap: " << reason << '\n';
          failed_row(name, "error: " + reason);
        }
      }
      progress.step(name);
    }
    for (const auto& [name, prediction_file] : predictions) {
      if (!references.count(name)) {
        std::cerr << "discgeom overlap: " << prediction_file.string()
                  << ": no reference of this case in " << reference_path.string() << '\n';
        failed_row(name, "error: no reference");
      }
    }
  }

  write_table_output(s.out, result, s.format);
  if (folders) {
    const table summary = summary_table(all_records, per_pair.match, s.seed);
    const std::string summary_path = overlap_summary_path(s);
    if (summary_path.empty())  // no file named: after the case table on stdout
      std::cout << '\n';
    write_table_output(summary_path, summary, s.format);
  }
  return any_failed ? 1 : 0;
}

}  // namespace discgeom::cli
