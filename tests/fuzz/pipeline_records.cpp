// SPDX-License-Identifier: MIT
// Fuzzes the pipeline's stage records (DIR/records/<stage>.json, JSON through nlohmann-json):
// parse_stage_record on the bytes, then stage_records::up_to_date on the same bytes written as
// a record in a scratch run folder, asked about the inputs the record names (so that it goes
// on to hash the outputs the record lists). Expected: a record or none, up to date or not; no
// exception. A finding: any exception, an accepted record with no output or an output outside
// the run folder, up_to_date for a record parse_stage_record refuses.

#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "fuzz_check.hpp"
#include "pipeline_records.hpp"

using namespace discgeom_fuzz;
namespace fs = std::filesystem;

namespace {

/// Where the scratch run folder goes: in memory where there is /dev/shm (the record is
/// rewritten for every input, and on a disk that costs far more than the parsing), else the
/// temporary folder.
fs::path scratch_base() {
  std::error_code error;
  if (fs::is_directory("/dev/shm", error) && ::access("/dev/shm", W_OK) == 0)
    return "/dev/shm";
  return fs::temp_directory_path();
}

/// A run folder of this process's own, with one output (discs.csv); removed at exit.
struct scratch_run {
  fs::path folder = scratch_base() / ("discgeom_fuzz_records_" + std::to_string(::getpid()));
  scratch_run() {
    fs::create_directories(folder / "records");
    std::ofstream(folder / "discs.csv") << "case,level\na,L1\n";
  }
  ~scratch_run() {
    std::error_code ignored;
    fs::remove_all(folder, ignored);
  }
};

const fs::path& run_folder() {
  static const scratch_run run;
  return run.folder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = as_text(data, size);
  const auto record = discgeom::cli::parse_stage_record(text);
  if (record) {
    require(!record->outputs.empty(), "a record without outputs");
    for (const auto& [path, hash] : record->outputs) {
      const fs::path p(path);
      require(!path.empty() && p.is_relative() &&
                  std::find(p.begin(), p.end(), fs::path("..")) == p.end(),
              "a record's output outside the run folder");
    }
  }
  {
    std::ofstream out(run_folder() / "records" / "fuzz.json", std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  const discgeom::cli::stage_records records(run_folder());
  const bool current = records.up_to_date("fuzz", record ? record->inputs : std::string());
  require(!current || record.has_value(), "up_to_date for a record that does not parse");
  return 0;
}
