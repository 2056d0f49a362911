// SPDX-License-Identifier: MIT
#pragma once
// `discgeom opensim --model BASE.osim --discs DISCS.csv [--muscles MUSCLES.csv --muscle-map MAP]
//   --out SUBJECT.osim`: a subject-specific copy of an OpenSim lumbar model whose joint centres
// follow the subject's discs (docs/cli.md, docs/opensim.md).

#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "command_line.hpp"
#include "discgeom/io/csv.hpp"
#include "discgeom/opensim/subject_spine.hpp"
#include "outputs.hpp"

namespace discgeom::cli {

/// The settings of `discgeom opensim`.
struct opensim_settings {
  std::string model;      ///< the base model (.osim, OpenSim 3 layout)
  std::string discs;      ///< a discs table of the subject
  std::string out;        ///< the subject's model
  std::string case_name;  ///< the case of the discs (and muscles) table, when it holds several
  std::string anchor = "L5/S1";
  std::string joint_map;   ///< optional CSV level,joint
  std::string muscles;     ///< optional muscles table of the subject
  std::string muscle_map;  ///< CSV model_muscle,muscle,side,reference_csa_mm2
  bool quiet = false;
};

inline void add_opensim_options(CLI::App& app, opensim_settings& s) {
  add_text(app, "--model", s.model, "the base OpenSim model (.osim)", "BASE.osim")->required();
  add_text(app, "--discs", s.discs, "a discs table of the subject (discgeom discs)", "DISCS.csv")
      ->required();
  add_text(app, "--out", s.out, "the subject's model to write", "SUBJECT.osim")->required();
  add_text(app, "--case", s.case_name, "the case to take from tables that hold several", "NAME");
  add_text(app, "--anchor", s.anchor, "the level whose disc centroid sits on the model's joint",
           "LEVEL");
  add_text(app, "--joint-map", s.joint_map,
           "CSV level,joint naming each level's joint (default: L4/L5 -> L4_L5_IVDjnt)",
           "FILE.csv");
  add_text(app, "--muscles", s.muscles,
           "a muscles table of the subject: scales each mapped muscle's max_isometric_force",
           "MUSCLES.csv");
  add_text(app, "--muscle-map", s.muscle_map,
           "CSV model_muscle,muscle,side,reference_csa_mm2 for --muscles", "FILE.csv");
  add_quiet(app, s.quiet);
}

/// The rows of a table for one case: all rows when the table has no case column or one case;
/// \throws io_error when it holds several and none is chosen, or the chosen one is absent
inline std::vector<std::size_t> case_rows(const csv_table& table, const std::string& chosen) {
  const auto found = std::find(table.header.begin(), table.header.end(), "case");
  std::vector<std::size_t> rows;
  if (found == table.header.end()) {
    for (std::size_t r = 0; r < table.rows.size(); ++r)
      rows.push_back(r);
    return rows;
  }
  const std::size_t column = static_cast<std::size_t>(found - table.header.begin());
  std::set<std::string> cases;
  for (const auto& row : table.rows)
    cases.insert(row[column]);
  if (chosen.empty() && cases.size() > 1)
    discgeom::detail::throw_error<io_error>("opensim", table.source, ": holds ", cases.size(),
                                            " cases; choose one with --case");
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    if (chosen.empty() || table.rows[r][column] == chosen)
      rows.push_back(r);
  }
  if (rows.empty())
    discgeom::detail::throw_error<io_error>("opensim", table.source, ": no rows of case '", chosen,
                                            "'");
  return rows;
}

inline std::string format_location(const vec3& v) {
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%.17g %.17g %.17g", v[0], v[1], v[2]);
  return buffer;
}

