// SPDX-License-Identifier: MIT
// `discgeom classify` run as a user runs it: the two tables, a planted signal found, the same
// bytes for the same seed, stderr lines for left-out rows, and exit status 1 (bad data) or 2
// (bad usage) with one clear line.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/cli_helpers.hpp"

namespace fs = std::filesystem;
using namespace cli_test;
using Catch::Matchers::Contains;

namespace {

// 150 discs, about 20% narrowed: height_mm carries the label, z0..z2 are noise, one height
// missing, two rows without a label.
[[maybe_unused]] fs::path write_discs_table(const std::string& name) {
  std::mt19937_64 generator(17);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::ostringstream text;
  text.precision(10);
  text << "case,level,height_mm,ap_width_mm,z0,z1,z2,narrowed\n";
  for (int i = 0; i < 150; ++i) {
    const int narrowed = uniform(generator) < 0.2 ? 1 : 0;
    const double height = 9.0 - 3.0 * narrowed + normal(generator);
    const double width = 38.0 + 2.0 * normal(generator);
    text << "case" << i / 5 << ",L" << i % 5 + 1 << ',';
    if (i != 10) {
      text << height;
    }
    text << ',' << width;
    for (int z = 0; z < 3; ++z) {
      text << ',' << normal(generator);
    }
    text << ',';
    if (i != 3 && i != 77) {
      text << narrowed;
    }
    text << '\n';
  }
  const fs::path path = scratch() / name;
  std::ofstream(path) << text.str();
  return path;
}

[[maybe_unused]] fs::path write_text(const std::string& name, const std::string& text) {
  const fs::path path = scratch() / name;
  std::ofstream(path) << text;
  return path;
}

const std::string feature_sets =
    " --label narrowed --features geometric=height_mm,ap_width_mm --features 'latent=z*'"
    " --features 'combined=height_mm,ap_width_mm,z*'";

}  // namespace

#ifdef DISCGEOM_CLI_WITH_XGBOOST

TEST_CASE("cli classify: per-fold and summary tables of three feature sets", "[cli]") {
  const fs::path table = write_discs_table("classify_discs.csv");
  const fs::path out = scratch() / "classify_folds.csv";
  const auto r =
      run("classify " + table.string() + feature_sets + " --seed 3 --out " + out.string());
  CAPTURE(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Contains("2 of 150 rows have no value in 'narrowed' and are left out"));
  const std::string folds_text = slurp(out);
  CHECK(folds_text.rfind("feature_set,fold,n_train,n_test,n_positive_test,f1,f1_macro,auc,status\n",
                         0) == 0);
  const auto folds = parse_csv(folds_text);
  REQUIRE(folds.size() == 15);
  std::set<std::string> sets;
  for (const auto& row : folds) {
    sets.insert(row.at("feature_set"));
    CHECK(number(row, "n_train") + number(row, "n_test") == 148);
    CHECK(number(row, "n_positive_test") >= 1);
    CHECK(number(row, "auc") >= 0.0);
    CHECK(number(row, "auc") <= 1.0);
  }
  CHECK(sets == std::set<std::string>{"geometric", "latent", "combined"});
  CHECK(folds[0].at("fold") == "0");
  CHECK(folds[4].at("fold") == "4");

  const fs::path summary_file = scratch() / "classify_folds.summary.csv";
  const std::string summary_text = slurp(summary_file);
  CHECK(summary_text.rfind("feature_set,metric,mean,ci_low,ci_high,n_folds\n", 0) == 0);
  const auto summary = parse_csv(summary_text);
  REQUIRE(summary.size() == 9);
  for (const auto& row : summary) {
    CAPTURE(row.at("feature_set"), row.at("metric"));
    CHECK(row.at("n_folds") == "5");
    CHECK(number(row, "ci_low") <= number(row, "mean"));
    CHECK(number(row, "ci_high") >= number(row, "mean"));
    if (row.at("metric") == "auc" && row.at("feature_set") != "latent") {
      CHECK(number(row, "mean") > 0.9);  // the planted signal
    }
    if (row.at("metric") == "auc" && row.at("feature_set") == "latent") {
      CHECK(std::abs(number(row, "mean") - 0.5) < 0.2);  // noise
    }
  }
  // The mean of the per-fold AUCs of one set is the summary's mean.
  double sum = 0.0;
  for (const auto& row : folds) {
    if (row.at("feature_set") == "geometric") {
      sum += number(row, "auc");
    }
  }
  for (const auto& row : summary) {
    if (row.at("feature_set") == "geometric" && row.at("metric") == "auc") {
      CHECK(number(row, "mean") == Approx(sum / 5.0).epsilon(1e-12));
    }
  }
}

TEST_CASE("cli classify: without --out the summary goes to stdout, same seed, same bytes",
          "[cli]") {
  const fs::path table = write_discs_table("classify_stdout.csv");
  const std::string command = "classify " + table.string() + feature_sets +
                              " --seed 5 --trees 50 --depth 2 --learning-rate 0.3 --threads 2"
                              " --quiet";
  const auto a = run(command);
  const auto b = run(command);
  REQUIRE(a.status == 0);
  CHECK(a.err.empty());  // --quiet
  CHECK(a.out.rfind("feature_set,metric,mean,ci_low,ci_high,n_folds\n", 0) == 0);
  CHECK(parse_csv(a.out).size() == 9);
  CHECK(a.out == b.out);
  const auto other = run("classify " + table.string() + feature_sets +
                         " --seed 6 --trees 50 --depth 2 --learning-rate 0.3 --quiet");
  REQUIRE(other.status == 0);
  CHECK(other.out != a.out);
  const auto none = run("classify " + table.string() + feature_sets +
                        " --imbalance none --scaling standardise --tree-method hist --folds 4"
                        " --positive 1 --threshold 0.4 --quiet");
  REQUIRE(none.status == 0);
  CHECK(parse_csv(none.out).at(0).at("n_folds") == "4");
}

