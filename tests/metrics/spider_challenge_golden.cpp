// SPDX-License-Identifier: MIT
// The SPIDER challenge's scores against its own evaluation.py, run unchanged on six synthetic
// SPIDER-layout cases by tests/golden/make_spider_challenge_golden.py (tests/data/spider_challenge:
// MetaImage masks in the challenge's folder layout and golden.json; Python is not run here).
// Every key of every case, every per-label Dice and ASD with its matched label, and the
// aggregate over the cases, for the spacing as released and corrected, to 1e-9 relative.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "discgeom/io/image_io.hpp"
#include "discgeom/metrics/spider_challenge.hpp"

namespace {

const std::filesystem::path folder = DISCGEOM_TEST_DATA_DIR "/spider_challenge";

nlohmann::json read_golden() {
  std::ifstream file(folder / "golden.json");
  REQUIRE(file.good());
  return nlohmann::json::parse(file);
}

// null (the generator's NaN) as NaN.
double value_of(const nlohmann::json& value) {
  return value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>();
}

// Equal within 1e-9 relative, NaN only where the challenge gave NaN.
bool agrees(double ours, double expected) {
  if (std::isnan(expected))
    return std::isnan(ours);
  return ours == expected || std::abs(ours - expected) <= 1e-9 * std::abs(expected);
}

const discgeom::spider_challenge_label* find_label(const discgeom::spider_challenge_scores& s,
                                                   discgeom::label_value reference) {
  for (const auto& entry : s.labels)
    if (entry.reference == reference)
      return &entry;
  return nullptr;
}

}  // namespace

TEST_CASE("spider_challenge_score equals the challenge's evaluation.py on its own layout",
          "[metrics][golden]") {
  const auto golden = read_golden();
  REQUIRE(golden.at("cases").size() == 6);
  for (const auto& [run, spacing] :
       {std::pair{std::string("as_released"), discgeom::challenge_spacing::as_released},
        std::pair{std::string("spacing_corrected"), discgeom::challenge_spacing::corrected}}) {
    for (const auto engine :
         {discgeom::distance_engine::kd_tree, discgeom::distance_engine::distance_transform}) {
      INFO("run " << run << ", engine " << to_string(engine));
      const auto& expected = golden.at(run);
      std::vector<discgeom::spider_challenge_scores> cases;
      for (const auto& c : golden.at("cases")) {
        const std::string name = c.at("name").get<std::string>();
        INFO("case " << name);
        const auto reference =
            discgeom::read_image<std::uint32_t>(folder / c.at("ground_truth").get<std::string>());
        const auto prediction =
            discgeom::read_image<std::uint32_t>(folder / c.at("prediction").get<std::string>());
        // The layout as the generator describes it: SimpleITK's (x, y, z) is our axis order.
        for (std::size_t d = 0; d < 3; ++d) {
          CHECK(reference.shape()[d] == c.at("size_xyz")[d].get<std::size_t>());
          CHECK(reference.geometry.spacing[d] == c.at("spacing_xyz")[d].get<double>());
        }
        const auto s = discgeom::spider_challenge_score(reference.view(), prediction.view(),
                                                        reference.geometry,
                                                        {.spacing = spacing, .engine = engine});
        CHECK(s.status == discgeom::spider_challenge_status::ok);

        // The ten keys of score_case.
        const nlohmann::json* score_case = nullptr;
        for (const auto& entry : expected.at("per_case"))
          if (entry.at("case") == name)
            score_case = &entry.at("score_case");
        REQUIRE(score_case != nullptr);
        for (const auto& key : discgeom::enum_names<discgeom::spider_challenge_key>::table) {
          INFO(key.name << ": ours " << s[key.value] << ", challenge "
                        << score_case->at(std::string(key.name)));
          CHECK(agrees(s[key.value], value_of(score_case->at(std::string(key.name)))));
        }

        // Per reference label: the label it matched and the Dice and ASD it computed. A label
        // without a record overlapped no predicted voxel: Dice 0, ASD NaN.
        std::size_t records = 0;
        for (const auto& record : expected.at("per_label")) {
          if (record.at("case") != name)
            continue;
          ++records;
          const auto label = record.at("reference_label").get<discgeom::label_value>();
          const auto* entry = find_label(s, label);
          INFO("label " << label << " " << record.at("kind").get<std::string>());
          REQUIRE(entry != nullptr);
          CHECK(entry->prediction == record.at("prediction_label").get<discgeom::label_value>());
          const double ours = record.at("kind") == "dice" ? entry->dice : entry->asd_mm;
          INFO("ours " << ours << ", challenge " << record.at("value"));
          CHECK(agrees(ours, value_of(record.at("value"))));
        }
        std::size_t matched = 0;
        for (const auto& entry : s.labels) {
          if (entry.prediction != 0) {
            ++matched;
          } else {
            CHECK(entry.dice == 0.0);
            CHECK(std::isnan(entry.asd_mm));
          }
        }
        CHECK(records == 2 * matched);  // one Dice and one ASD record per matched label
        std::vector<discgeom::label_value> labels;
        for (const auto& entry : s.labels)
          labels.push_back(entry.reference);
        CHECK(labels == c.at("reference_labels").get<std::vector<discgeom::label_value>>());
        cases.push_back(s);
      }

      // metrics.json: mean and std over the cases.
      const auto summary = discgeom::summarise_spider_challenge(cases);
      for (const auto& statistic : summary) {
        const auto& json = expected.at("metrics_json").at(std::string(to_string(statistic.key)));
        INFO(to_string(statistic.key) << ": mean " << statistic.mean << " vs " << json.at("mean")
                                      << ", std " << statistic.sd << " vs " << json.at("std"));
        CHECK(agrees(statistic.mean, value_of(json.at("mean"))));
        CHECK(agrees(statistic.sd, value_of(json.at("std"))));
      }
    }
  }
}

TEST_CASE("spider_challenge_score: the released spacing changes only the surface distances",
          "[metrics][golden]") {
  // case01 of the golden data, the numbers quoted in docs/metrics.md.
  const auto reference =
      discgeom::read_image<std::uint32_t>(folder / "ground-truth/case01_shifted_fp.mha");
  const auto prediction = discgeom::read_image<std::uint32_t>(
      folder /
      "input/babd995f-dc07-55d0-b61a-9bb44d8739e6/output/images/sagittal-spine-mr-segmentation/"
      "c5996f2c-5dac-5b4b-8e0c-905e53af881f.mha");
  const auto released =
      discgeom::spider_challenge_score(reference.view(), prediction.view(), reference.geometry,
                                       {.spacing = discgeom::challenge_spacing::as_released});
  const auto corrected =
      discgeom::spider_challenge_score(reference.view(), prediction.view(), reference.geometry);
  CHECK(released.dice_discs == corrected.dice_discs);
  CHECK(released.overall_dice == corrected.overall_dice);
  CHECK(agrees(released.asd_discs, 1.1300212486879642));
  CHECK(agrees(corrected.asd_discs, 0.4356538897373682));
  CHECK(agrees(released.overall_asd, 0.811868592971912));
  CHECK(agrees(corrected.overall_asd, 0.3753429158981042));
}
