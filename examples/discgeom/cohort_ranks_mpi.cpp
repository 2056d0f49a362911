// SPDX-License-Identifier: MIT
// cohort_ranks over MPI: ranks of MPI_COMM_WORLD; texts travel as bytes.
// The MPI C API only: Open MPI's and MPICH's deprecated C++ bindings stay out.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "cohort_ranks.hpp"

namespace discgeom::cli {
namespace {

void check(int code, const char* call) {
  if (code != MPI_SUCCESS) {
    char message[MPI_MAX_ERROR_STRING];
    int length = 0;
    MPI_Error_string(code, message, &length);
    throw std::runtime_error(std::string(call) + " failed: " + std::string(message, length));
  }
}

}  // namespace

cohort_ranks::cohort_ranks() {
  // Joins only when launched by mpirun: a plain run stays a plain process (no MPI singleton).
  if (launcher_world_size() <= 1)
    return;
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised)
    check(MPI_Init(nullptr, nullptr), "MPI_Init");
  joined_ = true;
  check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
  check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
}

cohort_ranks::~cohort_ranks() {
  if (joined_) {
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (!finalised)
      MPI_Finalize();
  }
}

std::vector<std::string> cohort_ranks::gather(const std::string& mine) const {
  if (!joined_)
    return {mine};
  const int length = static_cast<int>(mine.size());
  std::vector<int> lengths(static_cast<std::size_t>(size_));
  check(MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD),
        "MPI_Gather");
  std::vector<int> offsets(lengths.size(), 0);
  std::string all;
  if (is_root()) {
    long long total = 0;
    for (std::size_t r = 0; r < lengths.size(); ++r) {
      offsets[r] = static_cast<int>(total);
      total += lengths[r];
    }
    if (total > 2'000'000'000LL)
      throw std::runtime_error("MPI_Gatherv: the gathered tables exceed 2 GB");
    all.resize(static_cast<std::size_t>(total));
  }
  check(MPI_Gatherv(mine.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(),
                    MPI_CHAR, 0, MPI_COMM_WORLD),
        "MPI_Gatherv");
  std::vector<std::string> texts;
  if (is_root()) {
    for (std::size_t r = 0; r < lengths.size(); ++r)
      texts.push_back(
          all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(lengths[r])));
  }
  return texts;
}

std::string cohort_ranks::broadcast(const std::string& from_root) const {
  if (!joined_)
    return from_root;
  int length = static_cast<int>(from_root.size());
  check(MPI_Bcast(&length, 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Bcast");
  std::string text = is_root() ? from_root : std::string(static_cast<std::size_t>(length), '\0');
  check(MPI_Bcast(text.data(), length, MPI_CHAR, 0, MPI_COMM_WORLD), "MPI_Bcast");
  return text;
}

void cohort_ranks::barrier() const {
  if (joined_)
    check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier");
}

const char* cohort_ranks::backend() {
  return "MPI";
}

}  // namespace discgeom::cli
