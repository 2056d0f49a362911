// SPDX-License-Identifier: MIT
#pragma once
// The ten real disc masks beside the project (../shared/data/ivd-real), for tests that skip when
// the folder is absent.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace real_data {

/// One subject of volumes.csv: its id and the published volumes, L5/S1 first, in mm^3.
struct subject {
  std::string id;
  std::vector<double> volumes_mm3;
};

inline std::filesystem::path folder() {
  return DISCGEOM_REAL_DATA_DIR;
}
inline bool present() {
  return std::filesystem::exists(folder() / "volumes.csv");
}

/// Another folder of ../shared/data (e.g. "totalsegmentator-mr"), beside ivd-real.
inline std::filesystem::path shared_folder(const std::string& name) {
  return folder().parent_path() / name;
}

/// volumes.csv: subject, then L5/S1, L4/L5, L3/L4, L2/L3, L1/L2 in cm^3.
inline std::vector<subject> published_volumes() {
  std::ifstream csv(folder() / "volumes.csv");
  std::string line;
  std::getline(csv, line);
  std::vector<subject> subjects;
  while (std::getline(csv, line)) {
    std::stringstream fields(line);
    std::string cell;
    std::getline(fields, cell, ',');
    subject s{cell, {}};
    while (std::getline(fields, cell, ','))
      s.volumes_mm3.push_back(std::stod(cell) * 1000.0);
    subjects.push_back(s);
  }
  return subjects;
}

}  // namespace real_data
