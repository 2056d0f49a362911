// SPDX-License-Identifier: MIT
// A 64 x 64 feature correlation matrix over 100 000 rows: every cell's coefficient, two-sided
// p-value and 95% Fisher-z interval (`correlation_matrix`), Pearson and Spearman, on one core.
// The x features are 64 latent-like normals; each y feature mixes one x feature with noise and
// is rounded to 0.25 (a measurement grid: many ties for Spearman). A second data set marks 1 %
// of every column missing (pairwise deletion). With --write-data DIR the tables and discgeom's
// r and p are written for the scipy/pandas peer (peers/correlation_matrix.py). Run both with
// benchmarks/run_correlation.sh.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "discgeom/stats/correlation_matrix.hpp"

namespace {

constexpr std::size_t rows = 100000, features = 64;

struct feature_tables {
  std::vector<std::vector<double>> x, y;
};

feature_tables make_tables(bool with_missing) {
  std::mt19937_64 generator(20261122);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  feature_tables t{std::vector<std::vector<double>>(features, std::vector<double>(rows)),
                   std::vector<std::vector<double>>(features, std::vector<double>(rows))};
  for (std::size_t f = 0; f < features; ++f) {
    const double weight = 0.05 * static_cast<double>(f % 16);
    for (std::size_t k = 0; k < rows; ++k) {
      t.x[f][k] = normal(generator);
      t.y[f][k] = std::round(4.0 * (weight * t.x[f][k] + normal(generator))) / 4.0;
    }
  }
  if (with_missing) {
    for (auto* set : {&t.x, &t.y}) {
      for (auto& column : *set) {
        for (double& value : column) {
          if (uniform(generator) < 0.01) {
            value = std::nan("");
          }
        }
      }
    }
  }
  return t;
}

const feature_tables& tables(bool with_missing) {
  static const feature_tables complete = make_tables(false);
  static const feature_tables missing = make_tables(true);
  return with_missing ? missing : complete;
}

template <discgeom::correlation_method Method, bool WithMissing>
void correlation_matrix_64x64(benchmark::State& state) {
  const feature_tables& t = tables(WithMissing);
  for (auto _ : state) {
    auto result = discgeom::correlation_matrix(t.x, t.y, {.correlation = {.method = Method}});
    benchmark::DoNotOptimize(result.cells.data());
  }
  state.counters["cells"] = static_cast<double>(features * features);
}

void write_table(const std::vector<std::vector<double>>& columns, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  for (const auto& column : columns) {  // column-major float64
    out.write(reinterpret_cast<const char*>(column.data()),
              static_cast<std::streamsize>(column.size() * sizeof(double)));
  }
}

void write_data(const std::string& folder) {
  for (bool with_missing : {false, true}) {
    const std::string name = with_missing ? "missing" : "complete";
    const feature_tables& t = tables(with_missing);
    write_table(t.x, folder + "/correlation_" + name + "_x.raw");
    write_table(t.y, folder + "/correlation_" + name + "_y.raw");
    std::ofstream out(folder + "/correlation_" + name + "_discgeom.csv");
    out << "method,i,j,n,r,p\n";
    out.precision(17);
    for (auto method :
         {discgeom::correlation_method::pearson, discgeom::correlation_method::spearman}) {
      const auto m = discgeom::correlation_matrix(t.x, t.y, {.correlation = {.method = method}});
      for (std::size_t i = 0; i < features; ++i) {
        for (std::size_t j = 0; j < features; ++j) {
          out << to_string(method) << ',' << i << ',' << j << ',' << m(i, j).n << ',' << m(i, j).r
              << ',' << m(i, j).p << '\n';
        }
      }
    }
  }
}

}  // namespace

BENCHMARK(correlation_matrix_64x64<discgeom::correlation_method::pearson, false>)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(correlation_matrix_64x64<discgeom::correlation_method::spearman, false>)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(correlation_matrix_64x64<discgeom::correlation_method::pearson, true>)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(correlation_matrix_64x64<discgeom::correlation_method::spearman, true>)
    ->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--write-data") == 0) {
      write_data(argv[i + 1]);
      return 0;
    }
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
