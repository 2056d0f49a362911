// SPDX-License-Identifier: MIT
// Every output of the program through one checked path (docs/cli.md, "Outputs"), run as a user
// runs it: an output that is one of the inputs is refused, two inputs that would write one
// output are refused, and a write that fails says why and leaves nothing under the real name.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/cli_helpers.hpp"
#include "discgeom/io/image_io.hpp"

namespace fs = std::filesystem;
using namespace cli_test;

namespace {

// Two phantom spines, their truth.csv and their crops (16^3 at 4 x 3 x 2 mm).
struct inputs {
  fs::path folder, mask, other, truth, crops;
};

const inputs& phantoms() {
  static const inputs made = [] {
    const fs::path folder = scratch() / "outputs_phantoms";
    fs::remove_all(folder);
    REQUIRE(run("phantom --out " + folder.string() + " --cases 2 --quiet").status == 0);
    inputs i{folder, folder / "phantom_001.nii.gz", folder / "phantom_002.nii.gz",
             folder / "truth.csv", scratch() / "outputs_crops"};
    fs::remove_all(i.crops);
    REQUIRE(run("crop " + i.mask.string() + " " + i.other.string() + " --out " + i.crops.string() +
                " --size 16 --spacing 4,3,2 --quiet")
                .status == 0);
    return i;
  }();
  return made;
}

// The bytes of every file under `folder`, by path.
std::vector<std::pair<fs::path, std::string>> contents(const fs::path& folder) {
  std::vector<std::pair<fs::path, std::string>> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder))
    if (entry.is_regular_file())
      files.emplace_back(entry.path(), slurp(entry.path()));
  return files;
}

