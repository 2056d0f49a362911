// SPDX-License-Identifier: MIT
// Fuzzes the crops folder's index (DIR/index.csv): parse_csv, then read_crop_index, which checks
// the columns, the spacings, the file cells and that no disc is listed twice (the crops
// themselves are .npy files: see npy.cpp). Expected: the entries, or io_error naming the index.
// A finding: any other exception, an entry that breaks what read_crop_index promises.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <utility>

#include "crops.hpp"
#include "discgeom/error.hpp"
#include "fuzz_check.hpp"

using namespace discgeom_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto index = discgeom::parse_csv(as_text(data, size), "fuzz/index.csv");
    const auto entries = discgeom::cli::read_crop_index(index);
    require(!entries.empty() && entries.size() == index.rows.size(),
            "not one entry per row of the index");
    std::set<std::pair<std::string, std::string>> discs;
    for (const auto& entry : entries) {
      for (const double s : entry.spacing)
        require(std::isfinite(s) && s > 0.0, "an entry whose spacing is not a positive number");
      require(!entry.file.empty(), "an entry that names no file");
      require(discs.emplace(entry.case_name, entry.level).second, "a disc listed twice");
    }
  } catch (const discgeom::error& e) {
    require(dynamic_cast<const discgeom::io_error*>(&e) != nullptr,
            "the crop index reader threw a discgeom::error other than io_error");
    require_names(e, "fuzz/index.csv");
  }
  return 0;
}
