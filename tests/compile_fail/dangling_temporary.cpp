// SPDX-License-Identifier: MIT
// Must not compile: a view of a temporary owning container would dangle.
#include "discgeom/adapters/xtensor.hpp"

#include <xtensor/xtensor.hpp>

int main() {
  auto view = discgeom::as_volume(xt::xtensor<float, 3>::from_shape({2, 2, 2}));
  return static_cast<int>(view.size());
}
