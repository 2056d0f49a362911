// SPDX-License-Identifier: MIT
#include "discgeom/mask/label_scheme.hpp"

#include <catch2/catch.hpp>

using discgeom::structure_kind;

TEST_CASE("SPIDER labels: vertebrae, canal, partial vertebrae, discs from the bottom") {
  CHECK(discgeom::spider_structure(0).kind == structure_kind::background);
  CHECK(discgeom::spider_structure(1).kind == structure_kind::vertebra);
  CHECK(*discgeom::spider_structure(1).from_bottom == 0);
  CHECK(*discgeom::spider_structure(25).from_bottom == 24);
  CHECK(discgeom::spider_structure(26).kind == structure_kind::other);
  CHECK(discgeom::spider_structure(100).kind == structure_kind::spinal_canal);
  CHECK(discgeom::spider_structure(103).kind == structure_kind::partial_vertebra);
  CHECK(*discgeom::spider_structure(103).from_bottom == 2);
  CHECK(discgeom::spider_structure(201).kind == structure_kind::disc);
  CHECK(*discgeom::spider_structure(201).from_bottom == 0);
  CHECK(*discgeom::spider_structure(225).from_bottom == 24);
  CHECK(discgeom::spider_structure(226).kind == structure_kind::other);
  CHECK(discgeom::spider_structure(-3).kind == structure_kind::other);
}

TEST_CASE("level names count up from the lowest level, through T12/L1, L6 and T13 included") {
  const discgeom::disc_level_names usual{"L5/S1"};
  CHECK(usual.name(0) == "L5/S1");
  CHECK(usual.name(1) == "L4/L5");
  CHECK(usual.name(4) == "L1/L2");
  CHECK(usual.name(5) == "T12/L1");
  CHECK(usual.name(6) == "T11/T12");
  CHECK(usual.name(17) == "C7/T1");
  CHECK(usual.name(23) == "C1/C2");
  CHECK(usual.name(24) == "unknown");
  const discgeom::disc_level_names six_lumbar{"L6/S1"};
  CHECK(six_lumbar.name(0) == "L6/S1");
  CHECK(six_lumbar.name(1) == "L5/L6");
  CHECK(six_lumbar.name(2) == "L4/L5");
  const discgeom::disc_level_names thirteen_thoracic{"t13/l1"};
  CHECK(thirteen_thoracic.name(0) == "T13/L1");
  CHECK(thirteen_thoracic.name(1) == "T12/T13");
  CHECK(discgeom::disc_level_names{"L4/L5"}.name(1) == "L3/L4");
}

TEST_CASE("bad level names throw precondition_error naming the text") {
  CHECK_THROWS_WITH(
      discgeom::disc_level_names{"L5-S1"},
      "disc_level_names(): lowest level 'L5-S1' must be written UPPER/LOWER, e.g. L5/S1");
  CHECK_THROWS_WITH(discgeom::disc_level_names{"L7/S1"},
                    "parse_vertebra(): 'L7' is not a vertebra name (C1-C7, T1-T13, L1-L6, S1-S5)");
  CHECK_THROWS_AS(discgeom::disc_level_names{"X5/S1"}, discgeom::precondition_error);
  CHECK_THROWS_AS(discgeom::disc_level_names{"L/S1"}, discgeom::precondition_error);
  CHECK_THROWS_AS(discgeom::parse_vertebra("L5x"), discgeom::precondition_error);
}
