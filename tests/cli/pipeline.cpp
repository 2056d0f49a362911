// SPDX-License-Identifier: MIT
// `discgeom pipeline` run as a user runs it: a small phantom cohort end to end with a tiny
// configuration, the report in headless Chromium, --resume, failed cases, an interrupted run,
// a write failure, the run folder's lock, and the same tables under `mpirun -np 2` as in one
// process.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "cli/cli_helpers.hpp"
#include "discgeom/io/image_io.hpp"

namespace fs = std::filesystem;
using namespace cli_test;

namespace {

// A configuration small enough for seconds per run: 16^3 crops at 4 x 3 x 2 mm, a two-level
// encoder, a few epochs, 20 trees, 3 folds, one thread (ctest runs tests side by side, and
// LibTorch slows down many times over when threads outnumber cores). `extra` lines override.
std::string tiny_config(const std::string& name, const std::string& extra = "") {
  const fs::path file = scratch() / (name + ".conf");
  std::ofstream(file) << "# tiny\ncrop_size = 16\ncrop_spacing = 4,3,2\nchannels = 4,8\n"
                         "bottleneck = 3\nepochs = 4\ncheckpoint_every = 1\ntrees = 20\n"
                         "folds = 3\ntraversal_steps = 3\nthreads = 1\nbottleneck_sweep = 1,2\n"
                         "sweep_epochs = 2\n"
                      << extra;
  return " --config " + file.string() + " --quiet";
}

bool have_program(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

std::string bytes_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t count_lines(const fs::path& file) {
  std::ifstream in(file);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);)
    ++n;
  return n;
}

bool no_partial_files(const fs::path& folder) {
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.path().extension() == ".partial")
      return false;
  }
  return true;
}

}  // namespace

