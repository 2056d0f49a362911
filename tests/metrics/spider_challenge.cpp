// SPDX-License-Identifier: MIT
// The SPIDER challenge's scores on masks small enough to score by hand, and its per-label surface
// distance against the brute-force definition. The challenge's own numbers:
// spider_challenge_golden.cpp.
#include "discgeom/metrics/spider_challenge.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "brute_force.hpp"
#include "discgeom/image.hpp"
#include "discgeom/metrics/evaluate.hpp"
#include "user_voxels.hpp"

namespace {

using discgeom::spider_challenge_group;
using discgeom::spider_challenge_key;

const discgeom::image_geometry grid{.spacing = {0.5, 0.8, 3.0}};

struct hand_case {
  discgeom::image<std::uint32_t> reference, prediction;
};

// Every structure lies along array axis 0, so every distance is a multiple of its spacing (0.5
// mm; as released 3.0 mm, the spacing of axis 2).
//   vertebra 1: reference (1,1,1); prediction 1 at (1,1,1), (2,1,1): Dice 2/3, ASD 0.5/3
//   vertebra 2: reference (0..19,3,1); prediction 2 at (0,3,1) only: Dice 2/21 < 0.1, missed;
//               ASD (0.5 (0 + 1 + ... + 19) + 0) / 21 = 95/21
//   vertebra 3: reference (15,1,1), (16,1,1); predicted as disc 205 at (15..17,1,1):
//               Dice 4/5, ASD 0.5/5
//   canal 100:  (20..22,5,4) in both: Dice 1, ASD 0
//   partial vertebra 105: (20,1,1) in both: Dice 1, ASD 0
//   disc 201:   reference (5,1,3), (6,1,3); prediction 204 at (5,1,3), 203 at (6,1,3): a tie,
//               the smaller label 203 wins: Dice 2/3, ASD 0.5/3
//   disc 202:   reference (10,1,3) with nothing predicted there: Dice 0, ASD NaN, missed
hand_case make_hand_case() {
  hand_case c{discgeom::image<std::uint32_t>::filled({24, 6, 5}, grid, 0),
              discgeom::image<std::uint32_t>::filled({24, 6, 5}, grid, 0)};
  auto& r = c.reference.voxels;
  auto& p = c.prediction.voxels;
  r(1, 1, 1) = 1;
  p(1, 1, 1) = p(2, 1, 1) = 1;
  for (std::size_t i = 0; i < 20; ++i)
    r(i, 3, 1) = 2;
  p(0, 3, 1) = 2;
  r(15, 1, 1) = r(16, 1, 1) = 3;
  p(15, 1, 1) = p(16, 1, 1) = p(17, 1, 1) = 205;
  for (std::size_t i = 20; i < 23; ++i)
    r(i, 5, 4) = p(i, 5, 4) = 100;
  r(20, 1, 1) = p(20, 1, 1) = 105;
  r(5, 1, 3) = r(6, 1, 3) = 201;
  p(5, 1, 3) = 204;
  p(6, 1, 3) = 203;
  r(10, 1, 3) = 202;
  return c;
}

template <class T>
discgeom::image<T> converted(const discgeom::image<std::uint32_t>& labels) {
  const auto shape = labels.shape();
  auto result = discgeom::image<T>::filled(shape, labels.geometry, user::make_label<T>(0));
  for (std::size_t k = 0; k < shape[2]; ++k)
    for (std::size_t j = 0; j < shape[1]; ++j)
      for (std::size_t i = 0; i < shape[0]; ++i)
        result.voxels(i, j, k) = user::make_label<T>(labels.voxels(i, j, k));
  return result;
}

const discgeom::spider_challenge_label& label_of(const discgeom::spider_challenge_scores& s,
                                                 discgeom::label_value reference) {
  for (const auto& entry : s.labels)
    if (entry.reference == reference)
      return entry;
  FAIL("no reference label " << reference);
  return s.labels.front();
}

}  // namespace

