// SPDX-License-Identifier: MIT
// The narrowing experiment's cross-validation: 5-fold stratified CV of gradient-boosted trees
// (200 trees, depth 3, learning rate 0.1, exact splits, one thread) on three feature sets of a
// 1000-disc table (geometric: 8 columns, latent: 4, combined: 12; 20% positive; 2% of the
// geometric cells missing). With --write-data DIR the table and discgeom's fold assignment and
// out-of-fold probabilities are written for the python-xgboost peer (peers/classify.py), which
// trains on the same folds, checks the probabilities and times the same work. Run both with
// benchmarks/run_classify.sh.
#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "discgeom/xgboost/cross_validate.hpp"

namespace {

namespace xgb = discgeom::xgboost;

constexpr std::size_t rows = 1000, geometric = 8, latent = 4;

struct narrowing_table {
  std::vector<double> label;
  std::vector<xgb::feature_set> sets;
};

narrowing_table make_table() {
  std::mt19937_64 generator(20261122);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  narrowing_table t;
  std::vector<std::vector<double>> g(geometric, std::vector<double>(rows));
  std::vector<std::vector<double>> z(latent, std::vector<double>(rows));
  for (std::size_t i = 0; i < rows; ++i) {
    t.label.push_back(uniform(generator) < 0.2 ? 1.0 : 0.0);
    for (std::size_t c = 0; c < geometric; ++c) {
      const double effect = c < 2 ? 1.0 : 0.1;
      g[c][i] = uniform(generator) < 0.02 ? std::nan("") : effect * t.label[i] + normal(generator);
    }
    for (std::size_t c = 0; c < latent; ++c) {
      z[c][i] = (c == 0 ? 0.8 * t.label[i] : 0.0) + normal(generator);
    }
  }
  std::vector<std::string> g_names, z_names;
  for (std::size_t c = 0; c < geometric; ++c) {
    g_names.push_back(std::string("g").append(std::to_string(c)));
  }
  for (std::size_t c = 0; c < latent; ++c) {
    z_names.push_back(std::string("z").append(std::to_string(c)));
  }
  xgb::feature_set combined{"combined", g_names, g};
  combined.columns.insert(combined.columns.end(), z_names.begin(), z_names.end());
  combined.values.insert(combined.values.end(), z.begin(), z.end());
  t.sets = {{"geometric", g_names, g}, {"latent", z_names, z}, combined};
  return t;
}

const narrowing_table& table() {
  static const narrowing_table t = make_table();
  return t;
}

void write_data(const std::string& folder) {
  const narrowing_table& t = table();
  const auto result = xgb::cross_validate(t.sets, t.label, {.seed = 1});
  std::ofstream out(folder + "/classify_table.csv");
  out.precision(17);
  out << "label,fold";
  for (const auto& name : t.sets[2].columns) {
    out << ',' << name;
  }
  for (const auto& set : result.sets) {
    out << ",p_" << set.name;
  }
  out << '\n';
  for (std::size_t i = 0; i < rows; ++i) {
    out << t.label[i] << ',' << result.fold_of[i];
    for (const auto& column : t.sets[2].values) {
      out << ',';
      if (!std::isnan(column[i])) {
        out << column[i];
      }
    }
    for (const auto& set : result.sets) {
      out << ',' << set.probabilities[i];
    }
    out << '\n';
  }
  for (const auto& set : result.sets) {
    std::printf("%s: AUC %.4f [%.4f, %.4f], F1 %.4f\n", set.name.c_str(), set.auc.mean,
                set.auc.t_low, set.auc.t_high, set.f1.mean);
  }
}

// The whole experiment: three feature sets x 5 folds x 200 trees.
void cross_validate_three_sets(benchmark::State& state) {
  const narrowing_table& t = table();
  for (auto _ : state) {
    auto result = xgb::cross_validate(t.sets, t.label, {.seed = 1});
    benchmark::DoNotOptimize(result.sets.data());
  }
}
BENCHMARK(cross_validate_three_sets)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--write-data") == 0) {
    write_data(argv[2]);
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
