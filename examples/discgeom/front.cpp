// SPDX-License-Identifier: MIT
// The discgeom program (docs/cli.md): `discgeom COMMAND [ARGS...]`.
//
// This front program links nothing but the C++ runtime. It prints the command list itself and
// replaces itself (execv, same process, same pid, same environment: signals, mpirun and exit
// statuses behave as if the command ran here) with the command program that hosts COMMAND:
//   discgeom-core      discs, overlap, correlate, crop, phantom   (ITK image I/O only)
//   discgeom-torch     train-ae, encode, traverse, segment, train-seg   (LibTorch)
//   discgeom-classify  classify   (XGBoost)
//   discgeom-pipeline  pipeline   (LibTorch, XGBoost, MPI)
// so that a core command never loads LibTorch, XGBoost or MPI and starts in milliseconds
// (benchmarks/RESULTS.md, "Start-up"). The command programs are looked for beside this
// program, then in ../libexec/discgeom.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct command_entry {
  const char* name;
  const char* program;
  const char* summary;
};

constexpr command_entry commands[] = {
    {"discs", "discgeom-core", "per-disc geometry in mm of segmented spines (one row per disc)"},
    {"overlap", "discgeom-core",
     "overlap and surface-distance metrics of predictions against references"},
    {"correlate", "discgeom-core",
     "correlations with p-values and intervals between columns of a CSV table"},
    {"crop", "discgeom-core",
     "every disc resampled and centred in a cube: the autoencoder's input"},
    {"train-ae", "discgeom-torch", "train the 3D autoencoder of disc shape on the crops"},
    {"encode", "discgeom-torch", "the latent code of every crop"},
    {"traverse", "discgeom-torch",
     "latent traversal: decoded geometry, montage, latent-geometry correlations"},
    {"classify", "discgeom-classify",
     "gradient boosting of a binary label: cross-validated F1 and ROC AUC per set"},
    {"phantom", "discgeom-core",
     "synthetic lumbar spines in SPIDER labels with the truth of every disc"},
    {"segment", "discgeom-torch",
     "segment images with a TorchScript or native U-Net model (SPIDER disc labels)"},
    {"train-seg", "discgeom-torch", "train the native 3D U-Net segmenter on image/mask pairs"},
    {"pipeline", "discgeom-pipeline",
     "the whole pipeline on a cohort (phantoms or your data) with an HTML report"},
};

void print_usage(std::FILE* stream) {
  std::fputs("usage: discgeom COMMAND [ARGS...]\ncommands:\n", stream);
  for (const auto& command : commands)
    std::fprintf(stream, "  %-9s %s\n", command.name, command.summary);
  std::fputs("run 'discgeom COMMAND --help' for its options\n", stream);
}

/// The folder of the running program (from /proc/self/exe), with a trailing '/'.
std::string own_folder() {
  std::vector<char> path(4096);
  const ssize_t length = readlink("/proc/self/exe", path.data(), path.size() - 1);
  if (length <= 0)
    return "";
  const std::string self(path.data(), static_cast<std::size_t>(length));
  return self.substr(0, self.rfind('/') + 1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    print_usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const command_entry* found = nullptr;
  for (const auto& command : commands)
    if (std::strcmp(argv[1], command.name) == 0)
      found = &command;
  if (found == nullptr) {
    std::fprintf(stderr, "discgeom: unknown command '%s'\n", argv[1]);
    print_usage(stderr);
    return 2;
  }

  const std::string folder = own_folder();
  const std::string candidates[] = {folder + found->program,
                                    folder + "../libexec/discgeom/" + found->program};
  std::vector<char*> command_argv(argv, argv + argc + 1);  // argv[argc] is the null pointer
  int first_error = 0;
  for (const auto& candidate : candidates) {
    command_argv[0] = const_cast<char*>(candidate.c_str());
    execv(candidate.c_str(), command_argv.data());  // returns only on failure
    if (first_error == 0)
      first_error = errno;
  }
  std::fprintf(stderr, "discgeom %s: cannot run its program '%s': %s\n", found->name,
               candidates[0].c_str(), std::strerror(first_error));
  return 1;
}