TEMPLATE_TEST_CASE("spider_challenge_score: every rule on masks scored by hand", "[metrics]",
                   std::uint8_t, std::int32_t, float, user::opaque_label) {
  const auto hand = make_hand_case();
  const auto reference = converted<TestType>(hand.reference);
  const auto prediction = converted<TestType>(hand.prediction);
  for (const auto engine :
       {discgeom::distance_engine::kd_tree, discgeom::distance_engine::distance_transform,
        discgeom::distance_engine::automatic}) {
    INFO("engine " << to_string(engine));
    const auto s = discgeom::spider_challenge_score(
        reference.view(), prediction.view(), grid,
        {.spacing = discgeom::challenge_spacing::corrected, .engine = engine});
    CHECK(s.status == discgeom::spider_challenge_status::ok);
    REQUIRE(s.labels.size() == 7);
    // Per label: match, Dice, ASD, missed.
    CHECK(label_of(s, 1).prediction == 1);
    CHECK(label_of(s, 1).dice == Approx(2.0 / 3.0).epsilon(1e-15));
    CHECK(label_of(s, 1).asd_mm == Approx(0.5 / 3.0).epsilon(1e-15));
    CHECK_FALSE(label_of(s, 1).missed);
    CHECK(label_of(s, 2).prediction == 2);
    CHECK(label_of(s, 2).dice == Approx(2.0 / 21.0).epsilon(1e-15));
    CHECK(label_of(s, 2).asd_mm == Approx(95.0 / 21.0).epsilon(1e-15));
    CHECK(label_of(s, 2).missed);
    CHECK(label_of(s, 3).prediction == 205);  // a vertebra matched to a predicted disc
    CHECK(label_of(s, 3).group == spider_challenge_group::vertebra);
    CHECK(label_of(s, 3).dice == Approx(0.8).epsilon(1e-15));
    CHECK(label_of(s, 3).asd_mm == Approx(0.1).epsilon(1e-15));
    CHECK(label_of(s, 100).group == spider_challenge_group::spinal_canal);
    CHECK(label_of(s, 100).asd_mm == 0.0);
    CHECK(label_of(s, 105).group == spider_challenge_group::other);
    CHECK(label_of(s, 201).prediction == 203);  // the tie goes to the smaller label
    CHECK(label_of(s, 201).overlap_voxels == 1);
    CHECK(label_of(s, 201).dice == Approx(2.0 / 3.0).epsilon(1e-15));
    CHECK(label_of(s, 201).asd_mm == Approx(0.5 / 3.0).epsilon(1e-15));
    CHECK(label_of(s, 202).prediction == 0);
    CHECK(label_of(s, 202).dice == 0.0);
    CHECK(std::isnan(label_of(s, 202).asd_mm));
    CHECK(label_of(s, 202).missed);
    CHECK(label_of(s, 202).group == spider_challenge_group::disc);

    // The ten keys.
    CHECK(s.dice_vertebrae == Approx((2.0 / 3.0 + 0.8) / 2.0).epsilon(1e-15));  // 2 is missed
    CHECK(s.dice_discs == Approx(2.0 / 3.0).epsilon(1e-15));                    // 202 is missed
    CHECK(s.dice_spinal_canal == 1.0);
    CHECK(
        s.overall_dice ==
        Approx((2.0 / 3.0 + 2.0 / 21.0 + 0.8 + 1.0 + 1.0 + 2.0 / 3.0 + 0.0) / 7.0).epsilon(1e-15));
    CHECK(s.detection_rate_vertebrae == Approx(2.0 / 3.0).epsilon(1e-15));
    CHECK(s.detection_rate_discs == 0.5);
    // The missed vertebra's ASD counts.
    CHECK(s.asd_vertebrae == Approx((0.5 / 3.0 + 95.0 / 21.0 + 0.1) / 3.0).epsilon(1e-15));
    CHECK(std::isnan(s.asd_discs));  // 202 unmatched
    CHECK(s.asd_spinal_canal == 0.0);
    CHECK(std::isnan(s.overall_asd));
    CHECK(s[spider_challenge_key::detection_rate_discs] == 0.5);
    CHECK(s[spider_challenge_key::overall_dice] == s.overall_dice);
  }

  SECTION("as released: array axis 0 gets the spacing of axis 2 (3.0 mm, not 0.5)") {
    const auto s =
        discgeom::spider_challenge_score(reference.view(), prediction.view(), grid,
                                         {.spacing = discgeom::challenge_spacing::as_released});
    CHECK(label_of(s, 2).asd_mm == Approx(6.0 * 95.0 / 21.0).epsilon(1e-15));
    CHECK(s.asd_vertebrae == Approx(6.0 * (0.5 / 3.0 + 95.0 / 21.0 + 0.1) / 3.0).epsilon(1e-15));
    CHECK(s.dice_vertebrae == Approx((2.0 / 3.0 + 0.8) / 2.0).epsilon(1e-15));  // unchanged
  }
}

