// SPDX-License-Identifier: MIT
#pragma once
// The golden values of Perrone et al.'s released geometry code (tests/data/perrone_golden.txt,
// perrone_real.txt; made by tests/golden/make_perrone_golden.py, whose docstring gives the
// format), read for the library and CLI tests.

#include <array>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace perrone_golden {

/// One `blob` or `disc` line: its fields by name (numbers as text), or the released error.
struct record {
  std::map<std::string, std::string> fields;
  std::optional<std::string> error;
  [[nodiscard]] double number(const std::string& name) const {
    const auto found = fields.find(name);
    if (found == fields.end())
      throw std::runtime_error("perrone golden: no field " + name);
    return std::stod(found->second);
  }
};

struct golden_case {
  std::string name;
  std::array<std::size_t, 3> shape{};  // x, y, z (LR, AP, SI)
  std::array<double, 3> spacing{};
  std::vector<std::int16_t> mask;          // x fastest; empty for the real cases
  std::array<std::size_t, 3> resampled{};  // numpy order z, y, x
  bool fov_pass = true;
  std::size_t components = 0;
  std::vector<record> blobs;             // blob I at index I - 1
  std::map<std::size_t, record> traces;  // by blob index (1-based)
  std::vector<record> discs;
};

/// The rest of a line, "key value key value ...", as fields; "error NAME" becomes the error.
inline record parse_fields(std::istringstream& words) {
  record r;
  std::string key, value;
  while (words >> key >> value) {
    if (key == "extent") {  // three values: LR, AP, SI
      r.fields["extent_lr"] = value;
      words >> r.fields["extent_ap"] >> r.fields["extent_si"];
    } else if (key == "error")
      r.error = value;
    else
      r.fields[key] = value;
  }
  return r;
}

inline std::vector<golden_case> read(const std::string& path) {
  std::ifstream file(path);
  if (!file)
    throw std::runtime_error("cannot read " + path);
  std::vector<golden_case> cases;
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    std::istringstream words(line);
    std::string tag;
    words >> tag;
    if (tag == "case") {
      cases.emplace_back();
      words >> cases.back().name;
      continue;
    }
    auto& c = cases.back();
    if (tag == "shape") {
      words >> c.shape[0] >> c.shape[1] >> c.shape[2];
    } else if (tag == "spacing") {
      words >> c.spacing[0] >> c.spacing[1] >> c.spacing[2];
    } else if (tag == "mask") {
      long value = 0;
      std::size_t count = 0;
      while (words >> value >> count)
        c.mask.insert(c.mask.end(), count, static_cast<std::int16_t>(value));
    } else if (tag == "resampled") {
      words >> c.resampled[0] >> c.resampled[1] >> c.resampled[2];
    } else if (tag == "fov_check") {
      std::string verdict;
      words >> verdict;
      c.fov_pass = verdict == "pass";
    } else if (tag == "components") {
      words >> c.components;
    } else if (tag == "blob") {
      std::size_t index = 0;
      words >> index;
      c.blobs.push_back(parse_fields(words));
      if (c.blobs.size() != index)
        throw std::runtime_error("perrone golden: blobs out of order in " + c.name);
    } else if (tag == "trace") {
      std::size_t index = 0;
      words >> index;
      c.traces[index] = parse_fields(words);
    } else if (tag == "disc") {
      c.discs.push_back(parse_fields(words));
    }
  }
  return cases;
}

}  // namespace perrone_golden
