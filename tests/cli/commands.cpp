// SPDX-License-Identifier: MIT
// The program's one command table (examples/discgeom/command_list.hpp) against what the
// programs do: every command the front lists is run by its program, with a --help that CLI11
// writes from the command's option bindings; the pipeline's settings table round-trips.
#include <set>
#include <string>

#include "cli_helpers.hpp"
#include "command_list.hpp"
#include "pipeline_config.hpp"

using namespace cli_test;
using discgeom::cli::program_commands;

TEST_CASE("every listed command answers --help from its own program", "[cli]") {
  const auto listing = run("--help");
  REQUIRE(listing.status == 0);
  for (const auto& command : program_commands) {
    const std::string name(command.name);
    INFO(name);
    CHECK(listing.out.find("  " + name + " ") != std::string::npos);
    CHECK(listing.out.find(std::string(command.summary)) != std::string::npos);
    const auto help = run(name + " --help");
    CHECK(help.status == 0);
    CHECK(help.out.find("usage: discgeom " + name) != std::string::npos);
    CHECK(help.out.find(std::string(command.summary)) != std::string::npos);
    CHECK(help.out.find("--help") != std::string::npos);
    // Bad usage is the command's own, in the program's words.
    const auto bogus = run(name + " --no-such-option");
    CHECK(bogus.status == 2);
    CHECK(bogus.err.find("discgeom " + name + ": ") != std::string::npos);
  }
}

TEST_CASE("options are parsed once, the same way for every command", "[cli]") {
  // The value right after an option is its value, "=" works too, a repeat is refused.
  const auto repeated = run("phantom --out a --out b");
  CHECK(repeated.status == 2);
  CHECK(repeated.err.find("--out is given more than once") != std::string::npos);
  const auto no_value = run("discs x.nii.gz --min-voxels");
  CHECK(no_value.status == 2);
  CHECK(no_value.err.find("--min-voxels needs a value") != std::string::npos);
  const auto count = run("crop x.nii.gz --out d --size 1");
  CHECK(count.status == 2);
  CHECK(count.err.find("--size '1' must be a whole number >= 2") != std::string::npos);
  const auto choice = run("discs x.nii.gz --format=xml");
  CHECK(choice.status == 2);
  CHECK(choice.err.find("--format 'xml' must be csv or json") != std::string::npos);
  // --help shows each choice from its enum's one table of names, and the defaults.
  const auto help = run("correlate --help");
  CHECK(help.out.find("pearson|spearman|kendall") != std::string::npos);
  CHECK(help.out.find("--format csv|json=csv") != std::string::npos);
}

TEST_CASE("the pipeline's settings: one row per key, every value round-trips", "[cli]") {
  using namespace discgeom::cli;
  std::set<std::string> keys;
  for (const auto& setting : config_settings())
    CHECK(keys.insert(std::string(setting.key)).second);
  for (const auto& config : {pipeline_config{}, paper_pipeline_config()}) {
    pipeline_config copy;
    copy.bottleneck_sweep.clear();
    copy.crop_spacing = {9, 9, 9};
    for (const auto& [key, value] : config_entries(config))
      set_config_entry(copy, key, value);
    CHECK(config_entries(copy) == config_entries(config));
  }
  pipeline_config c;
  set_config_entry(c, "crop_spacing", "1.4,1.2,1.5");
  CHECK(c.crop_spacing[1] == 1.2);
  set_config_entry(c, "bottleneck_sweep", "");
  CHECK(c.bottleneck_sweep.empty());
  set_config_entry(c, "correlation_method", "kendall");
  CHECK(c.correlation == discgeom::correlation_method::kendall);
  CHECK_THROWS_WITH(set_config_entry(c, "labels", "vertebrae"),
                    "labels 'vertebrae' must be spider or ordinal");
  CHECK_THROWS_WITH(set_config_entry(c, "width", "9"), "unknown setting 'width'");
}