TEST_CASE("spider_challenge_score: group scores once every structure is matched", "[metrics]") {
  auto hand = make_hand_case();
  hand.reference.voxels(10, 1, 3) = 0;  // no disc 202
  const auto s =
      discgeom::spider_challenge_score(hand.reference.view(), hand.prediction.view(), grid);
  CHECK(s.detection_rate_discs == 1.0);
  CHECK(s.asd_discs == Approx(0.5 / 3.0).epsilon(1e-15));
  CHECK(s.overall_asd ==
        Approx((0.5 / 3.0 + 95.0 / 21.0 + 0.1 + 0.0 + 0.0 + 0.5 / 3.0) / 6.0).epsilon(1e-15));

  SECTION("no canal in the reference: the challenge's 999, whatever the prediction holds") {
    for (std::size_t i = 20; i < 23; ++i)
      hand.reference.voxels(i, 5, 4) = 0;
    const auto n =
        discgeom::spider_challenge_score(hand.reference.view(), hand.prediction.view(), grid);
    CHECK(n.dice_spinal_canal == 999.0);
    CHECK(n.asd_spinal_canal == 999.0);
    CHECK(n.labels.size() == 5);
  }
  SECTION("a canal without any predicted voxel: Dice 0, ASD NaN (no 0.1 rule for the canal)") {
    for (std::size_t i = 20; i < 23; ++i)
      hand.prediction.voxels(i, 5, 4) = 0;
    const auto n =
        discgeom::spider_challenge_score(hand.reference.view(), hand.prediction.view(), grid);
    CHECK(n.dice_spinal_canal == 0.0);
    CHECK(std::isnan(n.asd_spinal_canal));
    CHECK_FALSE(label_of(n, 100).missed);
  }
  SECTION("every vertebra missed: DiceScoreVertebrae NaN, as released") {
    hand.prediction.voxels(1, 1, 1) = 0;
    hand.prediction.voxels(2, 1, 1) = 0;
    for (std::size_t i = 15; i < 18; ++i)
      hand.prediction.voxels(i, 1, 1) = 0;
    const auto n =
        discgeom::spider_challenge_score(hand.reference.view(), hand.prediction.view(), grid);
    CHECK(std::isnan(n.dice_vertebrae));
    CHECK(n.detection_rate_vertebrae == 0.0);
    CHECK(n.status == discgeom::spider_challenge_status::ok);
  }
}

TEST_CASE("spider_challenge_score: a reference without vertebrae or discs has a status",
          "[metrics]") {
  const auto hand = make_hand_case();
  auto only_discs = hand.reference;
  auto only_vertebrae = hand.reference;
  const auto shape = hand.reference.shape();
  for (std::size_t k = 0; k < shape[2]; ++k)
    for (std::size_t j = 0; j < shape[1]; ++j)
      for (std::size_t i = 0; i < shape[0]; ++i) {
        if (only_discs.voxels(i, j, k) < 100)
          only_discs.voxels(i, j, k) = 0;
        if (only_vertebrae.voxels(i, j, k) > 200)
          only_vertebrae.voxels(i, j, k) = 0;
      }
  const auto d = discgeom::spider_challenge_score(only_discs.view(), hand.prediction.view(), grid);
  CHECK(d.status == discgeom::spider_challenge_status::no_vertebrae);
  CHECK(std::isnan(d.detection_rate_vertebrae));
  CHECK(std::isnan(d.dice_vertebrae));
  CHECK(std::isnan(d.asd_vertebrae));
  CHECK(d.detection_rate_discs == 0.5);
  const auto v =
      discgeom::spider_challenge_score(only_vertebrae.view(), hand.prediction.view(), grid);
  CHECK(v.status == discgeom::spider_challenge_status::no_discs);
  CHECK(std::isnan(v.detection_rate_discs));
  CHECK(v.detection_rate_vertebrae == Approx(2.0 / 3.0));
  const auto empty = discgeom::image<std::uint32_t>::filled(shape, grid, 0);
  const auto e = discgeom::spider_challenge_score(empty.view(), hand.prediction.view(), grid);
  CHECK(e.status == discgeom::spider_challenge_status::no_vertebrae_no_discs);
  CHECK(e.labels.empty());
  CHECK(std::isnan(e.overall_dice));
  CHECK(std::isnan(e.overall_asd));
  CHECK(e.dice_spinal_canal == 999.0);
  CHECK(to_string(e.status) == "no_vertebrae_no_discs");
}