TEST_CASE("pipeline: a phantom cohort end to end, its report in Chromium, then --resume",
          "[cli][pipeline]") {
  const fs::path out = scratch() / "pipeline_run";
  fs::remove_all(out);
  const auto first = run("pipeline --out " + out.string() + " --phantom 8" + tiny_config("tiny"));
  INFO(first.err);
  REQUIRE(first.status == 0);

  // Every stage's output.
  for (const char* file :
       {"phantom/truth.csv", "discs.csv", "crops/index.csv", "autoencoder/model.pt",
        "autoencoder/model.pt.training.csv", "latents.csv", "traversal/traversal.png",
        "traversal/grid.csv", "geometry_latents.csv", "correlations.csv", "features.csv",
        "classification.csv", "classification.summary.csv", "failures.csv", "report.html"})
    CHECK(fs::is_regular_file(out / file));
  const auto discs = parse_csv(slurp(out / "discs.csv"));
  const auto truth = parse_csv(slurp(out / "phantom" / "truth.csv"));
  CHECK(discs.size() == truth.size());            // every generated disc measured
  CHECK(count_lines(out / "failures.csv") == 1);  // the header only
  const auto summary = parse_csv(slurp(out / "classification.summary.csv"));
  CHECK(summary.size() == 9);  // latent, geometric, combined x f1, f1_macro, auc
  const auto latents = parse_csv(slurp(out / "latents.csv"));
  CHECK(latents.size() == discs.size());
  CHECK(latents.front().count("z2") == 1);
  const auto correlations = parse_csv(slurp(out / "correlations.csv"));
  CHECK(correlations.size() == 3 * 7);  // z0..z2 x six geometric features and the volume
  // The phantoms label vertebral bodies: BianqueNet's indices of every disc, L5/S1's without a
  // sacrum label (status says so), the others measured in mm.
  const auto indices = parse_csv(slurp(out / "indices.csv"));
  CHECK(indices.size() == discs.size());
  std::size_t measured_indices = 0;
  for (const auto& row : indices) {
    if (row.at("status") == "ok") {
      ++measured_indices;
      CHECK(number(row, "dh_mm") > 0.0);
      CHECK(number(row, "dhi") > 0.0);
    }
  }
  CHECK(measured_indices > 0);

  const std::string page = slurp(out / "report.html");
  for (const char* part :
       {"id=\"cohort\"", "id=\"geometry-table\"", "id=\"distributions\"", "id=\"training\"",
        "id=\"sweep-table\"", "data:image/png;base64,", "id=\"correlations\"",
        "id=\"classification-table\"", "id=\"failures\"", "id=\"indices-table\"", "<svg"})
    CHECK(page.find(part) != std::string::npos);
  CHECK(page.find("src=\"http") == std::string::npos);  // self-contained
  CHECK(page.find("href=\"http") == std::string::npos);

  SECTION("the report loads in headless Chromium with no console message; a screenshot") {
    if (!have_program("chromium")) {
      WARN("chromium is not installed (scripts/setup.sh installs it): browser check skipped");
      return;
    }
    const fs::path shot = scratch() / "report_screenshot.png", log = scratch() / "chromium.log",
                   dom = scratch() / "report_dom.html";
    const std::string url = "file://" + fs::absolute(out / "report.html").string() + "#selftest";
    const std::string flags =
        "chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "
        "--enable-logging=stderr --v=0 ";
    REQUIRE(std::system((flags + "--window-size=1280,4000 --screenshot=" + shot.string() + " '" +
                         url + "' >/dev/null 2>" + log.string())
                            .c_str()) == 0);
    REQUIRE(
        std::system((flags + "--dump-dom '" + url + "' >" + dom.string() + " 2>>" + log.string())
                        .c_str()) == 0);
    const std::string messages = slurp(log);
    INFO(messages);
    CHECK(messages.find(":CONSOLE") == std::string::npos);  // no error, warning or log line
    const std::string body = slurp(dom);
    CHECK(body.find("data-ready=\"yes\"") != std::string::npos);      // the script ran through
    CHECK(body.find("data-selftest=\"pass\"") != std::string::npos);  // sorting works
    const std::string png = bytes_of(shot);
    REQUIRE(png.size() > 20000);  // a page with content, not a blank one
    CHECK(png.substr(1, 3) == "PNG");
  }

  SECTION("--resume skips every stage and changes no output") {
    const std::string discs_before = bytes_of(out / "discs.csv");
    const std::string model_before = bytes_of(out / "autoencoder" / "model.pt");
    const auto again =
        run("pipeline --out " + out.string() + " --phantom 8 --resume" + tiny_config("tiny"));
    INFO(again.err);
    REQUIRE(again.status == 0);
    for (const char* stage : {"phantom", "cases", "autoencoder", "sweep", "encode", "traverse",
                              "correlate", "classify"})
      CHECK(again.err.find(std::string(stage) + ": skipped, inputs unchanged") !=
            std::string::npos);
    CHECK(bytes_of(out / "discs.csv") == discs_before);
    CHECK(bytes_of(out / "autoencoder" / "model.pt") == model_before);
  }

  SECTION("a changed setting reruns the stages it feeds, and only those") {
    const auto again = run("pipeline --out " + out.string() + " --phantom 8 --resume" +
                           tiny_config("fewer_trees", "trees = 10\n"));
    INFO(again.err);
    REQUIRE(again.status == 0);
    CHECK(again.err.find("autoencoder: skipped, inputs unchanged") != std::string::npos);
    CHECK(again.err.find("classify: done") != std::string::npos);
    // Every section is current: no stale warning. The settings table says what each decides.
    const std::string page = slurp(out / "report.html");
    CHECK(page.find("did not complete") == std::string::npos);
    CHECK(page.find("id=\"settings-table\"") != std::string::npos);
    CHECK(page.find("<th>trees</th><td>10</td><td>classify</td>") != std::string::npos);
    CHECK(page.find(
              "<th>seed</th><td>1</td><td>phantom, muscles, autoencoder, sweep, classify</td>") !=
          std::string::npos);

    // Another change of trees, stopping before the classification: only its section is stale.
    const auto stopped =
        run("pipeline --out " + out.string() + " --phantom 8 --resume --stop-after correlate" +
            tiny_config("five_trees", "trees = 5\n"));
    INFO(stopped.err);
    REQUIRE(stopped.status == 0);
    CHECK(stopped.err.find("stopping after correlate (--stop-after)") != std::string::npos);
    const std::string stale = slurp(out / "report.html");
    CHECK(stale.find("Stage classify did not complete") != std::string::npos);
    CHECK(stale.find("Stage autoencoder did not complete") == std::string::npos);
    CHECK(stale.find("Stage correlate did not complete") == std::string::npos);
  }
}

