// SPDX-License-Identifier: MIT
// The full `discs` table of a 5-disc 512 x 512 x 20 sagittal spine (discs 201-205 and vertebrae
// 1-6 as tilted ellipsoids; axes posterior, inferior, left at 0.6 x 0.6 x 3.3 mm), timed with
// Google Benchmark. With --write-phantom DIR it first writes the volume (raw int16, column-major),
// its geometry and discgeom's table for the numpy/scipy peer (peers/discs_table.py), which
// computes the same definitions and checks it agrees. Run both with benchmarks/run_discs.sh.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include <benchmark/benchmark.h>

#include "discgeom/discgeom.hpp"
#include "discgeom/geometry/disc_measures.hpp"

namespace {

constexpr double pi = 3.14159265358979323846;

const discgeom::image<std::int16_t>& spine() {
  static const auto img = [] {
    const discgeom::image_geometry g{.spacing = {0.6, 0.6, 3.3},
                                     .origin = {-30.0, 40.0, 150.0},
                                     .direction = discgeom::direction_from_orientation("PIL")};
    auto result = discgeom::image<std::int16_t>::filled({512, 512, 20}, g, 0);
    // Ellipsoids in (AP index, SI index, LR index) space; SI index grows downwards.
    const auto ellipsoid = [&](std::int16_t label, double ci, double cj, double ck, double a_mm, double b_mm,
                               double c_mm, double tilt_deg) {
      const double t = tilt_deg * pi / 180.0;
      for (std::size_t k = 0; k < 20; ++k)
        for (std::size_t j = 0; j < 512; ++j)
          for (std::size_t i = 0; i < 512; ++i) {
            const double x = (i - ci) * 0.6, y = (j - cj) * 0.6, z = (k - ck) * 3.3;
            const double u = x * std::cos(t) + y * std::sin(t), v = -x * std::sin(t) + y * std::cos(t);
            if ((u / a_mm) * (u / a_mm) + (v / b_mm) * (v / b_mm) + (z / c_mm) * (z / c_mm) <= 1.0) {
              result.voxels(i, j, k) = label;
            }
          }
    };
    for (int level = 0; level < 6; ++level) {  // vertebrae 1 (L5) ... 6 (T12), from the bottom
      ellipsoid(static_cast<std::int16_t>(level + 1), 256 + 8 * std::sin(level), 440 - 62 * level, 9.5, 17, 11, 25,
                -10 + 6 * level);
    }
    for (int level = 0; level < 5; ++level) {  // discs 201 (L5/S1) ... 205 (L1/L2)
      ellipsoid(static_cast<std::int16_t>(201 + level), 256 + 8 * std::sin(level + 0.5), 409 - 62 * level, 9.5,
                18, 4.5, 24, -20 + 9 * level);
    }
    return result;
  }();
  return img;
}

void discs_table(benchmark::State& state) {
  const auto& img = spine();
  for (auto _ : state) {
    auto rows = discgeom::measure_discs(img, img.geometry);
    benchmark::DoNotOptimize(rows.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * img.voxels.size() * sizeof(std::int16_t)));
}

void collect_only(benchmark::State& state) {  // the one pass over the volume, for the bandwidth bound
  const auto& img = spine();
  for (auto _ : state) {
    auto sets = discgeom::collect_label_voxels(img, img.geometry);
    benchmark::DoNotOptimize(sets.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * img.voxels.size() * sizeof(std::int16_t)));
}

void write_phantom(const std::string& folder) {
  const auto& img = spine();
  std::ofstream(folder + "/spine_int16.raw", std::ios::binary)
      .write(reinterpret_cast<const char*>(img.voxels.data()),
             static_cast<std::streamsize>(img.voxels.size() * sizeof(std::int16_t)));
  const auto& g = img.geometry;
  std::ofstream meta(folder + "/spine.json");
  meta.precision(17);
  meta << "{\"shape\": [512, 512, 20], \"spacing\": [" << g.spacing[0] << ", " << g.spacing[1] << ", "
       << g.spacing[2] << "], \"origin\": [" << g.origin[0] << ", " << g.origin[1] << ", " << g.origin[2]
       << "], \"direction\": [";
  for (std::size_t r = 0; r < 3; ++r) {
    meta << (r ? ", " : "") << "[" << g.direction[r][0] << ", " << g.direction[r][1] << ", " << g.direction[r][2] << "]";
  }
  meta << "]}\n";
  std::ofstream table(folder + "/discgeom_table.csv");
  table.precision(17);
  table << "label,voxels,volume_mm3,height_mm,ap_width_mm,lateral_width_mm,sagittal_angle_deg,coronal_angle_deg,"
           "transverse_angle_deg,minrect_height_mm\n";
  for (const auto& d : discgeom::measure_discs(img, img.geometry)) {
    table << d.label << ',' << d.voxels << ',' << d.volume_mm3 << ',' << *d.height_mm << ',' << *d.ap_width_mm << ','
          << *d.lateral_width_mm << ',' << *d.sagittal_angle_deg << ',' << *d.coronal_angle_deg << ','
          << *d.transverse_angle_deg << ',' << *d.minrect_height_mm << '\n';
  }
}

}  // namespace

BENCHMARK(discs_table)->Unit(benchmark::kMillisecond);
BENCHMARK(collect_only)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--write-phantom") == 0) write_phantom(argv[i + 1]);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