TEST_CASE("spider_challenge_score: the per-label ASD is the pooled mean over 26-connected surfaces",
          "[metrics]") {
  // Two boxes with random holes; the prediction's first box moved by one voxel, with other
  // holes and stray voxels of label 7. Each reference label is scored against the prediction
  // label the vote gives it, with surfaces that differ from the face-connected ones wherever a
  // voxel touches the outside only along an edge or at a corner (a hole diagonal to it).
  std::mt19937_64 generator(17);
  const discgeom::image_geometry g{.spacing = {0.45, 0.7, 3.3}};
  const discgeom::image_geometry swapped{.spacing = {3.3, 0.7, 0.45}};
  for (int trial = 0; trial < 6; ++trial) {
    auto reference = discgeom::image<std::uint16_t>::filled({14, 12, 9}, g, 0);
    auto prediction = reference;
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    for (std::size_t k = 1; k < 8; ++k)
      for (std::size_t j = 1; j < 11; ++j)
        for (std::size_t i = 1; i < 13; ++i) {
          const std::uint16_t box = i < 8 ? 3 : 204;
          const std::uint16_t moved = i < 9 ? 3 : 204;
          if (uniform(generator) > 0.07 && j >= (box == 3 ? 1 : 2))
            reference.voxels(i, j, k) = box;
          const double u = uniform(generator);
          if (u < 0.05)
            prediction.voxels(i, j, k) = 7;
          else if (u > 0.12 && i >= 2)
            prediction.voxels(i, j, k) = moved;
        }
    for (const auto spacing :
         {discgeom::challenge_spacing::corrected, discgeom::challenge_spacing::as_released}) {
      const auto s = discgeom::spider_challenge_score(reference.view(), prediction.view(), g,
                                                      {.spacing = spacing});
      REQUIRE(s.labels.size() == 2);
      for (const auto& entry : s.labels) {
        REQUIRE(entry.prediction != 0);
        auto r = reference;
        auto p = prediction;
        if (spacing == discgeom::challenge_spacing::as_released) {
          r.geometry = swapped;
          p.geometry = swapped;
        }
        const auto rs = brute_force::surface_voxels<std::uint16_t>(
            r, static_cast<std::uint16_t>(entry.reference), true);
        const auto ps = brute_force::surface_voxels<std::uint16_t>(
            p, static_cast<std::uint16_t>(entry.prediction), true);
        double sum = 0.0;
        for (double d : brute_force::directed(rs, ps))
          sum += d;
        for (double d : brute_force::directed(ps, rs))
          sum += d;
        CHECK(entry.asd_mm ==
              Approx(sum / static_cast<double>(rs.size() + ps.size())).epsilon(1e-12));
        // The face-connected surface would differ: the test sees the connectivity.
        CHECK(brute_force::surface_voxels<std::uint16_t>(
                  r, static_cast<std::uint16_t>(entry.reference), false)
                  .size() < rs.size());
      }
    }
  }
}