/// `discgeom opensim`: 0, or 1 when the model or a table cannot be read or used.
inline int run_opensim(const opensim_settings& s) {
  std::vector<std::filesystem::path> inputs{s.model, s.discs};
  for (const auto* extra : {&s.joint_map, &s.muscles, &s.muscle_map})
    if (!extra->empty())
      inputs.emplace_back(*extra);
  refuse_output_over_input({{"--out", s.out}}, inputs);
  if (!s.muscles.empty() && s.muscle_map.empty())
    throw usage_error("--muscles needs --muscle-map (model_muscle,muscle,side,reference_csa_mm2)");
  try {
    auto m = opensim::model::load(s.model);

    std::map<std::string, std::string> joint_of_level;
    if (!s.joint_map.empty()) {
      const csv_table map = read_csv(s.joint_map);
      const std::size_t level = map.column("level"), joint = map.column("joint");
      for (const auto& row : map.rows)
        joint_of_level[row[level]] = row[joint];
    }
    const auto joint_of = [&](const std::string& level) {
      const auto found = joint_of_level.find(level);
      return found != joint_of_level.end() ? found->second : opensim::christophy_joint_name(level);
    };

    const csv_table discs = read_csv(s.discs);
    const std::size_t level = discs.column("level"), x = discs.column("centroid_x_mm"),
                      y = discs.column("centroid_y_mm"), z = discs.column("centroid_z_mm");
    std::map<std::string, vec3> centroids;
    for (const std::size_t r : case_rows(discs, s.case_name)) {
      const vec3 c{discs.number(r, x), discs.number(r, y), discs.number(r, z)};
      if (discs.rows[r][level].empty() || std::isnan(c[0]) || std::isnan(c[1]) || std::isnan(c[2]))
        continue;  // a fragment, or a case that failed
      if (!m.find_joint(joint_of(discs.rows[r][level]))) {
        std::cerr << "discgeom opensim: " << s.discs << ": level " << discs.rows[r][level]
                  << " has no joint " << joint_of(discs.rows[r][level]) << " in " << s.model
                  << ": left out\n";
        continue;
      }
      centroids[discs.rows[r][level]] = c;
    }
    // The model's intervertebral joints without a disc keep their fields.
    std::set<std::string> targeted;
    for (const auto& [name, c] : centroids)
      targeted.insert(joint_of(name));
    for (const auto& j : m.joints()) {
      const bool intervertebral =
          joint_of_level.empty()
              ? j.name.size() > 7 && j.name.compare(j.name.size() - 7, 7, "_IVDjnt") == 0
              : std::any_of(joint_of_level.begin(), joint_of_level.end(),
                            [&](const auto& p) { return p.second == j.name; });
      if (intervertebral && !targeted.count(j.name))
        std::cerr << "discgeom opensim: " << j.name << ": no disc of its level in " << s.discs
                  << ": left unchanged\n";
    }

    const auto targets = opensim::disc_joint_targets(m, centroids, s.anchor, joint_of);
    for (const auto& move : opensim::move_joint_centres(m, targets)) {
      if (move.changed)
        std::cout << move.joint << ": location_in_parent " << format_location(move.old_location)
                  << " -> " << format_location(move.new_location) << '\n';
    }

    if (!s.muscles.empty()) {
      if (m.muscles().empty()) {
        std::cerr << "discgeom opensim: " << s.model
                  << " has no muscles: --muscles leaves nothing to scale\n";
      } else {
        const csv_table table = read_csv(s.muscles);
        const std::size_t muscle = table.column("muscle"), side = table.column("side"),
                          csa = table.column("csa_mm2");
        std::map<std::pair<std::string, std::string>, double> largest;
        for (const std::size_t r : case_rows(table, s.case_name)) {
          const double value = table.number(r, csa);
          if (std::isfinite(value)) {
            auto& v = largest[{table.rows[r][muscle], table.rows[r][side]}];
            v = std::max(v, value);
          }
        }
        const csv_table map = read_csv(s.muscle_map);
        const std::size_t model_muscle = map.column("model_muscle"),
                          map_muscle = map.column("muscle"), map_side = map.column("side"),
                          reference = map.column("reference_csa_mm2");
        for (std::size_t r = 0; r < map.rows.size(); ++r) {
          const std::string& name = map.rows[r][model_muscle];
          const auto found =
              std::find_if(m.muscles().begin(), m.muscles().end(),
                           [&](const opensim::muscle& mm) { return mm.name == name; });
          const auto subject = largest.find({map.rows[r][map_muscle], map.rows[r][map_side]});
          const double reference_csa = map.number(r, reference);
          if (found == m.muscles().end() || subject == largest.end() || !(reference_csa > 0.0)) {
            std::cerr << "discgeom opensim: " << s.muscle_map << ": line " << map.line_of(r) << ": "
                      << (found == m.muscles().end() ? "no muscle '" + name + "' in the model"
                          : subject == largest.end() ? "no CSA of that muscle in " + s.muscles
                                                     : std::string("reference_csa_mm2 must be > 0"))
                      << ": left unchanged\n";
            continue;
          }
          const double old_force = found->max_isometric_force;
          const double new_force = old_force * subject->second / reference_csa;
          m.set_max_isometric_force(name, new_force);
          std::cout << name << ": max_isometric_force " << old_force << " -> " << new_force
                    << " (CSA " << subject->second << " / " << reference_csa << " mm^2)\n";
        }
      }
    }
    m.save(s.out);
  } catch (const error& failure) {
    std::cerr << "discgeom opensim: " << failure.what() << '\n';
    return 1;
  }
  return 0;
}

}  // namespace discgeom::cli
