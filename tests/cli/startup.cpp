// SPDX-License-Identifier: MIT
// What each command of the discgeom program loads: the core commands never load LibTorch,
// XGBoost or MPI, and `discgeom --help` loads nothing but the C++ runtime. The dynamic loader
// lists every shared library it loads (LD_DEBUG=libs); the libraries are loaded before main()
// runs, so `COMMAND --help` loads what a real run of COMMAND loads.
#include <sys/wait.h>

#include <cstdlib>
#include <regex>
#include <set>
#include <string>

#include "cli_helpers.hpp"

namespace {

struct loaded_libraries {
  int status = -1;
  std::set<std::string> names;  // file names, e.g. "libITKCommon-5.2.so.1"
};

loaded_libraries libraries_loaded_by(const std::string& arguments) {
  const fs::path out = cli_test::scratch() / "startup_stdout.txt";
  const fs::path err = cli_test::scratch() / "startup_loader.txt";
  const std::string command = "LD_DEBUG=libs " + std::string(DISCGEOM_CLI) + " " + arguments +
                              " >" + out.string() + " 2>" + err.string();
  const int raw = std::system(command.c_str());
  loaded_libraries result;
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  // The loader writes "calling init: /path/libX.so.N" once per library it initialises.
  const std::string log = cli_test::slurp(err);
  const std::regex init_line(R"(calling init: (\S+))");
  for (std::sregex_iterator it(log.begin(), log.end(), init_line), end; it != end; ++it) {
    const std::string path = (*it)[1];
    result.names.insert(path.substr(path.rfind('/') + 1));
  }
  return result;
}

bool any_named(const std::set<std::string>& names, const std::string& fragment) {
  for (const auto& name : names)
    if (name.find(fragment) != std::string::npos)
      return true;
  return false;
}

}  // namespace

TEST_CASE("discgeom --help loads only the C++ runtime", "[cli][startup]") {
  const auto loaded = libraries_loaded_by("--help");
  REQUIRE(loaded.status == 0);
  REQUIRE(any_named(loaded.names, "libstdc++"));  // the loader's log was read
  CHECK_FALSE(any_named(loaded.names, "libITK"));
  CHECK_FALSE(any_named(loaded.names, "torch"));
  CHECK(loaded.names.size() <= 8);
}

TEST_CASE("the core commands load ITK's image I/O but never LibTorch, XGBoost or MPI",
          "[cli][startup]") {
  for (const std::string command : {"discs", "overlap", "correlate", "crop", "phantom"}) {
    CAPTURE(command);
    const auto loaded = libraries_loaded_by(command + " --help");
    REQUIRE(loaded.status == 0);
    CHECK(any_named(loaded.names, "libITKIONIFTI"));  // the loader's log was read
    CHECK_FALSE(any_named(loaded.names, "torch"));
    CHECK_FALSE(any_named(loaded.names, "libc10"));
    CHECK_FALSE(any_named(loaded.names, "xgboost"));
    CHECK_FALSE(any_named(loaded.names, "libmpi"));
    CHECK_FALSE(any_named(loaded.names, "cuda"));
  }
}

#ifdef DISCGEOM_CLI_WITH_TORCH
TEST_CASE("a LibTorch command loads LibTorch (the check above can see it)", "[cli][startup]") {
  const auto loaded = libraries_loaded_by("train-ae --help");
  REQUIRE(loaded.status == 0);
  CHECK(any_named(loaded.names, "libtorch"));
  CHECK_FALSE(any_named(loaded.names, "xgboost"));
  CHECK_FALSE(any_named(loaded.names, "libmpi"));
}
#endif

#ifdef DISCGEOM_CLI_WITH_XGBOOST
TEST_CASE("classify loads XGBoost but neither LibTorch nor ITK", "[cli][startup]") {
  const auto loaded = libraries_loaded_by("classify --help");
  REQUIRE(loaded.status == 0);
  CHECK(any_named(loaded.names, "xgboost"));
  CHECK_FALSE(any_named(loaded.names, "libtorch"));
  CHECK_FALSE(any_named(loaded.names, "libITK"));
}
#endif

TEST_CASE("an unknown command lists the commands and exits 2", "[cli][startup]") {
  const auto result = cli_test::run("no-such-command");
  CHECK(result.status == 2);
  CHECK(result.err.find("unknown command 'no-such-command'") != std::string::npos);
  CHECK(result.err.find("  pipeline  the whole pipeline") != std::string::npos);
}
