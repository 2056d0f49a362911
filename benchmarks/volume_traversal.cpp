// SPDX-License-Identifier: MIT
// What the view abstraction costs: summing and label-counting a 512 x 512 x 20 uint16 label map
// (a typical sagittal lumbar series) through volume_view + for_each_voxel, against a raw pointer
// loop (the baseline, bounded by memory bandwidth) and xtensor's own reduction (the peer), on the
// same memory in the same run. Results and the command are in benchmarks/RESULTS.md.
#include <cstdint>
#include <numeric>
#include <random>

#include <benchmark/benchmark.h>
#include <xtensor/xadapt.hpp>
#include <xtensor/xreducer.hpp>
#include <xtensor/xtensor.hpp>

#include "discgeom/discgeom.hpp"

namespace {

constexpr std::size_t nx = 512, ny = 512, nz = 20;

const discgeom::image<std::uint16_t>& label_map() {
  static const auto img = [] {
    auto result = discgeom::image<std::uint16_t>::filled({nx, ny, nz}, {}, 0);
    std::mt19937 random(7);
    // Runs of labels, as in a segmentation: 0 mostly, then a few discs.
    std::uint16_t label = 0;
    for (auto& voxel : result.voxels) {
      if (random() % 64 == 0)
        label = static_cast<std::uint16_t>(random() % 8 == 0 ? 201 + random() % 5 : 0);
      voxel = label;
    }
    return result;
  }();
  return img;
}

void set_bytes(benchmark::State& state) {
  state.SetBytesProcessed(
      static_cast<std::int64_t>(state.iterations() * nx * ny * nz * sizeof(std::uint16_t)));
}

void raw_pointer_sum(benchmark::State& state) {
  const auto& img = label_map();
  const std::uint16_t* data = img.voxels.data();
  for (auto _ : state) {
    std::uint64_t sum = 0;
    for (std::size_t n = 0; n < nx * ny * nz; ++n)
      sum += data[n];
    benchmark::DoNotOptimize(sum);
  }
  set_bytes(state);
}

void view_for_each_voxel_sum(benchmark::State& state) {
  const auto view = discgeom::as_volume(label_map());
  for (auto _ : state) {
    std::uint64_t sum = 0;
    discgeom::for_each_voxel(view, [&](const auto&, std::uint16_t voxel) { sum += voxel; });
    benchmark::DoNotOptimize(sum);
  }
  set_bytes(state);
}

void xtensor_sum(benchmark::State& state) {
  const auto& img = label_map();
  for (auto _ : state) {
    // Immediate evaluation: xtensor's fastest strategy for a full reduction.
    const std::uint64_t sum =
        xt::sum<std::uint64_t>(img.voxels, xt::evaluation_strategy::immediate)();
    benchmark::DoNotOptimize(sum);
  }
  set_bytes(state);
}

void label_voxel_counts_view(benchmark::State& state) {
  const auto& img = label_map();
  for (auto _ : state) {
    auto counts = discgeom::label_voxel_counts(img);
    benchmark::DoNotOptimize(counts.data());
  }
  set_bytes(state);
}

void label_histogram_raw(
    benchmark::State& state) {  // the best a hand-written loop can do for uint16
  const auto& img = label_map();
  const std::uint16_t* data = img.voxels.data();
  for (auto _ : state) {
    std::vector<std::size_t> histogram(65536, 0);
    for (std::size_t n = 0; n < nx * ny * nz; ++n)
      ++histogram[data[n]];
    benchmark::DoNotOptimize(histogram.data());
  }
  set_bytes(state);
}

}  // namespace

BENCHMARK(raw_pointer_sum)->Unit(benchmark::kMillisecond);
BENCHMARK(view_for_each_voxel_sum)->Unit(benchmark::kMillisecond);
BENCHMARK(xtensor_sum)->Unit(benchmark::kMillisecond);
BENCHMARK(label_histogram_raw)->Unit(benchmark::kMillisecond);
BENCHMARK(label_voxel_counts_view)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