TEST_CASE("cli classify: bad data exits 1 with one line", "[cli]") {
  const fs::path table = write_discs_table("classify_bad.csv");
  const auto unknown = run("classify " + table.string() +
                           " --label narrowed --features geometric=height_mm,depth_mm");
  CHECK(unknown.status == 1);
  CHECK_THAT(unknown.err, Contains("no column 'depth_mm'") &&
                              Contains("case,level,height_mm,ap_width_mm,z0,z1,z2,narrowed"));
  const auto label = run("classify " + table.string() + " --label narrow --features g=height_mm");
  CHECK(label.status == 1);
  CHECK_THAT(label.err, Contains("no column 'narrow' (the label)"));
  const auto text = run("classify " + table.string() + " --label narrowed --features ids=case");
  CHECK(text.status == 1);
  CHECK_THAT(text.err, Contains("column 'case': 'case0' is not a number"));

  const fs::path single =
      write_text("classify_single.csv", "h,narrowed\n1,0\n2,0\n3,0\n4,0\n5,0\n6,0\n");
  const auto one = run("classify " + single.string() + " --label narrowed --features g=h");
  CHECK(one.status == 1);
  CHECK(one.err == "discgeom classify: " + single.string() +
                       ": cross_validate(): label column 'narrowed' has a single class (0) in "
                       "6 rows\n");
  // A message from the classifier names the table it is about.
  const fs::path empty = write_text("classify_empty.csv", "h,narrowed\n");
  const auto none = run("classify " + empty.string() + " --label narrowed --features g=h");
  CHECK(none.status == 1);
  CHECK(none.err == "discgeom classify: " + empty.string() +
                        ": cross_validate(): label column 'narrowed' has no row\n");
  const fs::path few =
      write_text("classify_few.csv", "h,narrowed\n1,0\n2,0\n3,0\n4,0\n5,0\n6,1\n7,1\n8,0\n9,0\n");
  const auto small = run("classify " + few.string() + " --label narrowed --features g=h");
  CHECK(small.status == 1);
  CHECK_THAT(small.err, Contains("class 1 of label column 'narrowed' has 2 rows, fewer than the 5 "
                                 "folds"));
  const fs::path three =
      write_text("classify_three.csv", "h,grade\n1,0\n2,1\n3,2\n4,0\n5,1\n6,2\n");
  const auto many = run("classify " + three.string() + " --label grade --features g=h --folds 2");
  CHECK(many.status == 1);
  CHECK_THAT(many.err, Contains("has 3 classes [0,1,2], a binary classifier needs two"));
  const auto positive =
      run("classify " + table.string() + " --label narrowed --features g=height_mm --positive 2");
  CHECK(positive.status == 1);
  CHECK_THAT(positive.err, Contains("options.positive (2) is not one of the classes [0,1]"));
  const auto missing =
      run("classify " + (scratch() / "no_such.csv").string() + " --label narrowed --features g=h");
  CHECK(missing.status == 1);
  CHECK_THAT(missing.err, Contains("no_such.csv"));
}

TEST_CASE("cli classify: bad usage exits 2", "[cli]") {
  const fs::path table = write_discs_table("classify_usage.csv");
  const std::string t = "classify " + table.string();
  const struct {
    std::string arguments, message;
  } cases[] = {
      {" --features g=height_mm", "classify needs --label COLUMN"},
      {" --label narrowed", "classify needs at least one --features SET=COLS"},
      {" --label narrowed --features height_mm", "must be SET=COLS"},
      {" --label narrowed --features g=", "must be SET=COLS"},
      {" --label narrowed --features g=a --features g=b", "feature set 'g' is given twice"},
      {" --label narrowed --features g=height_mm --folds 1",
       "--folds '1' must be a whole number >= 2"},
      {" --label narrowed --features g=height_mm --imbalance smote", "must be none or weight"},
      {" --label narrowed --features g=height_mm --scaling minmax", "must be none or standardise"},
      {" --label narrowed --features g=height_mm --tree-method approx", "must be exact or hist"},
      {" --label narrowed --features g=height_mm --trees 0", "--trees '0' must be a whole number"},
      {" --label narrowed --features g=height_mm --learning-rate 2", "--learning-rate '2'"},
      {" --label narrowed --features g=height_mm --positive yes", "--positive 'yes' must be a"},
      {" --label narrowed --features g=height_mm --bogus 1", "unknown option --bogus"},
      {" --label narrowed --features", "--features needs a value"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.arguments);
    const auto r = run(t + c.arguments);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains(c.message));
  }
  const auto leak = run(t + " --label narrowed --features 'all=*_mm,narrowed'");
  CHECK(leak.status == 2);
  CHECK_THAT(leak.err, Contains("--features all includes the label column 'narrowed'"));
}

#else

TEST_CASE("cli classify: built without XGBoost it says so", "[cli]") {
  const auto r = run("classify table.csv --label y --features g=a");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("built without XGBoost"));
}

#endif
