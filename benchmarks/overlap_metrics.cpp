// SPDX-License-Identifier: MIT
// Multi-label Dice and IoU (`overlap_by_label`: the one-pass joint label histogram of
// `count_label_pairs`, then the scores of every label) on 512 x 512 x 64 label maps with 5 and
// with 32 labels, uint8 and uint16 voxels. The prediction is the reference with every structure
// (an ellipsoid) moved by up to 2 voxels and its radii changed by up to 4 %, so that the maps
// agree but at the boundaries; the worst case holds an independent random label in every voxel
// (no runs). A plain loop counting equal voxels is the bandwidth baseline. With --write-data DIR
// the maps and discgeom's scores are written for the numpy peer (peers/overlap_metrics.py). Run
// both with benchmarks/run_overlap.sh.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "discgeom/image.hpp"
#include "discgeom/metrics/overlap.hpp"

namespace {

constexpr std::size_t nx = 512, ny = 512, nz = 64;

template <class T>
struct label_maps {
  discgeom::image<T> reference;
  discgeom::image<T> prediction;
};

struct ellipsoid {
  double ci, cj, ck;  // centre (voxel indices)
  double a, b, c;     // semi-axes (voxels)
};

template <class T>
void draw(discgeom::image<T>& img, T label, const ellipsoid& e) {
  const auto clamp_range = [](double centre, double radius, std::size_t n) {
    const double low = std::max(0.0, std::floor(centre - radius));
    const double high = std::min(static_cast<double>(n) - 1.0, std::ceil(centre + radius));
    return std::pair<std::size_t, std::size_t>(static_cast<std::size_t>(low),
                                               static_cast<std::size_t>(high));
  };
  const auto [i0, i1] = clamp_range(e.ci, e.a, nx);
  const auto [j0, j1] = clamp_range(e.cj, e.b, ny);
  const auto [k0, k1] = clamp_range(e.ck, e.c, nz);
  for (std::size_t k = k0; k <= k1; ++k) {
    for (std::size_t j = j0; j <= j1; ++j) {
      for (std::size_t i = i0; i <= i1; ++i) {
        const double x = (static_cast<double>(i) - e.ci) / e.a;
        const double y = (static_cast<double>(j) - e.cj) / e.b;
        const double z = (static_cast<double>(k) - e.ck) / e.c;
        if (x * x + y * y + z * z <= 1.0) {
          img.voxels(i, j, k) = label;
        }
      }
    }
  }
}

// The structures of the reference: 5 vertebra-sized ellipsoids in a column (8 % of the voxels),
// or 32 on a 4 x 8 grid (36 % of the voxels).
std::vector<ellipsoid> structures(int labels) {
  std::vector<ellipsoid> result;
  if (labels == 5) {
    for (int n = 0; n < 5; ++n) {
      result.push_back({256.0, 60.0 + 98.0 * n, 32.0, 60.0, 40.0, 28.0});
    }
  } else {
    for (int b = 0; b < 8; ++b) {
      for (int a = 0; a < 4; ++a) {
        result.push_back({64.0 + 128.0 * a, 32.0 + 64.0 * b, 32.0, 58.0, 30.0, 26.0});
      }
    }
  }
  return result;
}

template <class T, int Labels, bool Random>
const label_maps<T>& maps() {
  static const auto pair = [] {
    const discgeom::image_geometry g{.spacing = {0.6, 0.6, 1.0}};
    label_maps<T> result{discgeom::image<T>::filled({nx, ny, nz}, g, 0),
                         discgeom::image<T>::filled({nx, ny, nz}, g, 0)};
    std::mt19937 random(Labels);
    if constexpr (Random) {
      for (auto& voxel : result.reference.voxels) {
        voxel = static_cast<T>(random() % (Labels + 1));
      }
      for (auto& voxel : result.prediction.voxels) {
        voxel = static_cast<T>(random() % (Labels + 1));
      }
    } else {
      std::uniform_int_distribution<int> shift(-2, 2);
      std::uniform_real_distribution<double> scale(0.96, 1.04);
      T label = 1;
      for (const ellipsoid& e : structures(Labels)) {
        draw(result.reference, label, e);
        const ellipsoid moved{e.ci + shift(random), e.cj + shift(random), e.ck + shift(random),
                              e.a * scale(random),  e.b * scale(random),  e.c * scale(random)};
        draw(result.prediction, label, moved);
        ++label;
      }
    }
    return result;
  }();
  return pair;
}

template <class T>
void set_counters(benchmark::State& state) {
  const auto voxels = static_cast<std::int64_t>(nx * ny * nz);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * voxels);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * voxels * 2 *
                          static_cast<std::int64_t>(sizeof(T)));
}

