// SPDX-License-Identifier: MIT
// The pipeline's report page (report.hpp).
#include "report.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <tuple>
#include <vector>

#include "discgeom/detail/atomic_file.hpp"
#include "discgeom/geometry/disc_measures.hpp"
#include "discgeom/io/csv.hpp"
#include "run_folder.hpp"
#include "svg_plot.hpp"

namespace discgeom::cli {
namespace {

namespace fs = std::filesystem;
using svg::escape;

std::optional<csv_table> read_table(const fs::path& file) {
  if (!fs::is_regular_file(file))
    return std::nullopt;
  try {
    return read_csv(file);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

double cell_number(const std::string& text) {
  if (csv_table::is_missing(text))
    return std::nan("");
  double value = 0.0;  // a cell that is not a number shows as missing
  const auto [end, code] = std::from_chars(text.data(), text.data() + text.size(), value);
  return code == std::errc{} && end == text.data() + text.size() ? value : std::nan("");
}

/// A warning above a section whose files are there but whose stage has no standing record: they
/// come from an earlier run, and this run changed or failed an input of that stage.
std::string stale_warning(const report_context& context, const std::string& stage) {
  if (context.completed.count(stage))
    return "";
  return "<p class=\"missing\">Stage " + svg::escape(stage) +
         " did not complete in this run folder's latest run: what follows comes from an earlier "
         "run and may not match the settings below.</p>";
}

/// `section` with `warning` under its heading, unless the section shows no results anyway.
std::string with_warning(const std::string& section, const std::string& warning) {
  const auto heading_end = section.find("</h2>");
  if (warning.empty() || heading_end == std::string::npos ||
      section.find("class=\"missing\"") != std::string::npos)
    return section;
  return section.substr(0, heading_end + 5) + warning + section.substr(heading_end + 5);
}

std::string not_run(const std::string& what) {
  return "<p class=\"missing\">" + escape(what) + "</p>";
}

/// An HTML table of a CSV table; `sortable` adds the click-to-sort header. A column is shown
/// as numbers only when every cell of it is a number or empty (so case names such as "001"
/// stay text).
std::string html_table(const csv_table& t, const std::string& id, bool sortable) {
  std::vector<bool> numeric(t.header.size(), true);
  for (const auto& row : t.rows) {
    for (std::size_t c = 0; c < row.size(); ++c)
      numeric[c] =
          numeric[c] && (csv_table::is_missing(row[c]) || std::isfinite(cell_number(row[c])));
  }
  std::string out = "<div class=\"table-wrap\"><table id=\"" + id + "\"" +
                    (sortable ? " class=\"sortable\"" : "") + "><thead><tr>";
  for (const auto& h : t.header)
    out += "<th>" + escape(h) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (std::size_t c = 0; c < row.size(); ++c) {
      const double v = cell_number(row[c]);
      out += numeric[c] && std::isfinite(v) ? "<td class=\"num\" data-value=\"" + escape(row[c]) +
                                                  "\">" + escape(svg::number(v, 5)) + "</td>"
                                            : "<td>" + escape(row[c]) + "</td>";
    }
    out += "</tr>";
  }
  return out + "</tbody></table></div>";
}

/// The levels of the measured discs in anatomical order, top to bottom (L1/L2 before L5/S1), as
/// the discs table names them, ordered by their highest label (a higher SPIDER or ordinal
/// label is a higher disc).
std::vector<std::string> level_order(const csv_table& discs) {
  const auto level = discs.column("level"), label = discs.column("label"),
             status = discs.column("status");
  std::map<std::string, double> highest;
  for (const auto& row : discs.rows) {
    if (row[level].empty() || !is_measured_status(row[status]))
      continue;
    const double v = cell_number(row[label]);
    auto [it, inserted] = highest.emplace(row[level], v);
    if (!inserted)
      it->second = std::max(it->second, v);
  }
  std::vector<std::string> levels;
  for (const auto& [name, v] : highest)
    levels.push_back(name);
  std::sort(levels.begin(), levels.end(),
            [&](const std::string& a, const std::string& b) { return highest[a] > highest[b]; });
  return levels;
}

std::string cohort_section(const report_context& context, const std::optional<csv_table>& discs,
                           const std::optional<csv_table>& features,
                           const std::optional<csv_table>& failures) {
  std::string out = "<section id=\"cohort\"><h2>Cohort</h2>";
  if (!discs) {
    out += not_run("No discs table: the per-case stage did not run.");
    return out + "</section>";
  }
  const auto case_column = discs->column("case"), status = discs->column("status");
  std::set<std::string> cases;
  std::size_t measured = 0;
  for (const auto& row : discs->rows) {
    cases.insert(row[case_column]);
    measured += is_measured_status(row[status]);
  }
  std::size_t failed_cases = 0;
  if (failures) {
    std::set<std::string> failed;
    for (const auto& row : failures->rows) {
      if (!row[0].empty())
        failed.insert(row[0]);
    }
    failed_cases = failed.size();
  }
  out += "<table class=\"facts\"><tbody>";
  const auto fact = [&](const std::string& name, const std::string& value) {
    out += "<tr><th>" + escape(name) + "</th><td>" + escape(value) + "</td></tr>";
  };
  fact("Input", context.layout.empty() ? "unknown" : context.layout);
  fact("Cases measured", std::to_string(cases.size()));
  fact("Cases failed", std::to_string(failed_cases));
  fact("Discs measured (status ok)", std::to_string(measured));
  fact("Levels", std::to_string(level_order(*discs).size()));
  if (features && !features->rows.empty()) {
    const auto narrowed = features->numeric_column("narrowed");
    std::size_t positive = 0;
    for (const double v : narrowed)
      positive += v == 1.0;
    std::ostringstream text;
    text.precision(3);
    text << positive << " of " << narrowed.size() << " labelled discs ("
         << 100.0 * static_cast<double>(positive) / static_cast<double>(narrowed.size()) << "%)";
    fact("Narrowed", text.str());
  }
  fact("Processes (MPI ranks)", std::to_string(context.ranks));
  out += "</tbody></table>";
  return out + "</section>";
}

/// BianqueNet's indices, whenever the masks label vertebral bodies.
std::string indices_section(const std::optional<csv_table>& indices) {
  std::string out = "<section id=\"indices\"><h2>Disc indices (BianqueNet)</h2>";
  if (!indices)
    return out + not_run("No indices table: the per-case stage did not run.") + "</section>";
  if (indices->rows.empty())
    return out +
           "<p>No vertebral bodies are labelled: BianqueNet's DH, DHI and HDR need the bodies "
           "above and below each disc.</p></section>";
  return out +
         "<p>BianqueNet's indices as its released code computes them, on each disc's "
         "mid-sagittal slice, in mm (docs/geometry.md); delta_si needs an image and a labelled "
         "canal. Click a column to sort.</p>" +
         html_table(*indices, "indices-table", true) + "</section>";
}

std::string distributions_section(const std::optional<csv_table>& discs) {
  std::string out = "<section id=\"distributions\"><h2>Geometric features by level</h2>";
  if (!discs || discs->rows.empty())
    return out + not_run("No measured discs.") + "</section>";
  const auto levels = level_order(*discs);
  const auto level = discs->column("level"), status = discs->column("status");
  const std::vector<std::pair<std::string, std::string>> features{
      {"volume_mm3", "volume (mm³)"},
      {"height_mm", "height (mm)"},
      {"ap_width_mm", "AP width (mm)"},
      {"lateral_width_mm", "lateral width (mm)"},
      {"sagittal_angle_deg", "sagittal angle (°)"},
      {"coronal_angle_deg", "coronal angle (°)"},
      {"transverse_angle_deg", "transverse angle (°)"},
      {"minrect_height_mm", "min-rectangle height (mm)"}};
  out += "<div class=\"plots\">";
  for (const auto& [column, label] : features) {
    const auto values = discs->numeric_column(column);
    std::vector<std::vector<double>> groups(levels.size());
    for (std::size_t r = 0; r < discs->rows.size(); ++r) {
      if (!is_measured_status(discs->rows[r][status]))
        continue;
      const auto at = std::find(levels.begin(), levels.end(), discs->rows[r][level]);
      if (at != levels.end())
        groups[static_cast<std::size_t>(at - levels.begin())].push_back(values[r]);
    }
    out += svg::strip_plot(label, label, levels, groups);
  }
  return out + "</div></section>";
}

std::string training_section(const fs::path& run) {
  std::string out = "<section id=\"training\"><h2>Autoencoder training</h2>";
  const auto curve = read_table(run / run_paths::training_curve);
  if (!curve || curve->rows.empty())
    return out + not_run("The autoencoder was not trained in this run folder.") + "</section>";
  const auto epoch = curve->numeric_column("epoch");
  const auto loss = curve->numeric_column("loss");
  const auto iou = curve->numeric_column("mean_iou");
  out += "<div class=\"plots\">";
  out += svg::line_plot("Training loss (BCE)", "epoch", "loss", epoch, {"loss"}, {loss});
  out += svg::line_plot("Reconstruction IoU (training set)", "epoch", "mean IoU", epoch,
                        {"mean IoU"}, {iou});
  out += "</div><p>" + std::to_string(curve->rows.size()) + " epochs; final loss " +
         svg::number(loss.back(), 4) + ", final mean IoU " + svg::number(iou.back(), 4) + ".</p>";
  return out + "</section>";
}

/// The value of the setting `key` ("" when there is none).
std::string setting_value(const std::vector<report_setting>& settings, const std::string& key) {
  for (const auto& setting : settings)
    if (setting.key == key)
      return setting.value;
  return "";
}

std::string bottleneck_section(const fs::path& run, const std::vector<report_setting>& settings) {
  std::string out = "<section id=\"bottleneck\"><h2>Bottleneck size</h2>";
  if (const auto sweep = read_table(run / run_paths::sweep_table)) {
    out +=
        "<p>Each size trained on the same crops; converged means the mean IoU over every "
        "disc reached the target.</p>" +
        html_table(*sweep, "sweep-table", false);
  } else {
    const std::string bottleneck = setting_value(settings, "bottleneck");
    out += not_run(
        "No bottleneck sweep in this run (setting bottleneck_sweep); the model has "
        "a bottleneck of " +
        bottleneck + " features.");
  }
  return out + "</section>";
}

std::string traversal_section(const fs::path& run) {
  std::string out = "<section id=\"traversal\"><h2>Latent traversal</h2>";
  const fs::path png = run / run_paths::traversal_montage;
  if (!fs::is_regular_file(png))
    return out + not_run("No traversal in this run folder.") + "</section>";
  std::ifstream in(png, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  out +=
      "<p>One row per latent feature, moved from its lowest to its highest value over the "
      "real discs with the others at their mean: mid-sagittal and mid-transverse slices of "
      "the decoded disc.</p><img class=\"montage\" alt=\"latent traversal montage\" "
      "src=\"data:image/png;base64," +
      base64(bytes) + "\"/>";
  return out + "</section>";
}

std::string correlation_section(const fs::path& run, const std::vector<report_setting>& settings) {
  std::string out = "<section id=\"correlations\"><h2>Latent features against disc geometry</h2>";
  const auto table = read_table(run / run_paths::correlations);
  if (!table || table->rows.empty())
    return out + not_run("No correlations in this run folder.") + "</section>";
  const auto x = table->column("x"), y = table->column("y"), method = table->column("method");
  const auto r = table->numeric_column("r");
  const auto p = table->numeric_column("p_adjusted");
  std::vector<std::string> rows, columns;
  for (const auto& row : table->rows) {
    if (std::find(rows.begin(), rows.end(), row[x]) == rows.end())
      rows.push_back(row[x]);
    if (std::find(columns.begin(), columns.end(), row[y]) == columns.end())
      columns.push_back(row[y]);
  }
  std::vector<std::vector<double>> values(rows.size(), std::vector<double>(columns.size(), NAN));
  std::vector<std::vector<std::string>> notes(rows.size(),
                                              std::vector<std::string>(columns.size()));
  for (std::size_t i = 0; i < table->rows.size(); ++i) {
    const auto rr = static_cast<std::size_t>(
        std::find(rows.begin(), rows.end(), table->rows[i][x]) - rows.begin());
    const auto cc = static_cast<std::size_t>(
        std::find(columns.begin(), columns.end(), table->rows[i][y]) - columns.begin());
    values[rr][cc] = r[i];
    notes[rr][cc] = std::isfinite(p[i]) ? "p=" + svg::number(p[i], 2) : "";
  }
  const std::string adjustment = setting_value(settings, "adjust");
  out += "<p>" + escape(table->rows.front()[method]) +
         " correlation of each latent feature with each measure over the measured discs; the "
         "second line is the p-value" +
         (adjustment == "none" ? std::string()
                               : ", adjusted for multiple testing (" + escape(adjustment) + ")") +
         ".</p>";
  out += svg::heatmap("Latent vs geometry", rows, columns, values, notes);
  return out + "</section>";
}

std::string classification_section(const fs::path& run) {
  std::string out = "<section id=\"classification\"><h2>Disc narrowing prediction</h2>";
  const auto summary = read_table(run / run_paths::classification_summary);
  if (!summary || summary->rows.empty())
    return out +
           not_run(
               "No classification in this run (no narrowing labels, or it failed: "
               "see the failures).") +
           "</section>";
  const auto set = summary->column("feature_set"), metric = summary->column("metric");
  const auto mean = summary->numeric_column("mean"), low = summary->numeric_column("ci_low"),
             high = summary->numeric_column("ci_high");
  std::vector<std::string> sets;
  std::map<std::pair<std::string, std::string>, std::string> cells;
  for (std::size_t i = 0; i < summary->rows.size(); ++i) {
    const auto& name = summary->rows[i][set];
    if (std::find(sets.begin(), sets.end(), name) == sets.end())
      sets.push_back(name);
    // Every metric here lies in [0, 1]; a t interval over few folds can pass its ends.
    cells[{name, summary->rows[i][metric]}] = svg::number(mean[i], 3) + " (" +
                                              svg::number(std::max(0.0, low[i]), 3) + "–" +
                                              svg::number(std::min(1.0, high[i]), 3) + ")";
  }
  out +=
      "<p>Gradient boosting under stratified cross-validation; mean over the folds with its "
      "95% t interval, clipped to [0, 1] (as Table 1 of Perrone et al.; the unclipped interval "
      "is in classification.summary.csv).</p><table id=\"classification-table\">"
      "<thead><tr><th>features</th><th>F1 (narrowed)</th><th>ROC AUC</th><th>macro F1</th>"
      "</tr></thead><tbody>";
  for (const auto& name : sets) {
    out += "<tr><th>" + escape(name) + "</th><td>" + escape(cells[{name, "f1"}]) + "</td><td>" +
           escape(cells[{name, "auc"}]) + "</td><td>" + escape(cells[{name, "f1_macro"}]) +
           "</td></tr>";
  }
  return out + "</tbody></table></section>";
}

/// "mean ± SD" of values (SD with n - 1; the mean alone for one value), `digits` significant.
std::string mean_sd(const std::vector<double>& values, int digits) {
  if (values.empty())
    return "";
  double sum = 0.0;
  for (const double v : values)
    sum += v;
  const double mean = sum / static_cast<double>(values.size());
  if (values.size() < 2)
    return svg::number(mean, digits);
  double squares = 0.0;
  for (const double v : values)
    squares += (v - mean) * (v - mean);
  return svg::number(mean, digits) + " ± " +
         svg::number(std::sqrt(squares / static_cast<double>(values.size() - 1)), digits);
}

/// Hess et al.'s muscle morphometry: the CSA of each muscle and side at each level (the slice
/// nearest each disc), manual and automatic, and their agreement (Tables 6-8).
std::string muscles_section(const fs::path& run) {
  std::string out = "<section id=\"muscles\"><h2>Muscle cross-sections (Hess et al.)</h2>";
  const auto muscles = read_table(run / run_paths::muscles);
  if (!muscles)
    return out +
           not_run(
               "No muscle stage in this run: give --muscles (with --phantom), or a muscles/ "
               "folder of axial label maps in --data.") +
           "</section>";
  const auto rater = muscles->column("rater"), muscle = muscles->column("muscle"),
             side = muscles->column("side"), level = muscles->column("level"),
             flag = muscles->column("level_slice");
  const auto csa = muscles->numeric_column("csa_mm2"),
             height = muscles->numeric_column("centroid_z_mm");
  std::vector<std::pair<std::string, std::string>> rows;  // (muscle, side), first seen first
  std::map<std::string, std::pair<double, double>> level_height;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::vector<double>>
      values;  // (muscle, side, level, rater) -> CSA in cm^2
  std::set<std::string> cases;
  for (std::size_t r = 0; r < muscles->rows.size(); ++r) {
    const auto& row = muscles->rows[r];
    if (row[flag] != "1" || row[level].empty() || !std::isfinite(csa[r]))
      continue;
    cases.insert(row[0]);
    const std::pair<std::string, std::string> key{row[muscle], row[side]};
    if (std::find(rows.begin(), rows.end(), key) == rows.end())
      rows.push_back(key);
    auto& h = level_height[row[level]];
    h.first += height[r];
    h.second += 1.0;
    values[{row[muscle], row[side], row[level], row[rater]}].push_back(csa[r] / 100.0);
  }
  if (rows.empty())
    return out +
           not_run(
               "The muscle stage measured no section on a level slice (no discs in the maps, or "
               "every map failed: see the failures).") +
           "</section>";
  std::vector<std::string> levels;
  for (const auto& [name, h] : level_height)
    levels.push_back(name);
  std::sort(levels.begin(), levels.end(), [&](const auto& a, const auto& b) {
    return level_height[a].first / level_height[a].second >
           level_height[b].first / level_height[b].second;
  });
  out += "<p>Cross-sectional area (cm²) on the axial slice nearest each disc, mean ± SD over " +
         std::to_string(cases.size()) +
         " cases: manual / automatic (for phantoms: the truth / a perturbed second rater, "
         "docs/pipeline.md). Every slice is in <code>muscles.csv</code>.</p>"
         "<div class=\"table-wrap\"><table id=\"muscle-csa-table\"><thead><tr><th>muscle</th>"
         "<th>side</th>";
  for (const auto& name : levels)
    out += "<th>" + escape(name) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto& [name, s] : rows) {
    out += "<tr><th>" + escape(name) + "</th><td>" + escape(s) + "</td>";
    for (const auto& l : levels) {
      const auto manual = values.find({name, s, l, "manual"});
      const auto automatic = values.find({name, s, l, "automatic"});
      out += "<td>" + escape(manual == values.end() ? "" : mean_sd(manual->second, 3)) + " / " +
             escape(automatic == values.end() ? "" : mean_sd(automatic->second, 3)) + "</td>";
    }
    out += "</tr>";
  }
  out += "</tbody></table></div>";
  const auto agreement = read_table(run / run_paths::muscle_agreement);
  if (!agreement || agreement->rows.empty())
    return out + not_run("No agreement table (muscle_agreement.csv).") + "</section>";
  out +=
      "<p>Agreement of the automatic with the manual rater on the level slices (Hess et al.'s "
      "Tables 6-8), per measure, muscle, side and level, and over every level (empty level): "
      "Pearson r and p, MAE ± SD, Bland-Altman bias and 95% limits (automatic − manual), "
      "ICC(A,1) and Lin's CCC; as <code>discgeom agree</code>. Click a column to sort.</p>" +
      html_table(*agreement, "muscle-agreement-table", true);
  return out + "</section>";
}

std::string failures_section(const std::optional<csv_table>& failures) {
  std::string out = "<section id=\"failures\"><h2>Failures</h2>";
  if (!failures || failures->rows.empty())
    return out + "<p>None: every case and every stage ran.</p></section>";
  return out + html_table(*failures, "failures-table", false) + "</section>";
}

std::string settings_section(const report_context& context) {
  std::string out =
      "<section id=\"settings\"><h2>Settings and timings</h2><table "
      "class=\"facts\" id=\"settings-table\"><thead><tr><th>setting</th><th>value</th>"
      "<th>decides the outputs of</th></tr></thead><tbody>";
  for (const auto& setting : context.settings) {
    std::string stages;
    for (const auto& stage : setting.stages)
      stages += (stages.empty() ? "" : ", ") + stage;
    out += "<tr><th>" + escape(setting.key) + "</th><td>" + escape(setting.value) + "</td><td>" +
           escape(stages.empty() ? "(how the run goes, not its results)" : stages) + "</td></tr>";
  }
  out += "</tbody></table>";
  if (!context.timings.empty()) {
    out +=
        "<table class=\"facts\"><thead><tr><th>stage run now</th><th>seconds</th></tr>"
        "</thead><tbody>";
    for (const auto& [stage, seconds] : context.timings)
      out += "<tr><th>" + escape(stage) + "</th><td>" + svg::number(seconds, 3) + "</td></tr>";
    out += "</tbody></table>";
  }
  return out + "</section>";
}

constexpr const char* style = R"(
body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1200px;color:#222;padding:0 16px}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ddd;padding:3px 6px}
td.num{text-align:right;font-variant-numeric:tabular-nums}
table.sortable th{cursor:pointer;background:#f3f3f3}
table.sortable th[aria-sort=ascending]::after{content:" \25B2"}
table.sortable th[aria-sort=descending]::after{content:" \25BC"}
.table-wrap{max-height:480px;overflow:auto}.plots{display:flex;flex-wrap:wrap;gap:12px}
.plot{background:#fff;border:1px solid #eee}.plot-title{font-size:13px;font-weight:600}
.tick{font-size:10px;fill:#444}.axis-label{font-size:11px;fill:#222}
.grid{stroke:#eee}.box{fill:#cfe0f3;stroke:#5b8ec6}.median{stroke:#1f4e8c;stroke-width:2}
.point{fill:#c0392b;fill-opacity:.6}.series{fill:none;stroke-width:1.8}
.series-0{stroke:#1f77b4;fill:#1f77b4}.series-1{stroke:#d62728;fill:#d62728}
polyline.series-0,polyline.series-1{fill:none}.legend{font-size:11px}
.cell-value{font-size:12px;font-weight:600}.cell-note{font-size:9px}
.missing{color:#8a6d3b;background:#fcf8e3;padding:6px}.montage{image-rendering:pixelated;max-width:100%}
)";

// Sorting of the geometry table (numbers by value, text by name; empty cells last), and a
// self-test run when the page is opened with #selftest: it sorts by volume both ways and checks
// the order, leaving the verdict in <body data-selftest>.
constexpr const char* script = R"(
(function () {
  function key(cell) {
    var v = cell.getAttribute('data-value');
    return v === null ? cell.textContent : parseFloat(v);
  }
  function compare(a, b) {
    var aEmpty = a === '' || (typeof a === 'number' && isNaN(a));
    var bEmpty = b === '' || (typeof b === 'number' && isNaN(b));
    if (aEmpty || bEmpty) return aEmpty === bEmpty ? 0 : (aEmpty ? 1 : -1);
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return String(a).localeCompare(String(b));
  }
  function sortBy(table, column, ascending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r, s) {
      var c = compare(key(r.cells[column]), key(s.cells[column]));
      return ascending ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      if (i === column) th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.addEventListener('click', function () {
        sortBy(table, i, th.getAttribute('aria-sort') !== 'ascending');
      });
    });
  });
  function selfTest() {
    var table = document.getElementById('geometry-table');
    if (!table) return 'no geometry table';
    var headers = Array.prototype.map.call(table.tHead.rows[0].cells,
                                           function (th) { return th.textContent; });
    var column = headers.indexOf('volume_mm3');
    if (column < 0) return 'no volume_mm3 column';
    var th = table.tHead.rows[0].cells[column];
    var directions = [true, false];
    for (var d = 0; d < 2; ++d) {
      th.click();
      var values = Array.prototype.map.call(table.tBodies[0].rows, function (r) {
        return key(r.cells[column]);
      }).filter(function (v) { return !isNaN(v); });
      for (var i = 1; i < values.length; ++i) {
        if (directions[d] ? values[i - 1] > values[i] : values[i - 1] < values[i])
          return 'volume_mm3 not sorted ' + (directions[d] ? 'ascending' : 'descending');
      }
    }
    return 'pass';
  }
  if (location.hash === '#selftest') document.body.setAttribute('data-selftest', selfTest());
  document.body.setAttribute('data-ready', 'yes');
})();
)";

}  // namespace

std::string base64(const std::string& bytes) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 |
                       static_cast<unsigned char>(bytes[i + 1]) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += alphabet[v >> 6 & 63];
    out += alphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const unsigned v =
        static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += alphabet[v >> 6 & 63];
    out += '=';
  }
  return out;
}

void write_report(const report_context& context) {
  const fs::path& run = context.run_folder;
  const auto discs = read_table(run / run_paths::discs);
  const auto features = read_table(run / run_paths::features);
  const auto failures = read_table(run / run_paths::failures);

  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>discgeom pipeline report</title><style>";
  page += style;
  page += "</style></head><body><h1>discgeom pipeline report</h1>";
  page +=
      "<p>Lumbar disc geometry, latent shape code and narrowing prediction (the pipeline of "
      "Perrone et al.) for <code>" +
      escape(fs::absolute(run).string()) +
      "</code>. Lengths in mm, volumes in mm³, angles in degrees.</p>";
  page +=
      "<nav><a href=\"#cohort\">cohort</a> · <a href=\"#geometry\">geometry</a> · "
      "<a href=\"#indices\">indices</a> · <a href=\"#distributions\">distributions</a> · <a "
      "href=\"#training\">training</a> · "
      "<a href=\"#bottleneck\">bottleneck</a> · <a href=\"#traversal\">traversal</a> · "
      "<a href=\"#correlations\">correlations</a> · "
      "<a href=\"#classification\">classification</a> · <a href=\"#muscles\">muscles</a> · "
      "<a href=\"#failures\">failures</a>"
      "</nav>";
  page += cohort_section(context, discs, features, failures);
  page += "<section id=\"geometry\"><h2>Per-disc geometry</h2>";
  page += discs ? "<p>Click a column to sort.</p>" + html_table(*discs, "geometry-table", true)
                : not_run("No discs table.");
  page += "</section>";
  page += indices_section(read_table(run / run_paths::indices));
  page += distributions_section(discs);
  page += with_warning(training_section(run), stale_warning(context, "autoencoder"));
  page += with_warning(bottleneck_section(run, context.settings), stale_warning(context, "sweep"));
  page += with_warning(traversal_section(run), stale_warning(context, "traverse"));
  page +=
      with_warning(correlation_section(run, context.settings), stale_warning(context, "correlate"));
  page += with_warning(classification_section(run), stale_warning(context, "classify"));
  page += with_warning(muscles_section(run), stale_warning(context, "muscles"));
  page += failures_section(failures);
  page += settings_section(context);
  page += "<script>";
  page += script;
  page += "</script></body></html>\n";

  detail::write_atomically(run / run_paths::report, "write_report", [&](const fs::path& temporary) {
    std::ofstream out(temporary, std::ios::binary);
    out << page;
    out.close();
    if (!out)
      throw std::runtime_error(detail::stream_failure_reason());
  });
}

}  // namespace discgeom::cli