TEST_CASE("spider_challenge_score: bad input", "[metrics]") {
  const auto a = discgeom::image<std::uint8_t>::filled({4, 3, 2}, grid, 1);
  const auto b = discgeom::image<std::uint8_t>::filled({5, 3, 2}, grid, 1);
  CHECK_THROWS_MATCHES(discgeom::spider_challenge_score(a.view(), b.view(), grid),
                       discgeom::precondition_error,
                       Catch::Message("spider_challenge_score(): reference and prediction differ "
                                      "in shape: reference [4,3,2] vs prediction [5,3,2]"));
  const auto fractional = discgeom::image<float>::filled({4, 3, 2}, grid, 1.5f);
  CHECK_THROWS_AS(discgeom::spider_challenge_score(a.view(), fractional.view(), grid),
                  discgeom::precondition_error);
  CHECK_THROWS_AS(discgeom::spider_challenge_score(a.view(), a.view(),
                                                   discgeom::image_geometry{.spacing = {1, 0, 1}}),
                  discgeom::precondition_error);
}

TEST_CASE("summarise_spider_challenge: mean and ddof-1 std per key, NaN left out", "[metrics]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<discgeom::spider_challenge_scores> cases(3);
  cases[0].dice_vertebrae = 0.5;
  cases[1].dice_vertebrae = 0.7;
  cases[2].dice_vertebrae = 0.9;
  cases[0].asd_discs = 2.0;
  cases[1].asd_discs = nan;
  cases[2].asd_discs = 4.0;
  cases[0].dice_spinal_canal = 999.0;  // averaged in, as by the challenge
  cases[1].dice_spinal_canal = 1.0;
  cases[2].dice_spinal_canal = nan;
  cases[1].overall_asd = 3.0;  // one value: a mean, no std
  const auto summary = discgeom::summarise_spider_challenge(cases);
  const auto at = [&](spider_challenge_key key) { return summary[static_cast<std::size_t>(key)]; };
  CHECK(at(spider_challenge_key::dice_vertebrae).key == spider_challenge_key::dice_vertebrae);
  CHECK(at(spider_challenge_key::dice_vertebrae).n == 3);
  CHECK(at(spider_challenge_key::dice_vertebrae).mean == Approx(0.7).epsilon(1e-15));
  CHECK(at(spider_challenge_key::dice_vertebrae).sd == Approx(0.2).epsilon(1e-14));
  CHECK(at(spider_challenge_key::asd_discs).n == 2);
  CHECK(at(spider_challenge_key::asd_discs).mean == 3.0);
  CHECK(at(spider_challenge_key::asd_discs).sd == Approx(std::sqrt(2.0)).epsilon(1e-15));
  CHECK(at(spider_challenge_key::dice_spinal_canal).mean == 500.0);
  CHECK(at(spider_challenge_key::overall_asd).mean == 3.0);
  CHECK(std::isnan(at(spider_challenge_key::overall_asd).sd));
  CHECK(at(spider_challenge_key::overall_dice).n == 0);
  CHECK(std::isnan(at(spider_challenge_key::overall_dice).mean));
  CHECK(std::isnan(at(spider_challenge_key::overall_dice).sd));
  CHECK(to_string(spider_challenge_key::overall_dice) == "OveralDiceScore");
}

TEST_CASE("spider_challenge: the tables of names are unique and round-trip", "[metrics]") {
  const auto check = []<class E>(E) {
    CHECK(discgeom::detail::enum_table_is_unique<E>());
    for (const auto& entry : discgeom::enum_names<E>::table)
      CHECK(discgeom::try_parse_enum<E>(entry.name) == entry.value);
  };
  check(discgeom::challenge_spacing{});
  check(discgeom::spider_challenge_group{});
  check(discgeom::spider_challenge_key{});
  check(discgeom::spider_challenge_status{});
  check(discgeom::metric_convention{});
  CHECK(discgeom::parse_enum<discgeom::challenge_spacing>("as-released") ==
        discgeom::challenge_spacing::as_released);
  CHECK(discgeom::parse_enum<discgeom::metric_convention>("spider-challenge") ==
        discgeom::metric_convention::spider_challenge);
  CHECK(discgeom::conventions_of(discgeom::metric_convention::spider_challenge).kind ==
        discgeom::surface_kind::fully_connected);
}
