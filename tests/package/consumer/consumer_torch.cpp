// SPDX-License-Identifier: MIT
// An outside program viewing a LibTorch tensor through the installed discgeom::torch.
#include <discgeom/adapters/torch.hpp>

#include <cstdio>

int main() {
  at::Tensor tensor = at::zeros({2, 3, 4}, at::kFloat);
  auto view = discgeom::as_volume<float, 3>(tensor);
  view(1, 2, 3) = 7.0f;
  const bool ok = tensor[1][2][3].item<float>() == 7.0f;
  std::printf("torch component: %s\n", ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}
