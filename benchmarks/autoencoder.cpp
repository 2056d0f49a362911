// SPDX-License-Identifier: MIT
// The paper's autoencoder (64^3, channels 32-64-128-256-512, bottleneck 4) on the CPU: encode and
// decode throughput (discs per second, batches of 16, eval mode) and the time of one training
// step (batch 4: forward, BCE-with-logits, backward, Adam). The peer runs the same model in
// Python PyTorch (peers/autoencoder.py) on the same LibTorch, same threads, same run:
// benchmarks/run_autoencoder.sh.
//
//   bench_autoencoder THREADS [REPEATS] [SIZE]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <torch/torch.h>

#include "discgeom/nn/autoencoder.hpp"
#include "discgeom/nn/train_autoencoder.hpp"

namespace {

template <class F>
double median_seconds(int repeats, F&& f) {
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    f();
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
  const std::int64_t size = argc > 3 ? std::atoll(argv[3]) : 64;
  torch::set_num_threads(threads);
  torch::manual_seed(0);
  discgeom::autoencoder3d model(discgeom::autoencoder_config{.input_size = size});
  const auto masks = (torch::rand({16, 1, size, size, size}) > 0.7).to(torch::kFloat);
  const auto codes = torch::randn({16, 4});

  model->eval();
  double encode = 0, decode = 0;
  {
    c10::InferenceMode inference;  // what autoencoder_decoder and encode_masks use
    model->encode(masks);          // warm-up
    encode = median_seconds(repeats, [&] { model->encode(masks); });
    model->decode(codes);
    decode = median_seconds(repeats, [&] { model->decode(codes); });
  }
  model->train();
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
  const auto batch = masks.slice(0, 0, 4);
  auto step = [&] {
    optimizer.zero_grad();
    auto loss = torch::binary_cross_entropy_with_logits(model->forward(batch), batch);
    loss.backward();
    optimizer.step();
  };
  step();  // warm-up
  const double train = median_seconds(repeats, step);
  std::printf(
      "discgeom C++   %lld^3 threads %d: encode %.1f discs/s, decode %.1f discs/s, "
      "training step (batch 4) %.3f s -> epoch of 50 discs %.1f s\n",
      static_cast<long long>(size), threads, 16.0 / encode, 16.0 / decode, train, 13.0 * train);
  return 0;
}
