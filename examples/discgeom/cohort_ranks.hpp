// SPDX-License-Identifier: MIT
#pragma once
// The processes of a cohort run: one, or the ranks of an MPI job when the program is started
// with mpirun (docs/pipeline.md). Declared without MPI: only cohort_ranks_mpi.cpp includes it;
// a program built without MPI (cohort_ranks_serial.cpp) refuses to run as several ranks rather
// than letting every rank do the whole job.

#include <cstdlib>
#include <string>
#include <vector>

namespace discgeom::cli {

class cohort_ranks {
 public:
  /// Joins the MPI job when the process was started by mpirun (else a single rank 0 of 1).
  /// \throws std::runtime_error when started as several ranks by a program built without MPI
  cohort_ranks();
  ~cohort_ranks();
  cohort_ranks(const cohort_ranks&) = delete;
  cohort_ranks& operator=(const cohort_ranks&) = delete;

  [[nodiscard]] int rank() const { return rank_; }
  [[nodiscard]] int size() const { return size_; }
  [[nodiscard]] bool is_root() const { return rank_ == 0; }

  /// Rank 0 receives every rank's text, in rank order; the other ranks receive nothing.
  [[nodiscard]] std::vector<std::string> gather(const std::string& mine) const;
  /// Every rank receives rank 0's text.
  [[nodiscard]] std::string broadcast(const std::string& from_root) const;
  /// Waits for every rank.
  void barrier() const;

  /// "MPI" when the program was built with MPI, else "none".
  [[nodiscard]] static const char* backend();

 private:
  int rank_ = 0;
  int size_ = 1;
  bool joined_ = false;
};

/// The number of ranks the launcher asked for, read from its environment (OMPI_COMM_WORLD_SIZE
/// of Open MPI's mpirun, PMI_SIZE of MPICH's and Slurm's); 1 when the process was not started by
/// an MPI launcher.
inline int launcher_world_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    if (const char* value = std::getenv(name)) {
      const int size = std::atoi(value);
      if (size > 0)
        return size;
    }
  }
  return 1;
}

}  // namespace discgeom::cli
