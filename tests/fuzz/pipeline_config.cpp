// SPDX-License-Identifier: MIT
// Fuzzes the pipeline's settings file (read_config_text, which checks every value with
// set_config_entry, the settings validation). Expected: settings, or usage_error naming the
// source and the line. A finding: any other exception, or accepted settings that do not read
// back as themselves when written out as a settings text (config_entries, one `key = value`
// line each): the run's record and fingerprints are made of that text.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "discgeom/error.hpp"
#include "fuzz_check.hpp"
#include "pipeline_config.hpp"

using namespace discgeom_fuzz;
using discgeom::cli::pipeline_config;
using discgeom::cli::usage_error;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  pipeline_config config;
  try {
    discgeom::cli::read_config_text(as_text(data, size), "fuzz.conf", config);
  } catch (const usage_error& e) {
    require(std::string_view(e.what()).starts_with("fuzz.conf:"),
            "a settings error that does not start with the file's name");
    return 0;
  } catch (const discgeom::error& e) {
    finding("read_config_text threw a discgeom::error, not usage_error", e.what());
  }
  std::string text;
  for (const auto& [key, value] : discgeom::cli::config_entries(config))
    text += key + " = " + value + "\n";
  pipeline_config again = discgeom::cli::paper_pipeline_config();
  try {
    discgeom::cli::read_config_text(text, "written.conf", again);
  } catch (const usage_error& e) {
    finding("accepted settings, written out, are refused", e.what());
  }
  require(discgeom::cli::config_entries(again) == discgeom::cli::config_entries(config),
          "accepted settings, written out, read back as other settings");
  return 0;
}