// Exit status 2 and one line naming the output and the input it would have replaced.
void check_refused(const std::string& arguments, const std::string& output,
                   const std::string& input) {
  INFO(arguments);
  const auto r = run(arguments);
  INFO(r.err);
  CHECK(r.status == 2);
  CHECK(r.err.find("'" + output + "' is the input '" + input + "': it would be overwritten") !=
        std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

}  // namespace

TEST_CASE("outputs: an output that is one of the inputs is refused, the input kept") {
  const inputs& p = phantoms();
  const auto before = contents(p.folder);
  const std::string mask = p.mask.string(), other = p.other.string(), truth = p.truth.string();
  // The same file by another spelling, and through a symbolic link (a hard link below).
  const std::string respelled = (p.folder / "." / "phantom_001.nii.gz").string();
  const fs::path link = scratch() / "outputs_link.nii.gz";
  fs::remove(link);
  fs::create_symlink(p.mask, link);

  check_refused("discs " + mask + " " + other + " --out " + other, other, other);
  check_refused("discs " + link.string() + " --out " + respelled, respelled, link.string());
  check_refused("overlap --reference " + mask + " --prediction " + other + " --out " + mask, mask,
                mask);
  check_refused("correlate " + truth + " --x height_mm --y ap_width_mm --out " + truth, truth,
                truth);
  const fs::path hard = scratch() / "outputs_truth_link.csv";  // a hard link: one file, two names
  fs::remove(hard);
  fs::create_hard_link(p.truth, hard);
  check_refused("correlate " + hard.string() + " --x height_mm --y ap_width_mm --out " + truth,
                truth, hard.string());
  // Folders of cases: an output onto one of their case files, the summary's included.
  const fs::path references = scratch() / "outputs_references";
  fs::remove_all(references);
  fs::create_directories(references);
  fs::copy_file(p.mask, references / "phantom_001.nii.gz");
  const std::string case_file = (references / "phantom_001.nii.gz").string();
  check_refused("overlap --reference " + references.string() + " --prediction " +
                    p.folder.string() + " --out " + case_file,
                case_file, case_file);
  check_refused("overlap --reference " + references.string() + " --prediction " +
                    p.folder.string() + " --out " + (scratch() / "o.csv").string() + " --summary " +
                    mask,
                mask, mask);
  CHECK(contents(p.folder) == before);
  CHECK(slurp(case_file) == slurp(p.mask));
}

#ifdef DISCGEOM_CLI_WITH_XGBOOST
TEST_CASE("outputs: classify refuses --out over its table or the summary beside it") {
  const inputs& p = phantoms();
  const fs::path table = scratch() / "outputs_discs.summary.csv";
  fs::copy_file(p.truth, table, fs::copy_options::overwrite_existing);
  const std::string features = " --label narrowed --features g=height_mm";
  check_refused("classify " + table.string() + features + " --out " + table.string(),
                table.string(), table.string());
  // FILE.csv's summary goes to FILE.summary.csv: here, the table itself.
  check_refused("classify " + table.string() + features + " --out " +
                    (scratch() / "outputs_discs.csv").string(),
                table.string(), table.string());
  CHECK(slurp(table) == slurp(p.truth));
}
#endif

#ifdef DISCGEOM_CLI_WITH_TORCH
TEST_CASE("outputs: the autoencoder and segmentation commands refuse an output over an input") {
  const inputs& p = phantoms();
  const auto crops_before = contents(p.crops);
  const std::string crops = p.crops.string(), index = (p.crops / "index.csv").string();
  // No model is read before the check: any file stands for one.
  const fs::path model = scratch() / "outputs_model.pt";
  fs::copy_file(p.truth, model, fs::copy_options::overwrite_existing);
  const std::string m = model.string();
  check_refused("encode --model " + m + " --crops " + crops + " --out " + index, index, index);
  check_refused("encode --model " + m + " --crops " + crops + " --out " + m, m, m);
  std::string crop_file;
  for (const auto& entry : fs::directory_iterator(p.crops))
    if (entry.path().extension() == ".npy")
      crop_file = entry.path().string();
  REQUIRE_FALSE(crop_file.empty());
  check_refused("train-ae --crops " + crops + " --out " + crop_file + " --epochs 1", crop_file,
                crop_file);
  // traverse writes DIR/grid.csv: here, its --latents.
  const fs::path traversal = scratch() / "outputs_traversal";
  fs::create_directories(traversal);
  const std::string latents = (traversal / "grid.csv").string();
  fs::copy_file(p.truth, latents, fs::copy_options::overwrite_existing);
  check_refused("traverse --model " + m + " --latents " + latents + " --out " + traversal.string(),
                latents, latents);
  // segment writes DIR/<case>.nii.gz: an image named as its case, segmented into its folder.
  check_refused("segment --model " + m + " " + p.mask.string() + " --out " + p.folder.string(),
                p.mask.string(), p.mask.string());
  check_refused("train-seg --images " + p.folder.string() + " --masks " + p.folder.string() +
                    " --out " + p.other.string(),
                p.other.string(), p.other.string());
  CHECK(contents(p.crops) == crops_before);
}
#endif

TEST_CASE("outputs: two inputs that would write one output are refused before any work") {
  const inputs& p = phantoms();
  const fs::path a = scratch() / "outputs_twins" / "a", b = scratch() / "outputs_twins" / "b";
  fs::remove_all(scratch() / "outputs_twins");
  fs::create_directories(a);
  fs::create_directories(b);
  fs::copy_file(p.mask, a / "spine.nii.gz");
  fs::copy_file(p.other, b / "spine.nii.gz");
  const fs::path crops = scratch() / "outputs_twins" / "crops";
  const auto r = run("crop " + (a / "spine.nii.gz").string() + " " + (b / "spine.nii.gz").string() +
                     " --out " + crops.string() + " --size 16 --spacing 4,3,2");
  INFO(r.err);
  CHECK(r.status == 2);
  CHECK(r.err.find("'" + (a / "spine.nii.gz").string() + "' and '" + (b / "spine.nii.gz").string() +
                   "' would both write '" + (crops / "spine_<level>.npy").string() + "'") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(crops));
#ifdef DISCGEOM_CLI_WITH_TORCH
  // ok_t1.nii.gz and ok_t1.mha are both case ok: both would be segmented to ok.nii.gz.
  const auto labels = discgeom::read_image<std::uint8_t>(p.mask.string());
  discgeom::write_image(a / "ok_t1.nii.gz", labels);
  discgeom::write_image(a / "ok_t1.mha", labels);
  const fs::path segmented = scratch() / "outputs_twins" / "segmented";
  const auto s = run("segment --model " + p.truth.string() + " " + (a / "ok_t1.nii.gz").string() +
                     " " + (a / "ok_t1.mha").string() + " --out " + segmented.string());
  INFO(s.err);
  CHECK(s.status == 2);
  CHECK(s.err.find("'" + (a / "ok_t1.nii.gz").string() + "' and '" + (a / "ok_t1.mha").string() +
                   "' would both write '" + (segmented / "ok.nii.gz").string() + "'") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(segmented));
#endif
}

TEST_CASE("outputs: a write that fails says why, and leaves no file under its name") {
  const inputs& p = phantoms();
  const std::string mask = p.mask.string(), truth = p.truth.string();
  // A folder that does not exist.
  const std::string nowhere = (scratch() / "no_such_folder" / "discs.csv").string();
  const auto missing = run("discs " + mask + " --out " + nowhere + " --quiet");
  CHECK(missing.status == 1);
  CHECK(missing.err == "discgeom discs: write_table(): " + nowhere +
                           ": cannot be written: No such file or directory\n");
  // A full disk: writes past 1 KiB fail with EFBIG, as with ENOSPC. Each table is longer.
  const fs::path out = scratch() / "outputs_full";
  fs::remove_all(out);
  fs::create_directories(out);
  for (const auto& [command, file] : std::vector<std::pair<std::string, fs::path>>{
           {"discs " + mask, out / "discs.csv"},
           {"overlap --format json --reference " + mask + " --prediction " + mask,
            out / "overlap.json"},
           {"correlate " + truth + " --x '*_mm' --y '*_deg'", out / "correlate.csv"}}) {
    const auto r = run_limited("ulimit -f 1", command + " --quiet --out " + file.string());
    INFO(command);
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK(r.err.find(file.string() + ": cannot be written: File too large") != std::string::npos);
    CHECK_FALSE(fs::exists(file));
    CHECK_FALSE(fs::exists(file.string() + ".partial"));
  }
  // stdout on a full device.
  const fs::path err = scratch() / "outputs_full.err";
  const int raw = std::system((std::string(DISCGEOM_CLI) + " correlate " + truth +
                               " --x height_mm --y ap_width_mm >/dev/full 2>" + err.string())
                                  .c_str());
  CHECK(WEXITSTATUS(raw) == 1);
  CHECK(slurp(err) ==
        "discgeom correlate: write_table(): stdout: cannot be written: No space left on device\n");
}