// discgeom: Dice, IoU (and the other overlap scores) of every label, in one pass.
template <class T, int Labels, bool Random>
void dice_by_label(benchmark::State& state) {
  const auto& [reference, prediction] = maps<T, Labels, Random>();
  for (auto _ : state) {
    auto scores = discgeom::overlap_by_label(reference, prediction);
    benchmark::DoNotOptimize(scores.data());
  }
  set_counters<T>(state);
}

// Baseline: one plain loop over both buffers counting equal voxels (vectorised: the bandwidth
// bound of any pass that reads both maps).
template <class T>
void equal_voxels_raw(benchmark::State& state) {
  const auto& [reference, prediction] = maps<T, 5, false>();
  const T* r = reference.voxels.data();
  const T* p = prediction.voxels.data();
  const std::size_t n = reference.voxels.size();
  for (auto _ : state) {
    std::uint64_t equal = 0;
    for (std::size_t i = 0; i < n; ++i) {
      equal += r[i] == p[i] ? 1 : 0;
    }
    benchmark::DoNotOptimize(equal);
  }
  set_counters<T>(state);
}

template <class T, int Labels, bool Random>
void write_case(const std::string& folder, const std::string& name, std::ofstream& scores) {
  const auto& [reference, prediction] = maps<T, Labels, Random>();
  const auto write = [&](const discgeom::image<T>& img, const std::string& suffix) {
    std::ofstream(folder + "/overlap_" + name + "_" + suffix + ".raw", std::ios::binary)
        .write(reinterpret_cast<const char*>(img.voxels.data()),
               static_cast<std::streamsize>(img.voxels.size() * sizeof(T)));
  };
  write(reference, "reference");
  write(prediction, "prediction");
  for (const auto& [label, s] : discgeom::overlap_by_label(reference, prediction)) {
    scores << name << ',' << (std::is_same_v<T, std::uint8_t> ? "uint8" : "uint16") << ',' << label
           << ',' << s.counts.tp << ',' << s.counts.fp << ',' << s.counts.fn << ',' << s.dice << ','
           << s.iou << '\n';
  }
}

void write_data(const std::string& folder) {
  std::ofstream scores(folder + "/overlap_discgeom.csv");
  scores.precision(17);
  scores << "case,dtype,label,tp,fp,fn,dice,iou\n";
  write_case<std::uint8_t, 5, false>(folder, "uint8_5", scores);
  write_case<std::uint8_t, 32, false>(folder, "uint8_32", scores);
  write_case<std::uint16_t, 5, false>(folder, "uint16_5", scores);
  write_case<std::uint16_t, 32, false>(folder, "uint16_32", scores);
  write_case<std::uint8_t, 5, true>(folder, "uint8_5_random", scores);
  write_case<std::uint16_t, 32, true>(folder, "uint16_32_random", scores);
}

// The fastest repetition, beside Google Benchmark's median: this machine is shared, and
// compute-bound kernels lose more to a busy neighbour than memory-bound ones.
double fastest(const std::vector<double>& values) {
  return *std::min_element(values.begin(), values.end());
}

}  // namespace

BENCHMARK(equal_voxels_raw<std::uint8_t>)
    ->Name("baseline_equal_voxels/uint8")
    ->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", fastest);
BENCHMARK(equal_voxels_raw<std::uint16_t>)
    ->Name("baseline_equal_voxels/uint16")
    ->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", fastest);
BENCHMARK(dice_by_label<std::uint8_t, 5, false>)
    ->Name("dice_by_label/uint8/5_labels")
    ->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", fastest);
BENCHMARK(dice_by_label<std::uint8_t, 32, false>)
    ->Name("dice_by_label/uint8/32_labels")
    ->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", fastest);
BENCHMARK(dice_by_label<std::uint16_t, 5, false>)
    ->Name("dice_by_label/uint16/5_labels")
    ->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", fastest);
BENCHMARK(dice_by_label<std::uint16_t, 32, false>)
    ->Name("dice_by_label/uint16/32_labels")
    ->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", fastest);
BENCHMARK(dice_by_label<std::uint8_t, 5, true>)
    ->Name("dice_by_label/uint8/5_labels_random")
    ->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", fastest);
BENCHMARK(dice_by_label<std::uint16_t, 32, true>)
    ->Name("dice_by_label/uint16/32_labels_random")
    ->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", fastest);

int main(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--write-data") == 0) {
      write_data(argv[i + 1]);
    }
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
