// SPDX-License-Identifier: MIT
// Surface-distance metrics (HD, HD95, ASSD, MASD, NSD at 1 mm) of a 5-disc pair of 512 x 512 x 64
// sagittal label maps (uint8, discs 201-205 as tilted ellipsoids about 40 mm AP x 9 mm high x
// 50 mm LR; axes posterior, inferior, left at 0.6 x 0.6 x 1.0 mm; the prediction is every disc
// moved by one voxel with its radii and tilt changed), with each distance engine; and the
// crossover of the two engines, per label, on shapes from a 2 mm blob to an all-foreground
// prediction, for the cost model of `distance_engine::automatic`. With --write-data DIR the pair
// and discgeom's scores are written for the numpy/scipy peer (peers/surface_distances.py); with
// --peak-memory MODE (load, kd_tree, distance_transform, automatic) the program builds the pair,
// evaluates it with that engine (load: not at all), prints its peak resident set and exits. Run
// everything with benchmarks/run_overlap.sh.
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "discgeom/image.hpp"
#include "discgeom/metrics/evaluate.hpp"
#include "discgeom/metrics/surface_distance.hpp"
#include "discgeom/metrics/surface_scores.hpp"

namespace {

constexpr std::size_t nx = 512, ny = 512, nz = 64;
constexpr double pi = 3.14159265358979323846;
using label_map = discgeom::image<std::uint8_t>;

struct label_pair_maps {
  label_map reference;
  label_map prediction;
};

// A tilted ellipsoid in mm about voxel centre (ci, cj, ck): semi-axes a (axis 0), b (axis 1),
// c (axis 2), turned by `tilt_deg` in the plane of axes 0 and 1; with `inner` > 0, only the
// shell between the ellipsoid scaled by `inner` and the ellipsoid.
struct ellipsoid {
  double ci, cj, ck;
  double a_mm, b_mm, c_mm;
  double tilt_deg = 0.0;
  double inner = 0.0;
};

void draw(label_map& img, std::uint8_t label, const ellipsoid& e) {
  const auto& s = img.geometry.spacing;
  const double reach = std::max(e.a_mm, e.b_mm);
  const auto range = [](double centre, double radius_voxels, std::size_t n) {
    const double low = std::max(0.0, std::floor(centre - radius_voxels - 1.0));
    const double high =
        std::min(static_cast<double>(n) - 1.0, std::ceil(centre + radius_voxels + 1.0));
    return std::pair<std::size_t, std::size_t>(static_cast<std::size_t>(low),
                                               static_cast<std::size_t>(high));
  };
  const auto [i0, i1] = range(e.ci, reach / s[0], nx);
  const auto [j0, j1] = range(e.cj, reach / s[1], ny);
  const auto [k0, k1] = range(e.ck, e.c_mm / s[2], nz);
  const double t = e.tilt_deg * pi / 180.0;
  for (std::size_t k = k0; k <= k1; ++k) {
    for (std::size_t j = j0; j <= j1; ++j) {
      for (std::size_t i = i0; i <= i1; ++i) {
        const double x = (static_cast<double>(i) - e.ci) * s[0];
        const double y = (static_cast<double>(j) - e.cj) * s[1];
        const double z = (static_cast<double>(k) - e.ck) * s[2];
        const double u = x * std::cos(t) + y * std::sin(t);
        const double v = -x * std::sin(t) + y * std::cos(t);
        const double r =
            (u / e.a_mm) * (u / e.a_mm) + (v / e.b_mm) * (v / e.b_mm) + (z / e.c_mm) * (z / e.c_mm);
        if (r <= 1.0 && r > e.inner * e.inner) {
          img.voxels(i, j, k) = label;
        }
      }
    }
  }
}

void draw_box(label_map& img, std::uint8_t label, std::array<std::size_t, 3> begin,
              std::array<std::size_t, 3> end) {
  for (std::size_t k = begin[2]; k < end[2]; ++k) {
    for (std::size_t j = begin[1]; j < end[1]; ++j) {
      for (std::size_t i = begin[0]; i < end[0]; ++i) {
        img.voxels(i, j, k) = label;
      }
    }
  }
}

// ----------------------------------------------------------------------------------------------
// The 5-disc pair.

const discgeom::image_geometry& disc_geometry() {
  static const discgeom::image_geometry g{.spacing = {0.6, 0.6, 1.0},
                                          .origin = {-150.0, -40.0, 120.0},
                                          .direction = discgeom::direction_from_orientation("PIL")};
  return g;
}

// Disc `level` (0: L5/S1, label 201, lowest; SI index grows downwards), as segmented or as
// predicted: moved one voxel posteriorly (and every other one a voxel down), 4 % longer, 8 %
// thinner, 3 % narrower, 2 degrees more tilted.
ellipsoid disc(int level, bool predicted) {
  ellipsoid e{256.0 + 6.0 * std::sin(level),
              376.0 - 60.0 * level,
              31.5,
              20.0,
              4.0 + 0.25 * (4 - level),
              25.0,
              -20.0 + 9.0 * level};
  if (predicted) {
    e.ci += 1.0;
    e.cj += level % 2;
    e.a_mm *= 1.04;
    e.b_mm *= 0.92;
    e.c_mm *= 0.97;
    e.tilt_deg += 2.0;
  }
  return e;
}

const label_pair_maps& disc_pair() {
  static const auto pair = [] {
    label_pair_maps result{label_map::filled({nx, ny, nz}, disc_geometry(), 0),
                           label_map::filled({nx, ny, nz}, disc_geometry(), 0)};
    for (int level = 0; level < 5; ++level) {
      draw(result.reference, static_cast<std::uint8_t>(201 + level), disc(level, false));
      draw(result.prediction, static_cast<std::uint8_t>(201 + level), disc(level, true));
    }
    return result;
  }();
  return pair;
}

constexpr discgeom::distance_engine engines[] = {discgeom::distance_engine::kd_tree,
                                                 discgeom::distance_engine::distance_transform,
                                                 discgeom::distance_engine::automatic};

std::vector<discgeom::surface_scores> disc_scores(discgeom::distance_engine engine) {
  const auto& [reference, prediction] = disc_pair();
  std::vector<discgeom::surface_scores> scores;
  for (const auto& d : discgeom::directed_surface_distances(reference, prediction, disc_geometry(),
                                                            {.engine = engine})) {
    scores.push_back(discgeom::score_surface(d));
  }
  return scores;
}

// HD, HD95, ASSD, MASD, NSD (1 mm) of the five discs with one engine.
void surface_metrics(benchmark::State& state) {
  const auto engine = engines[state.range(0)];
  std::size_t points = 0;
  for (auto _ : state) {
    const auto scores = disc_scores(engine);
    benchmark::DoNotOptimize(scores.data());
    points = 0;
    for (const auto& s : scores) {
      points += s.reference_points + s.prediction_points;
    }
  }
  state.SetLabel(std::string(discgeom::to_string(engine)));
  state.counters["surface_points"] = static_cast<double>(points);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * points));
}

