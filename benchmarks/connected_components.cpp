// SPDX-License-Identifier: MIT
// Multi-label connected components (26-connectivity) of a 512 x 512 x 64 label map: 11 spine
// structures (tilted ellipsoids, labels 1-6 and 201-205) plus 400 small random blobs of labels
// 1-20, so that labels touch each other. With --write-phantom DIR the volume is written for the
// scipy.ndimage peer (peers/connected_components.py). Run both with benchmarks/run_components.sh.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <random>
#include <string>

#include <benchmark/benchmark.h>

#include "discgeom/image.hpp"
#include "discgeom/mask/connected_components.hpp"

namespace {

constexpr std::size_t nx = 512, ny = 512, nz = 64;

const discgeom::image<std::int16_t>& volume() {
  static const auto img = [] {
    auto result = discgeom::image<std::int16_t>::filled({nx, ny, nz}, {.spacing = {0.6, 0.6, 1.0}}, 0);
    const auto ellipsoid = [&](std::int16_t label, double ci, double cj, double ck, double a, double b, double c) {
      for (std::size_t k = 0; k < nz; ++k)
        for (std::size_t j = 0; j < ny; ++j)
          for (std::size_t i = 0; i < nx; ++i) {
            const double x = (i - ci) / a, y = (j - cj) / b, z = (k - ck) / c;
            if (x * x + y * y + z * z <= 1.0) result.voxels(i, j, k) = label;
          }
    };
    for (int level = 0; level < 6; ++level) ellipsoid(static_cast<std::int16_t>(level + 1), 256, 440 - 62 * level, 32, 28, 18, 25);
    for (int level = 0; level < 5; ++level) ellipsoid(static_cast<std::int16_t>(201 + level), 256, 409 - 62 * level, 32, 30, 8, 24);
    std::mt19937 random(5);
    for (int blob = 0; blob < 400; ++blob) {
      const std::size_t i0 = random() % (nx - 8), j0 = random() % (ny - 8), k0 = random() % (nz - 4);
      const auto label = static_cast<std::int16_t>(1 + random() % 20);
      for (std::size_t k = k0; k < k0 + 3; ++k)
        for (std::size_t j = j0; j < j0 + 6; ++j)
          for (std::size_t i = i0; i < i0 + 6; ++i)
            if (random() % 4 != 0) result.voxels(i, j, k) = label;
    }
    return result;
  }();
  return img;
}

void multi_label_components(benchmark::State& state) {
  const auto& img = volume();
  std::size_t count = 0;
  for (auto _ : state) {
    const auto result = discgeom::connected_components(img, img.geometry);
    count = result.components.size();
    benchmark::DoNotOptimize(result.ids.data());
  }
  state.counters["components"] = static_cast<double>(count);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * img.voxels.size() * sizeof(std::int16_t)));
}

}  // namespace

BENCHMARK(multi_label_components)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--write-phantom") == 0) {
      const auto& img = volume();
      std::ofstream(std::string(argv[i + 1]) + "/components_int16.raw", std::ios::binary)
          .write(reinterpret_cast<const char*>(img.voxels.data()),
                 static_cast<std::streamsize>(img.voxels.size() * sizeof(std::int16_t)));
      std::ofstream(std::string(argv[i + 1]) + "/components_count.txt")
          << discgeom::connected_components(img, img.geometry).components.size() << "\n";
    }
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
