// SPDX-License-Identifier: MIT
// BianqueNet's baselines: the generated data equal the extract of its code and tables
// (tests/data/bianquenet_baselines_extract.txt), and the lookups by hand.
#include "discgeom/geometry/bianquenet_baselines.hpp"

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace bq = discgeom::bianquenet_data;

TEST_CASE("BianqueNet baselines: the data header holds every number of the extract") {
  std::ifstream file(DISCGEOM_TEST_DATA_DIR "/bianquenet_baselines_extract.txt");
  REQUIRE(file.good());
  const std::vector<std::string> levels{"L1/L2", "L2/L3", "L3/L4", "L4/L5", "L5/S1"};
  const std::vector<std::string> ages{"20-30", "30-40", "40-50", "50-60", "60-70", "70-90", "all"};
  std::size_t constants = 0, dists = 0, grades = 0;
  std::string line;
  while (std::getline(file, line)) {
    std::istringstream in(line);
    std::string key;
    in >> key;
    if (key == "const") {
      std::string name, source;
      in >> name >> source;
      const auto& c = bq::constants.at(constants++);
      CHECK(c.name == name);
      CHECK(c.source == source);
      for (const double v : c.values) {
        double expected = 0;
        in >> expected;
        CHECK(v == expected);
      }
    } else if (key == "dist") {
      std::string metric, level, sex, age;
      double n = 0, mean = 0, sd = 0;
      in >> metric >> level >> sex >> age >> n >> mean >> sd;
      const auto& d = bq::population.at(dists++);
      INFO(line);
      CHECK(d.metric == metric);
      CHECK(levels.at(d.level) == level);
      CHECK(d.sex == (sex == "female(0)" ? 'F' : sex == "male(1)" ? 'M' : 'A'));
      CHECK(ages.at(d.age_group) == age);
      CHECK(d.n == n);
      CHECK(d.mean == mean);
      CHECK(d.sd == sd);
      for (const double v : d.percentiles) {
        double expected = 0;
        in >> expected;
        CHECK(v == expected);
      }
    } else if (key == "grade") {
      double grade = 0, n = 0, mean = 0, sd = 0;
      in >> grade >> n >> mean >> sd;
      const auto& g = bq::grades.at(grades++);
      CHECK(g.grade == grade);
      CHECK(g.n == n);
      CHECK(g.mean == mean);
    }
  }
  CHECK(constants == bq::constants.size());
  CHECK(dists == bq::population.size());
  CHECK(dists == 3 * 5 * 2 * 7 + 5 * 7);
  CHECK(grades == 5);
}

TEST_CASE("BianqueNet baselines: percentiles and z-scores by hand") {
  using discgeom::bianquenet_metric;
  using discgeom::patient_sex;
  // DHI L4/L5 female(0) 40-50: n 68, mean 0.366595, sd 0.0422322, median 0.36804, p25 0.335945.
  auto c = discgeom::compare_with_bianquenet(bianquenet_metric::dhi, "L4/L5", patient_sex::female,
                                             45, 0.36804);
  CHECK(c.status == "ok");
  CHECK(c.group == "DHI L4/L5 F 40-50 (n 68)");
  CHECK(*c.percentile == Approx(50.0));
  CHECK(*c.z == Approx((0.36804 - 0.366595) / 0.0422322));
  // Halfway between the 25th and 50th percentiles.
  c = discgeom::compare_with_bianquenet(bianquenet_metric::dhi, "L4/L5", patient_sex::female, 45,
                                        (0.335945 + 0.36804) / 2);
  CHECK(*c.percentile == Approx(37.5));
  // Beyond the table: the normal tail, never above 2.5.
  c = discgeom::compare_with_bianquenet(bianquenet_metric::dhi, "L4/L5", patient_sex::female, 45,
                                        0.2);
  CHECK(*c.percentile <= 2.5);
  CHECK(*c.percentile ==
        Approx(100.0 * 0.5 * std::erfc((0.366595 - 0.2) / 0.0422322 / std::sqrt(2.0))));
  // Males use folder 1; HDR is DWR; ages 70 and 90 fall in 70-90.
  c = discgeom::compare_with_bianquenet(bianquenet_metric::hdr, "L1/L2", patient_sex::male, 70,
                                        0.2);
  CHECK(c.group == "DWR L1/L2 M 70-90 (n 58)");
  c = discgeom::compare_with_bianquenet(bianquenet_metric::hdr, "L1/L2", patient_sex::male, 90,
                                        0.2);
  CHECK(c.status == "ok");
  // Delta SI: no sex in the tables.
  c = discgeom::compare_with_bianquenet(bianquenet_metric::delta_si, "L5/S1", patient_sex::male, 25,
                                        97.0197);
  CHECK(c.group == "SI L5/S1 A 20-30 (n 72)");
  CHECK(*c.percentile == Approx(50.0));
  // What cannot be compared.
  c = discgeom::compare_with_bianquenet(bianquenet_metric::dh, "L4/L5", patient_sex::male, 45, 8.0);
  CHECK(c.status == "DH baselines are in pixels of unknown size");
  CHECK_FALSE(c.percentile);
  c = discgeom::compare_with_bianquenet(bianquenet_metric::dhi, "T12/L1", patient_sex::male, 45,
                                        0.3);
  CHECK(c.status == "no baseline for level T12/L1");
  c = discgeom::compare_with_bianquenet(bianquenet_metric::dhi, "L4/L5", patient_sex::male, 19.5,
                                        0.3);
  CHECK(c.status == "age outside 20-90");
  c = discgeom::compare_with_bianquenet(bianquenet_metric::dhi, "L4/L5", patient_sex::male, 45, {});
  CHECK(c.status == "not measured");
  CHECK_FALSE(c.z);
}

TEST_CASE("BianqueNet signal grade as signal_fenji decides it") {
  // Means 121.97, 95.34, 72.34, 44.63, 20.60; sds 9.96, 7.20, 7.81, 8.49, 9.28.
  CHECK(discgeom::bianquenet_si_grade(130.0) == 1);
  CHECK(discgeom::bianquenet_si_grade(10.0) == 5);
  CHECK(discgeom::bianquenet_si_grade(95.34) == 2);
  // 108: nearest means 121.97 (1.403 sd) and 95.34 (1.758 sd): grade 1.
  CHECK(discgeom::bianquenet_si_grade(108.0) == 1);
  // 84: nearest 95.34 (1.575 sd) and 72.34 (1.493 sd): grade 3.
  CHECK(discgeom::bianquenet_si_grade(84.0) == 3);
}