// Every overlap and surface score of the five discs, as `evaluate_segmentation` gives them.
void evaluate_all(benchmark::State& state) {
  const auto& [reference, prediction] = disc_pair();
  for (auto _ : state) {
    auto result = discgeom::evaluate_segmentation(reference, prediction, disc_geometry());
    benchmark::DoNotOptimize(result.data());
  }
}

// The one pass per map that finds every label's bounding box (shared by all engines).
void bounding_boxes(benchmark::State& state) {
  const auto& [reference, prediction] = disc_pair();
  for (auto _ : state) {
    auto r = discgeom::detail::label_boxes("bench", "reference", reference.view());
    auto p = discgeom::detail::label_boxes("bench", "prediction", prediction.view());
    benchmark::DoNotOptimize(r.size() + p.size());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * 2 * nx * ny * nz));
}

// ----------------------------------------------------------------------------------------------
// The engine crossover: one label per case, on grids of 0.6 x 0.6 x 1.0 mm.

// Compact blobs (balls) from 2 to 28 mm radius, hollow balls 1.5 mm thick, one disc, one
// vertebral body, a one-voxel plate, boxes, a blob with a far false positive, and a blob against
// an all-foreground prediction (whose surface is the image border). The prediction is the
// reference moved one voxel along axis 0 unless said otherwise. Last, each disc of the 5-disc
// pair (labels 201-205 of the pair itself).
constexpr const char* case_names[] = {
    "blob_r2mm",     "blob_r4mm",      "blob_r8mm",     "blob_r12mm",    "blob_r16mm",
    "blob_r20mm",    "blob_r24mm",     "blob_r28mm",    "shell_r16mm",   "shell_r28mm",
    "disc",          "vertebral_body", "plate",         "box_small",     "box_large",
    "far_speck",     "all_foreground", "pair_disc_201", "pair_disc_202", "pair_disc_203",
    "pair_disc_204", "pair_disc_205"};
constexpr int case_count = static_cast<int>(std::size(case_names));

