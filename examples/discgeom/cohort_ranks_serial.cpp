// SPDX-License-Identifier: MIT
// cohort_ranks for a program built without MPI: one rank.
#include <stdexcept>
#include <string>

#include "cohort_ranks.hpp"

namespace discgeom::cli {

cohort_ranks::cohort_ranks() {
  if (const int world = launcher_world_size(); world > 1) {
    throw std::runtime_error("started as " + std::to_string(world) +
                             " MPI ranks, but this discgeom was built without MPI (install "
                             "libopenmpi-dev and rebuild); run it as one process");
  }
}
cohort_ranks::~cohort_ranks() = default;

std::vector<std::string> cohort_ranks::gather(const std::string& mine) const {
  return {mine};
}
std::string cohort_ranks::broadcast(const std::string& from_root) const {
  return from_root;
}
void cohort_ranks::barrier() const {}
const char* cohort_ranks::backend() {
  return "none";
}

}  // namespace discgeom::cli