TEST_CASE("pipeline: failed cases are listed with their reason and the run goes on",
          "[cli][pipeline]") {
  // A SPIDER-layout folder (images/, masks/, radiological_gradings.csv) from phantoms, plus an
  // unreadable mask, a mask without discs and an image whose grid differs from its mask's.
  const fs::path phantoms = scratch() / "spider_source", data = scratch() / "spider";
  fs::remove_all(phantoms);
  fs::remove_all(data);
  REQUIRE(run("phantom --out " + phantoms.string() + " --cases 8 --seed 5 --image").status == 0);
  fs::create_directories(data / "images");
  fs::create_directories(data / "masks");
  std::ofstream gradings(data / "radiological_gradings.csv");
  gradings << "Patient,IVD label,Disc narrowing\n";
  const auto truth = parse_csv(slurp(phantoms / "truth.csv"));
  for (int k = 1; k <= 8; ++k) {
    char name[32];
    std::snprintf(name, sizeof name, "phantom_%03d", k);
    const std::string spider = std::to_string(k) + "_t1";
    fs::copy_file(phantoms / (std::string(name) + ".nii.gz"),
                  data / "masks" / (spider + ".nii.gz"));
    fs::copy_file(phantoms / (std::string(name) + "_t1.nii.gz"),
                  data / "images" / (spider + ".nii.gz"));
    for (const auto& row : truth) {
      if (row.at("case") == name)
        gradings << k << "," << std::stoi(row.at("label")) - 200 << "," << row.at("narrowed")
                 << "\n";
    }
  }
  gradings.close();
  std::ofstream(data / "masks" / "90_t1.nii.gz") << "not an image";
  {
    auto empty = discgeom::image<std::uint8_t>::filled({8, 8, 8}, {}, 0);
    empty.voxels(4, 4, 4) = 1;  // a vertebra only
    discgeom::write_image(data / "masks" / "91_t1.nii.gz", empty);
    auto other = discgeom::image<float>::filled({8, 8, 8}, {}, 0.0f);
    fs::copy_file(data / "masks" / "1_t1.nii.gz", data / "masks" / "92_t1.nii.gz");
    discgeom::write_image(data / "images" / "92_t1.nii.gz", other);
  }
  const fs::path out = scratch() / "pipeline_failures";
  fs::remove_all(out);
  const auto result =
      run("pipeline --out " + out.string() + " --data " + data.string() + tiny_config("tiny"));
  INFO(result.err);
  REQUIRE(result.status == 0);
  const auto failures = parse_csv(slurp(out / "failures.csv"));
  std::map<std::string, std::map<std::string, std::string>> by_case;
  for (const auto& row : failures)
    by_case[row.at("case")] = row;
  REQUIRE(by_case.count("90_t1"));
  CHECK(by_case["90_t1"].at("stage") == "discs");
  CHECK(by_case["90_t1"].at("reason").find("90_t1.nii.gz") != std::string::npos);
  REQUIRE(by_case.count("91_t1"));
  CHECK(by_case["91_t1"].at("reason").find("no disc") != std::string::npos);
  REQUIRE(by_case.count("92_t1"));
  CHECK(by_case["92_t1"].at("stage") == "inputs");
  CHECK(by_case["92_t1"].at("reason").find("differ in shape") != std::string::npos);
  CHECK(by_case.count("1_t1") == 0);
  // The good cases went all the way, with SPIDER's labels.
  const auto discs = parse_csv(slurp(out / "discs.csv"));
  CHECK(discs.size() == truth.size());
  CHECK(parse_csv(slurp(out / "features.csv")).size() == truth.size());
  CHECK(parse_csv(slurp(out / "classification.summary.csv")).size() == 9);
  const std::string page = slurp(out / "report.html");
  CHECK(page.find("90_t1") != std::string::npos);
  CHECK(page.find("differ in shape") != std::string::npos);
}