label_pair_maps make_case(int index) {
  const discgeom::image_geometry g{.spacing = {0.6, 0.6, 1.0}};
  label_pair_maps m{label_map::filled({nx, ny, nz}, g, 0), label_map::filled({nx, ny, nz}, g, 0)};
  const auto both = [&](ellipsoid e) {
    draw(m.reference, 1, e);
    e.ci += 1.0;
    draw(m.prediction, 1, e);
  };
  const auto boxes = [&](std::array<std::size_t, 3> begin, std::array<std::size_t, 3> end) {
    draw_box(m.reference, 1, begin, end);
    draw_box(m.prediction, 1, {begin[0] + 1, begin[1], begin[2]}, {end[0] + 1, end[1], end[2]});
  };
  const std::string name = case_names[index];
  double radius = 0.0;
  if (std::sscanf(name.c_str(), "blob_r%lfmm", &radius) == 1) {
    both({256.0, 256.0, 31.5, radius, radius, radius});
  } else if (std::sscanf(name.c_str(), "shell_r%lfmm", &radius) == 1) {
    both({256.0, 256.0, 31.5, radius, radius, radius, 0.0, (radius - 1.5) / radius});
  } else if (name == "disc") {  // 40 x 9 x 50 mm, tilted 10 degrees
    both({256.0, 256.0, 31.5, 20.0, 4.5, 25.0, 10.0});
  } else if (name == "vertebral_body") {  // 34 x 22 x 50 mm, tilted 10 degrees
    both({256.0, 256.0, 31.5, 17.0, 11.0, 25.0, 10.0});
  } else if (name == "plate") {  // one voxel thick, 120 x 50 mm; the prediction one voxel lower
    draw_box(m.reference, 1, {156, 256, 7}, {356, 257, 57});
    draw_box(m.prediction, 1, {156, 257, 7}, {356, 258, 57});
  } else if (name == "box_small") {  // 30 x 30 x 20 mm
    boxes({231, 231, 22}, {281, 281, 42});
  } else if (name == "box_large") {  // 90 x 90 x 40 mm
    boxes({181, 181, 12}, {331, 331, 52});
  } else if (name == "far_speck") {  // an 8 mm blob, and one false voxel at the far corner
    both({60.0, 60.0, 16.0, 8.0, 8.0, 8.0});
    m.prediction.voxels(500, 500, 60) = 1;
  } else {  // all_foreground: a 16 mm blob against label 1 everywhere
    draw(m.reference, 1, {256.0, 256.0, 31.5, 16.0, 16.0, 16.0});
    m.prediction.voxels.fill(1);
  }
  return m;
}

constexpr int first_pair_disc = 17;
static_assert(std::string_view(case_names[first_pair_disc]) == "pair_disc_201");

discgeom::label_value case_label(int index) {
  return index < first_pair_disc
             ? 1
             : static_cast<discgeom::label_value>(201 + index - first_pair_disc);
}

const label_pair_maps& case_maps(int index) {
  if (index >= first_pair_disc) {
    return disc_pair();
  }
  static std::unique_ptr<label_pair_maps> cache[case_count];
  if (!cache[index]) {
    cache[index] = std::make_unique<label_pair_maps>(make_case(index));
  }
  return *cache[index];
}

// The surfaces of a case, extracted once: what both engines start from.
struct prepared_surfaces {
  discgeom::detail::surface_cells reference;
  discgeom::detail::surface_cells prediction;
};

const prepared_surfaces& case_surfaces(int index) {
  static std::unique_ptr<prepared_surfaces> cache[case_count];
  if (!cache[index]) {
    const auto& [reference, prediction] = case_maps(index);
    const auto label = case_label(index);
    const auto r = discgeom::detail::label_boxes("bench", "reference", reference.view()).at(label);
    const auto p =
        discgeom::detail::label_boxes("bench", "prediction", prediction.view()).at(label);
    auto prepared = std::make_unique<prepared_surfaces>();
    const auto box = r.united(p);
    const auto kind = discgeom::surface_kind::face_connected;
    const auto& spacing = reference.geometry.spacing;
    prepared->reference = discgeom::detail::find_surface_cells(
        discgeom::detail::make_padded_mask(reference.view(), label, box), kind, spacing);
    prepared->prediction = discgeom::detail::find_surface_cells(
        discgeom::detail::make_padded_mask(prediction.view(), label, box), kind, spacing);
    cache[index] = std::move(prepared);
  }
  return *cache[index];
}

void set_case_counters(benchmark::State& state, int index) {
  const auto& s = case_surfaces(index);
  const auto& shape = s.reference.grid_shape;
  state.SetLabel(case_names[index]);
  state.counters["cells"] = static_cast<double>(shape[0] * shape[1] * shape[2]);
  state.counters["points"] =
      static_cast<double>(s.reference.cells.size() + s.prediction.cells.size());
}

