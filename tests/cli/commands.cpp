// SPDX-License-Identifier: MIT
// The program's one command table (examples/discgeom/command_list.hpp) against what the
// programs do: every command the front lists is run by its program, with a --help that CLI11
// writes from the command's option bindings; the pipeline's settings table round-trips; the
// readers of the settings file, the stage records and the crops index refuse bad text cleanly
// (tests/fuzz fuzzes them; the inputs it found are regression cases here).
#include <fstream>
#include <set>
#include <string>

#include "cli_helpers.hpp"
#include "command_list.hpp"
#include "crops.hpp"
#include "pipeline_config.hpp"
#include "pipeline_records.hpp"

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

TEST_CASE("the pipeline's settings file: any text is settings or a usage_error naming the line",
          "[cli]") {
  using namespace discgeom::cli;
  pipeline_config c;
  read_config_text("# a comment\nfolds = 3  # three\r\n\nadjust = bh\r\n", "a.conf", c);
  CHECK(c.folds == 3);
  CHECK(c.adjust == discgeom::p_adjustment::benjamini_hochberg);
  CHECK_THROWS_WITH(read_config_text("folds = 4\nfolds\n", "b.conf", c),
                    "b.conf:2: 'folds' is not key = value");
  // A model path longer than a file name may be: no such file (found by fuzzing; it threw
  // std::filesystem::filesystem_error "File name too long").
  const std::string long_name(300, 'a');
  CHECK_THROWS_WITH(read_config_text("segmenter_model = " + long_name + "\n", "c.conf", c),
                    "c.conf:1: segmenter_model '" + long_name + "': no such file");
}

TEST_CASE("the pipeline's stage records: what is not a record is not up to date, never an error",
          "[cli]") {
  using namespace discgeom::cli;
  const auto record =
      parse_stage_record(R"({"inputs": "ab", "outputs": {"discs.csv": "01", "crops": "02"}})");
  REQUIRE(record.has_value());
  CHECK(record->inputs == "ab");
  CHECK(record->outputs.size() == 2);
  for (const std::string text :
       {"", "{", "[]", "null", R"({"inputs": 1, "outputs": {"a": "0"}})",
        R"({"inputs": "ab", "outputs": {}})", R"({"inputs": "ab", "outputs": {"a": 0}})",
        R"({"inputs": "ab", "outputs": {"": "0"}})", R"({"inputs": "ab", "outputs": {"/": "0"}})",
        R"({"inputs": "ab", "outputs": {"crops/../..": "0"}})",
        R"({"inputs": "ab", "outputs": {"..\u0000": "0"}})"}) {
    INFO(text);
    CHECK_FALSE(parse_stage_record(text).has_value());
  }
  const fs::path run = scratch() / "records_run";
  fs::create_directories(run / "records");
  // An output name longer than a file name may be: not up to date (found by fuzzing; it threw
  // std::filesystem::filesystem_error "File name too long").
  std::ofstream(run / "records" / "long.json")
      << R"({"inputs": "ab", "outputs": {")" << std::string(300, 'a') << R"(": "0"}})";
  CHECK_FALSE(stage_records(run).up_to_date("long", "ab"));
  // A record that finished() wrote is up to date until its inputs or its output change.
  std::ofstream(run / "out.csv") << "x\n";
  const stage_records records(run);
  records.finished("s", "ab", {"out.csv"});
  CHECK(records.up_to_date("s", "ab"));
  CHECK_FALSE(records.up_to_date("s", "other"));
  std::ofstream(run / "out.csv") << "y\n";
  CHECK_FALSE(records.up_to_date("s", "ab"));
  fs::remove_all(run);
}

TEST_CASE("the crops folder's index: checked entries, io_errors naming the source and the row",
          "[cli]") {
  using namespace discgeom::cli;
  const std::string header =
      "case,level,label,file,fits,original_voxels,crop_voxels,voxels_outside,spacing_x_mm,"
      "spacing_y_mm,spacing_z_mm\n";
  const std::string row = "a,L1/L2,201,a_L1-L2.npy,1,10,10,0,2,1.6,1\n";
  const auto entries = read_crop_index(discgeom::parse_csv(header + row, "i.csv"));
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].case_name == "a");
  CHECK(entries[0].level == "L1/L2");
  CHECK(entries[0].file == "a_L1-L2.npy");
  CHECK(entries[0].spacing == discgeom::vec3{2.0, 1.6, 1.0});
  CHECK_THROWS_WITH(read_crop_index(discgeom::parse_csv(header, "e.csv")), "e.csv: lists no crop");
  CHECK_THROWS_WITH(read_crop_index(discgeom::parse_csv(header + row + row, "d.csv")),
                    "d.csv: row 2 (line 3): case 'a' level 'L1/L2' is listed again (first in row "
                    "1): one crop per disc");
  CHECK_THROWS_AS(read_crop_index(discgeom::parse_csv("case,level\na,L1\n", "c.csv")),
                  discgeom::io_error);
}