TEST_CASE("pipeline: an interrupted run resumes, a write failure keeps earlier outputs",
          "[cli][pipeline]") {
  const fs::path out = scratch() / "pipeline_interrupted";
  fs::remove_all(out);
  // Training that runs long enough to be interrupted (150 epochs, about 3 s, with a target it
  // cannot reach).
  const std::string slow = tiny_config("slow", "epochs = 150\ntarget_iou = 1\n");

  SECTION("killed during training, --resume continues from the checkpoint") {
    const fs::path pid_file = scratch() / "pipeline.pid";
    REQUIRE(std::system((std::string(DISCGEOM_CLI) + " pipeline --out " + out.string() +
                         " --phantom 6" + slow + " >/dev/null 2>&1 & echo $! >" + pid_file.string())
                            .c_str()) == 0);
    const fs::path checkpoint = out / "autoencoder" / "model.pt.checkpoint";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!fs::exists(checkpoint) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    REQUIRE(std::system(("kill -9 $(cat " + pid_file.string() + ")").c_str()) == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    REQUIRE(fs::exists(checkpoint));
    REQUIRE_FALSE(fs::exists(out / "autoencoder" / "model.pt"));  // killed before the end

    const auto resumed = run("pipeline --out " + out.string() + " --phantom 6 --resume" + slow);
    INFO(resumed.err);
    REQUIRE(resumed.status == 0);
    // The killed run's lock file is taken over, with a line naming the process it was left by
    // (a zombie until its new parent reaps it: "which no longer holds it" then).
    const std::string killed = slurp(pid_file).substr(0, slurp(pid_file).find('\n'));
    CHECK(resumed.err.find("took over the lock of process " + killed + " on host ") !=
          std::string::npos);
    CHECK_FALSE(fs::exists(out / "pipeline.lock"));
    CHECK(resumed.err.find("phantom: skipped, inputs unchanged") != std::string::npos);
    CHECK(resumed.err.find("cases: skipped, inputs unchanged") != std::string::npos);
    CHECK(resumed.err.find("continuing the interrupted training from its checkpoint") !=
          std::string::npos);
    const auto curve = parse_csv(slurp(out / "autoencoder" / "model.pt.training.csv"));
    REQUIRE(curve.size() >= 2);
    for (std::size_t e = 0; e < curve.size(); ++e)  // one curve, epochs 1, 2, ... (not twice)
      CHECK(number(curve[e], "epoch") == static_cast<double>(e + 1));
    CHECK(fs::is_regular_file(out / "report.html"));
    CHECK(no_partial_files(out));
  }

  SECTION("a write failure is reported, and what was written before is intact") {
    // The cases stage first; then the rest under a 16 KiB file size limit (writes beyond it fail
    // with EFBIG, as they would with ENOSPC on a full disk: the same stream failure).
    const std::string config = tiny_config("tiny");
    REQUIRE(
        run("pipeline --out " + out.string() + " --phantom 6 --stop-after cases" + config).status ==
        0);
    const std::string discs_before = bytes_of(out / "discs.csv");
    const std::string index_before = bytes_of(out / "crops" / "index.csv");
    const fs::path err = scratch() / "full_disk.err";
    const int raw = std::system(("bash -c \"trap '' XFSZ; ulimit -f 16; exec " +
                                 std::string(DISCGEOM_CLI) + " pipeline --out " + out.string() +
                                 " --phantom 6 --resume" + config + "\" 2>" + err.string())
                                    .c_str());
    const std::string message = slurp(err);
    INFO(message);
    CHECK(WEXITSTATUS(raw) == 1);
    CHECK(message.find("cannot be written") != std::string::npos);
    CHECK(message.find("File too large") != std::string::npos);
    CHECK(bytes_of(out / "discs.csv") == discs_before);
    CHECK(bytes_of(out / "crops" / "index.csv") == index_before);
    CHECK(no_partial_files(out));
    // With the limit lifted, --resume finishes the run from there.
    const auto finished = run("pipeline --out " + out.string() + " --phantom 6 --resume" + config);
    INFO(finished.err);
    CHECK(finished.status == 0);
    CHECK(finished.err.find("cases: skipped, inputs unchanged") != std::string::npos);
  }
}

TEST_CASE("pipeline: mpirun -np 2 shares the cases and writes the same tables as one process",
          "[cli][pipeline][mpi]") {
  if (!have_program("mpirun")) {
    WARN("mpirun is not installed (scripts/setup.sh installs Open MPI): MPI check skipped");
    return;
  }
  const fs::path single = scratch() / "pipeline_single", shared = scratch() / "pipeline_mpi";
  fs::remove_all(single);
  fs::remove_all(shared);
  const std::string config = tiny_config("tiny");
  const auto one =
      run("pipeline --out " + single.string() + " --phantom 5 --stop-after cases" + config);
  REQUIRE(one.status == 0);
  // Open MPI refuses to run as root unless told; --oversubscribe allows 2 ranks on any machine.
  const std::string mpirun =
      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun -np 2 --oversubscribe ";
  const fs::path err = scratch() / "mpirun.err";
  const int raw = std::system((mpirun + DISCGEOM_CLI + " pipeline --out " + shared.string() +
                               " --phantom 5" + config + " >/dev/null 2>" + err.string())
                                  .c_str());
  const std::string message = slurp(err);
  INFO(message);
  REQUIRE(WEXITSTATUS(raw) == 0);
  CHECK(message.find("on 2 rank(s)") != std::string::npos);
  for (const char* file : {"discs.csv", "crops/index.csv", "case_failures.csv"})
    CHECK(bytes_of(single / file) == bytes_of(shared / file));
  for (const auto& entry : fs::directory_iterator(single / "crops"))
    CHECK(bytes_of(entry.path()) == bytes_of(shared / "crops" / entry.path().filename()));
  // Rank 0 went on alone to the end.
  CHECK(fs::is_regular_file(shared / "classification.summary.csv"));
  CHECK(fs::is_regular_file(shared / "report.html"));
}

TEST_CASE("pipeline: with a segmenter model, images are segmented first", "[cli][pipeline]") {
  // A U-Net trained for a few steps on phantom T1 images: the test checks the plumbing (every
  // image segmented into DIR/segmentations, then measured or listed as failed), not its Dice.
  const fs::path data = scratch() / "segment_data", model = scratch() / "unet.pt";
  fs::remove_all(data);
  REQUIRE(run("phantom --out " + data.string() + " --cases 3 --seed 9 --image").status == 0);
  REQUIRE(run("train-seg --images " + data.string() + " --masks " + data.string() + " --out " +
              model.string() +
              " --epochs 2 --seed 3 --patch 16,16,16 --channels 4,8 --batches-per-epoch 2"
              " --threads 1 --quiet")
              .status == 0);
  const fs::path out = scratch() / "pipeline_segmented";
  fs::remove_all(out);
  const auto r =
      run("pipeline --out " + out.string() + " --data " + data.string() + " --stop-after cases" +
          tiny_config("segmenter", "segmenter_model = " + model.string() + "\n"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto discs = parse_csv(slurp(out / "discs.csv"));
  const auto failures = parse_csv(slurp(out / "failures.csv"));
  for (const char* name : {"phantom_001", "phantom_002", "phantom_003"}) {
    CHECK(fs::is_regular_file(out / "segmentations" / (std::string(name) + ".nii.gz")));
    bool measured = false, failed = false;
    for (const auto& row : discs)
      measured = measured || row.at("case") == name;
    for (const auto& row : failures)
      failed = failed || (row.at("case") == name && row.at("stage") == "segment");
    CHECK(measured != failed);  // one or the other
  }
}

TEST_CASE("pipeline: bad usage exits 2 naming the problem", "[cli][pipeline]") {
  const std::string out = " --out " + (scratch() / "pipeline_usage").string();
  auto r = run("pipeline" + out + " --phantom 4 --data /nonexistent");
  CHECK(r.status == 2);
  CHECK(r.err.find("--phantom and --data exclude each other") != std::string::npos);
  r = run("pipeline --phantom 4");
  CHECK(r.status == 2);
  CHECK(r.err.find("--out") != std::string::npos);
  r = run("pipeline" + out + " --stop-after training");
  CHECK(r.status == 2);
  CHECK(r.err.find("'training' is not a stage") != std::string::npos);
  const fs::path config = scratch() / "bad.conf";
  std::ofstream(config) << "epochs = 3\nwidth = 9\n";
  r = run("pipeline" + out + " --config " + config.string());
  CHECK(r.status == 2);
  CHECK(r.err.find("bad.conf:2: unknown setting 'width'") != std::string::npos);
  std::ofstream(config) << "epochs three\n";
  r = run("pipeline" + out + " --config " + config.string());
  CHECK(r.status == 2);
  CHECK(r.err.find("bad.conf:1: 'epochs three' is not key = value") != std::string::npos);
  std::ofstream(config) << "epochs = -3\n";
  r = run("pipeline" + out + " --config " + config.string());
  CHECK(r.status == 2);
  CHECK(r.err.find("bad.conf:1: epochs '-3' must be a whole number") != std::string::npos);
  // Values a later stage would refuse are refused before any stage runs.
  for (const auto& [line, message] : std::vector<std::pair<std::string, std::string>>{
           {"correlation_method = pearsn",
            "correlation_method 'pearsn' must be pearson, spearman or kendall"},
           {"bottleneck_sweep = 4", "bottleneck_sweep '4' needs two sizes or more"},
           {"folds = 1", "folds must be at least 2"},
           {"learning_rate = 0", "learning_rate must be more than 0"},
           {"channels = 8,0", "channels '8,0': every size must be at least 1"},
           {"segmenter_model = /nonexistent.pt",
            "segmenter_model '/nonexistent.pt': no such file"}}) {
    std::ofstream(config) << line << "\n";
    r = run("pipeline" + out + " --config " + config.string());
    CHECK(r.status == 2);
    CHECK(r.err.find("bad.conf:1: " + message) != std::string::npos);
  }
  r = run("pipeline" + out + " --data /tmp --stop-after phantom");
  CHECK(r.status == 2);
  CHECK(r.err.find("with --data there is no phantom stage") != std::string::npos);
  r = run("pipeline" + out + " --data /nonexistent/folder");
  CHECK(r.status == 1);
  CHECK(r.err.find("/nonexistent/folder: no such folder") != std::string::npos);
  CHECK_FALSE(fs::exists(scratch() / "pipeline_usage" / "pipeline.lock"));  // let go of on error
}

TEST_CASE("pipeline: one pipeline per run folder, and a lock left by a killed one is taken over",
          "[cli][pipeline]") {
  const fs::path out = scratch() / "pipeline_locked", lock = out / "pipeline.lock";
  fs::remove_all(out);
  fs::create_directories(out);
  std::array<char, 256> host{};
  REQUIRE(gethostname(host.data(), host.size() - 1) == 0);
  const std::string arguments =
      "pipeline --out " + out.string() + " --phantom 2 --stop-after " + "phantom --quiet";

  SECTION("a folder held by a running pipeline is refused, naming its process and host") {
    // This process holds the lock as a running pipeline does.
    const int fd = open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(flock(fd, LOCK_EX | LOCK_NB) == 0);
    const std::string holder =
        std::to_string(getpid()) + " " + host.data() + " 2026-01-01T00:00:00Z\n";
    REQUIRE(write(fd, holder.data(), holder.size()) == static_cast<ssize_t>(holder.size()));
    const auto r = run(arguments);
    close(fd);
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK(r.err == "discgeom pipeline: --out " + out.string() +
                       " is in use by another pipeline: process " + std::to_string(getpid()) +
                       " on host " + host.data() + ", started 2026-01-01T00:00:00Z (" +
                       lock.string() + ")\n");
    CHECK_FALSE(fs::exists(out / "phantom"));  // nothing ran
    CHECK(slurp(lock) == holder);              // and the holder's lock is untouched
  }

  SECTION("a lock file nobody holds is taken over, with a line saying whose it was") {
    const pid_t child = fork();  // a process that has ended: its pid names no process now
    if (child == 0)
      _exit(0);
    REQUIRE(waitpid(child, nullptr, 0) == child);
    std::ofstream(lock) << child << " " << host.data() << " 2026-01-01T00:00:00Z\n";
    const auto r = run(arguments);
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.err.find("discgeom pipeline: took over the lock of process " + std::to_string(child) +
                     " on host " + host.data() +
                     ", started 2026-01-01T00:00:00Z, which is no longer running (" +
                     lock.string() + ")\n") != std::string::npos);
    CHECK(fs::is_directory(out / "phantom"));
    CHECK_FALSE(fs::exists(lock));  // let go of at the end
  }
}

TEST_CASE("pipeline: two files of one case in --data are refused, naming both", "[cli][pipeline]") {
  const fs::path data = scratch() / "pipeline_twins", out = scratch() / "pipeline_twins_run";
  fs::remove_all(data);
  fs::remove_all(out);
  REQUIRE(run("phantom --out " + data.string() + " --cases 2 --quiet").status == 0);
  // phantom_001.mha beside phantom_001.nii.gz: both case phantom_001, whose segmentation and
  // crops would have the same names.
  discgeom::write_image(data / "phantom_001.mha",
                        discgeom::read_image<std::uint8_t>((data / "phantom_001.nii.gz").string()));
  const auto r = run("pipeline --out " + out.string() + " --data " + data.string() + " --quiet");
  INFO(r.err);
  CHECK(r.status == 1);
  CHECK(r.err.find((data / "phantom_001.mha").string() + " and " +
                   (data / "phantom_001.nii.gz").string() + " are both case 'phantom_001'") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(out / "discs.csv"));
}