// The engine's own work, both directions, from the extracted surfaces (what the cost model
// weighs), as `directed_surface_distances` does it: the k-d tree builds two trees over the
// points (grid positions scaled to mm) and queries each with the other surface; the transform
// runs twice over the padded box.
void engine_only(benchmark::State& state) {
  const int index = static_cast<int>(state.range(0));
  const auto engine = engines[state.range(1)];
  const auto& s = case_surfaces(index);
  const auto& g = case_maps(index).reference.geometry;
  for (auto _ : state) {
    if (engine == discgeom::distance_engine::distance_transform) {
      auto rp = discgeom::detail::distances_by_transform(s.reference, s.prediction, g.spacing);
      auto pr = discgeom::detail::distances_by_transform(s.prediction, s.reference, g.spacing);
      benchmark::DoNotOptimize(rp.data());
      benchmark::DoNotOptimize(pr.data());
    } else {
      const auto r_points = discgeom::detail::surface_points_scaled(s.reference, g.spacing);
      const auto p_points = discgeom::detail::surface_points_scaled(s.prediction, g.spacing);
      auto rp =
          discgeom::detail::distances_by_tree(r_points, discgeom::point_cloud_index(p_points));
      auto pr =
          discgeom::detail::distances_by_tree(p_points, discgeom::point_cloud_index(r_points));
      benchmark::DoNotOptimize(rp.data());
      benchmark::DoNotOptimize(pr.data());
    }
  }
  set_case_counters(state, index);
}

// The whole per-label call, as a user makes it (bounding boxes, masks, surfaces, distances).
void per_label(benchmark::State& state) {
  const int index = static_cast<int>(state.range(0));
  const auto engine = engines[state.range(1)];
  const auto& [reference, prediction] = case_maps(index);
  for (auto _ : state) {
    auto d =
        discgeom::directed_surface_distances(reference, prediction, reference.geometry,
                                             {.labels = {case_label(index)}, .engine = engine});
    benchmark::DoNotOptimize(d.data());
  }
  set_case_counters(state, index);
}

void crossover_arguments(benchmark::internal::Benchmark* b) {
  for (int index = 0; index < case_count; ++index) {
    b->Args({index, 0});
    b->Args({index, 1});
  }
}

// ----------------------------------------------------------------------------------------------
// Data for the peer, and the peak-memory probe.

void write_data(const std::string& folder) {
  const auto& [reference, prediction] = disc_pair();
  const auto write = [&](const label_map& img, const char* file) {
    std::ofstream(folder + "/" + file, std::ios::binary)
        .write(reinterpret_cast<const char*>(img.voxels.data()),
               static_cast<std::streamsize>(img.voxels.size()));
  };
  write(reference, "discs_reference_uint8.raw");
  write(prediction, "discs_prediction_uint8.raw");
  const auto& g = disc_geometry();
  std::ofstream meta(folder + "/discs_pair.json");
  meta.precision(17);
  meta << "{\"shape\": [" << nx << ", " << ny << ", " << nz << "], \"spacing\": [" << g.spacing[0]
       << ", " << g.spacing[1] << ", " << g.spacing[2] << "]}\n";
  std::ofstream table(folder + "/discs_surface_discgeom.csv");
  table.precision(17);
  table << "engine,label,reference_points,prediction_points,hd_mm,hd95_mm,assd_mm,masd_mm,nsd\n";
  for (const auto engine : engines) {
    for (const auto& s : disc_scores(engine)) {
      table << discgeom::to_string(engine) << ',' << s.label << ',' << s.reference_points << ','
            << s.prediction_points << ',' << s.hausdorff_mm << ',' << s.hausdorff_percentile_mm
            << ',' << s.assd_mm << ',' << s.masd_mm << ',' << s.nsd << '\n';
    }
  }
}

int peak_memory(const std::string& mode) {
  const auto& [reference, prediction] = disc_pair();
  std::size_t labels = 0;
  for (const auto engine : engines) {
    if (mode == discgeom::to_string(engine)) {
      labels = discgeom::evaluate_segmentation(reference, prediction, disc_geometry(),
                                               {.engine = engine})
                   .size();
    }
  }
  if (mode != "load" && labels == 0) {
    std::fprintf(stderr, "--peak-memory: unknown mode '%s'\n", mode.c_str());
    return 1;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak resident set, %s (%zu labels evaluated): %.1f MiB\n", mode.c_str(), labels,
              static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}

// The fastest repetition, beside Google Benchmark's median: this machine is shared, and
// compute-bound kernels lose more to a busy neighbour than memory-bound ones.
double fastest(const std::vector<double>& values) {
  return *std::min_element(values.begin(), values.end());
}

}  // namespace

BENCHMARK(surface_metrics)
    ->DenseRange(0, 2)
    ->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", fastest);
BENCHMARK(evaluate_all)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", fastest);
BENCHMARK(bounding_boxes)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", fastest);
BENCHMARK(engine_only)
    ->Apply(crossover_arguments)
    ->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", fastest);
BENCHMARK(per_label)
    ->Apply(crossover_arguments)
    ->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", fastest);

int main(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--peak-memory") == 0) {
      return peak_memory(argv[i + 1]);
    }
    if (std::strcmp(argv[i], "--write-data") == 0) {
      write_data(argv[i + 1]);
    }
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
