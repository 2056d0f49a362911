// SPDX-License-Identifier: MIT
// BianqueNet's indices: every value its released code gives on four synthetic spines
// (tests/data/bianquenet_golden.txt, tests/golden/make_bianquenet_golden.py), rectangles known by
// hand in mm at anisotropic pixels, the 2D and 3D paths, and every bad input of issue 17.
#include "discgeom/geometry/bianquenet.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "discgeom/geometry/disc_measures.hpp"
#include "discgeom/image.hpp"

namespace {

// ---------------------------------------------------------------------------------------------
// The golden file.
struct golden_body {
  std::array<discgeom::bianquenet_pixel, 4> corners;
  std::size_t area = 0;
  double top = 0, bottom = 0, hv = 0;
  std::array<double, 4> eig{};
};
struct golden_disc {
  double ah = 0, aw = 0, ph = 0, pw = 0, small_wd = 0, big_wd = 0;
  std::array<discgeom::bianquenet_pixel, 2> walk;
  std::array<discgeom::bianquenet_pixel, 4> cut;
  std::size_t central = 0;
  double dh = 0, dhi = 0, dwr = 0;
  int mode = 0, first = 0, second = 0, si_disc = 0;
  double dsi = 0;
};
struct golden_case {
  std::string name;
  std::size_t width = 0, height = 0;
  std::vector<std::uint8_t> labels, image;  // index row * width + column
  std::vector<golden_body> bodies;          // L1..L5, S1
  std::vector<golden_disc> discs;           // L1/L2..L5/S1
  int csf_mode = 0, fat_mode = 0;
};

std::vector<std::uint8_t> run_lengths(std::istringstream& in) {
  std::vector<std::uint8_t> out;
  int value = 0;
  std::size_t count = 0;
  while (in >> value >> count)
    out.insert(out.end(), count, static_cast<std::uint8_t>(value));
  return out;
}

std::vector<golden_case> read_golden() {
  std::ifstream file(DISCGEOM_TEST_DATA_DIR "/bianquenet_golden.txt");
  REQUIRE(file.good());
  std::vector<golden_case> cases;
  std::string line;
  while (std::getline(file, line)) {
    std::istringstream in(line);
    std::string key, word;
    in >> key;
    if (key == "case") {
      cases.emplace_back();
      in >> cases.back().name;
    } else if (key == "shape") {
      in >> cases.back().width >> cases.back().height;
    } else if (key == "labels") {
      cases.back().labels = run_lengths(in);
    } else if (key == "image") {
      cases.back().image = run_lengths(in);
    } else if (key == "body") {
      golden_body b;
      in >> word;
      for (auto& c : b.corners)
        in >> c.row >> c.col;
      in >> word >> b.area >> word >> b.top >> word >> b.bottom >> word >> b.hv >> word;
      for (auto& e : b.eig)
        in >> e;
      cases.back().bodies.push_back(b);
    } else if (key == "disc") {
      golden_disc d;
      in >> word >> word >> d.ah >> d.aw >> word >> d.ph >> d.pw >> word >> d.small_wd >> word >>
          d.big_wd >> word;
      for (auto& w : d.walk)
        in >> w.row >> w.col;
      in >> word;
      for (auto& c : d.cut)
        in >> c.row >> c.col;
      in >> word >> d.central >> word >> d.dh >> word >> d.dhi >> word >> d.dwr;
      cases.back().discs.push_back(d);
    } else if (key == "si") {
      const std::size_t k = [&] {
        std::size_t n = 0;
        for (const auto& d : cases.back().discs)
          (void)d, ++n;
        return n;
      }();
      (void)k;
      in >> word;
      static const std::map<std::string, std::size_t> index{
          {"L1/L2", 0}, {"L2/L3", 1}, {"L3/L4", 2}, {"L4/L5", 3}, {"L5/S1", 4}};
      auto& d = cases.back().discs.at(index.at(word));
      in >> word >> d.mode >> word >> d.first >> word >> d.second >> word >> word >> word >>
          d.dsi >> word >> d.si_disc;
    } else if (key == "ref") {
      in >> word >> key;
      (word == "CSF" ? cases.back().csf_mode : cases.back().fat_mode) = [&] {
        int v = 0;
        in >> v;
        return v;
      }();
    }
  }
  return cases;
}

const std::vector<golden_case>& golden() {
  static const std::vector<golden_case> cases = read_golden();
  return cases;
}

// A view in BianqueNet's layout: axis 0 = column (posterior), axis 1 = row (inferior).
discgeom::volume_view<const std::uint8_t, 2> view_of(const std::vector<std::uint8_t>& v,
                                                     std::size_t width, std::size_t height) {
  return discgeom::as_volume(v.data(), std::array<std::size_t, 2>{width, height},
                             std::array<std::ptrdiff_t, 2>{1, static_cast<std::ptrdiff_t>(width)});
}

bool close(double a, double b) {
  return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b));
}

}  // namespace

TEST_CASE("BianqueNet golden: every value of the released code, in pixels") {
  REQUIRE(golden().size() == 4);
  for (const bool clean : {false, true}) {
    for (const auto& g : golden()) {
      INFO(g.name << (clean ? " with seg_opt again" : ""));
      REQUIRE(g.labels.size() == g.width * g.height);
      REQUIRE(g.image.size() == g.width * g.height);
      const auto spine = discgeom::measure_bianquenet_slice(view_of(g.labels, g.width, g.height),
                                                            view_of(g.image, g.width, g.height),
                                                            {1.0, 1.0}, {.clean_masks = clean});
      REQUIRE(g.bodies.size() == 6);
      for (std::size_t k = 0; k < 6; ++k) {
        INFO("body " << k);
        const auto& b = spine.bodies[k];
        REQUIRE(b.corners);
        CHECK(*b.corners == g.bodies[k].corners);
        for (std::size_t c = 0; c < 4; ++c)
          CHECK(b.strengths[c] == static_cast<float>(g.bodies[k].eig[c]));
        CHECK(b.pixels == g.bodies[k].area);
        CHECK(close(*b.upper_endplate_px, g.bodies[k].top));
        CHECK(close(*b.lower_endplate_px, g.bodies[k].bottom));
        CHECK(close(*b.hv_px, g.bodies[k].hv));
        CHECK(close(*b.hv_mm, g.bodies[k].hv));
      }
      REQUIRE(g.discs.size() == 5);
      for (std::size_t k = 0; k < 5; ++k) {
        INFO("disc " << k);
        const auto& d = spine.discs[k];
        const auto& e = g.discs[k];
        CHECK(d.status == "ok");
        REQUIRE(d.anterior);
        CHECK(d.anterior->row == e.ah);
        CHECK(d.anterior->col == e.aw);
        CHECK(d.posterior->row == e.ph);
        CHECK(d.posterior->col == e.pw);
        CHECK(close(*d.mid_width_px, e.small_wd));
        REQUIRE(d.cut);
        CHECK(*d.cut == e.cut);
        CHECK(d.central_pixels == e.central);
        REQUIRE(d.walk_ends);
        CHECK(*d.walk_ends == e.walk);
        CHECK(close(*d.full_width_px, e.big_wd));
        CHECK(close(*d.dh_px, e.dh));
        CHECK(close(*d.dhi_px, e.dhi));
        CHECK(close(*d.hdr_px, e.dwr));
        // Square 1 mm pixels: mm = pixels.
        CHECK(close(*d.dh_mm, e.dh));
        CHECK(close(*d.dhi, e.dhi));
        CHECK(close(*d.hdr, e.dwr));
        REQUIRE(d.signal);
        CHECK(d.signal->mode == e.mode);
        CHECK(d.signal->first_peak == e.first);
        CHECK(d.signal->second_peak == e.second);
        REQUIRE(d.delta_si);
        CHECK(close(*d.delta_si, e.dsi));
        CHECK(*d.si_disc == e.si_disc);
      }
      REQUIRE(spine.csf);
      CHECK(spine.csf->mode == g.csf_mode);
      CHECK(spine.fat->mode == g.fat_mode);
    }
  }
}

TEST_CASE("BianqueNet golden: mm at anisotropic pixels scale the pixel values") {
  const auto& g = golden().front();
  const double sr = 0.6, sc = 0.45;
  const auto spine = discgeom::measure_bianquenet_slice(view_of(g.labels, g.width, g.height),
                                                        discgeom::bianquenet_pixel_size{sr, sc});
  for (std::size_t k = 0; k < 5; ++k) {
    const auto& d = spine.discs[k];
    const auto& e = g.discs[k];
    const double drow = (e.ph - e.ah) * sr, dcol = (e.pw - e.aw) * sc;
    const double mid_mm = std::hypot(drow, dcol);
    CHECK(*d.mid_width_mm == Approx(mid_mm).epsilon(1e-12));
    CHECK(*d.dh_mm == Approx(static_cast<double>(e.central) * sr * sc / mid_mm).epsilon(1e-12));
    const double wrow = static_cast<double>(e.walk[1].row - e.walk[0].row) * sr;
    const double wcol = static_cast<double>(e.walk[1].col - e.walk[0].col) * sc;
    CHECK(*d.full_width_mm == Approx(std::hypot(wrow, wcol)).epsilon(1e-12));
    CHECK(*d.hdr == Approx(*d.dh_mm / std::hypot(wrow, wcol)).epsilon(1e-12));
    // The pixel values do not depend on the pixel size.
    CHECK(close(*d.dh_px, e.dh));
  }
}

namespace {

// ---------------------------------------------------------------------------------------------
// Rectangles known by hand. Slice in BianqueNet's frame, 120 columns x 140 rows: L4 (code 8)
// rows 20-59, L4/L5 (9) rows 60-71, L5 (10) rows 72-111, all columns 30-85 (56 wide).
// The detector puts each corner 3 pixels inside a right angle: corners at columns 33 and 82,
// rows 23/56 (L4) and 75/108 (L5); endplates 49 pixels; D1 = (65.5, 33), D2 = (65.5, 82),
// |D1 D2| = 49 px. Cut lines at columns trunc(57.5 -+ 19.6) = 37 and 77, rows trunc(65.5 -+
// 18.375) = 47 .. 83: 12 rows x 40 columns = 480 central pixels. Walk: columns 30 to 85 on row
// 65: W = 55 px.
std::vector<std::uint8_t> rectangles(std::size_t width = 120, std::size_t height = 140) {
  std::vector<std::uint8_t> v(width * height, 0);
  const auto fill = [&](std::uint8_t code, std::size_t r0, std::size_t r1) {
    for (std::size_t r = r0; r <= r1; ++r)
      for (std::size_t c = 30; c <= 85; ++c)
        v[r * width + c] = code;
  };
  fill(8, 20, 59);
  fill(9, 60, 71);
  fill(10, 72, 111);
  return v;
}

}  // namespace

TEST_CASE("BianqueNet on rectangles: every index by hand, in mm at anisotropic pixels") {
  const auto v = rectangles();
  const double sr = 0.8, sc = 0.5;  // SI x AP pixel size, mm
  const auto spine = discgeom::measure_bianquenet_slice(view_of(v, 120, 140),
                                                        discgeom::bianquenet_pixel_size{sr, sc});
  const auto& l4 = spine.bodies[3];
  REQUIRE(l4.corners);
  CHECK((*l4.corners)[0] == discgeom::bianquenet_pixel{23, 33});
  CHECK((*l4.corners)[3] == discgeom::bianquenet_pixel{56, 82});
  CHECK(l4.pixels == 40 * 56);
  CHECK(*l4.upper_endplate_px == 49.0);
  CHECK(*l4.hv_px == Approx(40.0 * 56.0 / 49.0));
  CHECK(*l4.upper_endplate_mm == Approx(49.0 * sc));
  CHECK(*l4.hv_mm == Approx(40.0 * 56.0 * sr * sc / (49.0 * sc)));  // 45.71 x 0.8
  const auto& d = spine.discs[3];                                   // L4/L5
  CHECK(d.status == "ok");
  CHECK(d.anterior->row == 65.5);
  CHECK(d.anterior->col == 33.0);
  CHECK(*d.mid_width_px == 49.0);
  CHECK(d.central_pixels == 480);
  CHECK(*d.dh_px == Approx(480.0 / 49.0));
  CHECK(*d.dh_mm == Approx(480.0 * sr * sc / (49.0 * sc)));
  CHECK(*d.full_width_px == 55.0);
  CHECK(*d.full_width_mm == Approx(55.0 * sc));
  CHECK(*d.hdr == Approx((480.0 * sr / 49.0) / (55.0 * sc)));
  const double hv_mm = 40.0 * 56.0 * sr / 49.0;
  CHECK(*d.dhi == Approx(2.0 * (480.0 * sr / 49.0) / (2.0 * hv_mm)));
  // The levels without bodies say so.
  CHECK(spine.discs[0].status == "disc absent from the slice");
  CHECK(spine.bodies[0].status == "absent");
}

namespace {

// The rectangles as a SPIDER sagittal series: 3 slices along LR, the middle one holding the
// structures of `rectangles()` relabelled (L4 = vertebra 2, L4/L5 = disc 202, L5 = vertebra 1,
// L5/S1 = disc 201 below L5 and a sacrum 26 below it), spinal canal 100 behind the discs.
// Array axes as `code` says (e.g. "ASL": axis 0 grows anterior, 1 superior, 2 left); `layout`
// maps (slice column c, slice row r, lr index) to the array index.
struct series {
  discgeom::image<std::uint8_t> labels;
  discgeom::image<float> grey;
};

series spider_series(const std::string& code, const discgeom::vec3& spacing, bool with_canal = true,
                     bool with_sacrum = true) {
  const discgeom::image_geometry g{.spacing = spacing,
                                   .direction = discgeom::direction_from_orientation(code)};
  // Axis of each anatomical direction and whether its index grows posterior / inferior.
  std::array<std::size_t, 3> axis{};  // lr, ap, si
  std::array<bool, 3> forward{};      // index grows L, P, I
  for (std::size_t a = 0; a < 3; ++a) {
    const char c = code[a];
    const std::size_t which = (c == 'L' || c == 'R') ? 0 : (c == 'P' || c == 'A') ? 1 : 2;
    axis[which] = a;
    forward[which] = c == 'L' || c == 'P' || c == 'I';
  }
  std::array<std::size_t, 3> shape{};
  shape[axis[0]] = 3;
  shape[axis[1]] = 120;
  shape[axis[2]] = 170;
  series s{discgeom::image<std::uint8_t>::filled(shape, g, 0),
           discgeom::image<float>::filled(shape, g, 40.0f)};
  const auto at = [&](std::size_t c, std::size_t r, std::size_t k) {
    std::array<std::size_t, 3> i{};
    i[axis[0]] = k;
    i[axis[1]] = forward[1] ? c : 119 - c;
    i[axis[2]] = forward[2] ? r : 169 - r;
    return i;
  };
  const auto fill = [&](std::uint8_t label, std::size_t r0, std::size_t r1, std::size_t c0,
                        std::size_t c1, float value) {
    for (std::size_t k = 0; k < 3; ++k)
      for (std::size_t r = r0; r <= r1; ++r)
        for (std::size_t c = c0; c <= c1; ++c) {
          const auto i = at(c, r, k);
          s.labels.voxels(i[0], i[1], i[2]) = label;
          s.grey.voxels(i[0], i[1], i[2]) = value;
        }
  };
  fill(2, 20, 59, 30, 85, 90.0f);
  fill(202, 60, 71, 30, 85, 150.0f);
  fill(1, 72, 111, 30, 85, 90.0f);
  fill(201, 112, 121, 30, 85, 120.0f);
  if (with_sacrum)
    fill(26, 122, 160, 30, 85, 80.0f);
  if (with_canal)
    fill(100, 10, 165, 95, 105, 200.0f);
  // Darker annulus ends in the discs: a second peak.
  fill(202, 60, 71, 30, 37, 60.0f);
  return s;
}

}  // namespace

TEST_CASE("BianqueNet on a SPIDER series: mm by hand whatever the axis order and signs") {
  for (const std::string code : {"PIL", "ASL", "SAR", "LIP"}) {
    INFO(code);
    const discgeom::vec3 spacing = code == "PIL"   ? discgeom::vec3{0.5, 0.8, 4.0}
                                   : code == "ASL" ? discgeom::vec3{0.5, 0.8, 4.0}
                                   : code == "SAR" ? discgeom::vec3{0.8, 0.5, 4.0}
                                                   : discgeom::vec3{4.0, 0.8, 0.5};
    const auto s = spider_series(code, spacing);
    const auto found = discgeom::find_discs(s.labels, s.labels.geometry);
    const auto levels = discgeom::spider_bianquenet_levels(found, 26);
    REQUIRE(levels.size() == 2);
    const auto rows = discgeom::measure_bianquenet(s.labels, s.grey, s.labels.geometry, levels,
                                                   {.reference_label = 100});
    REQUIRE(rows.size() == 2);
    const auto& l4l5 = rows[1];
    CHECK(l4l5.label == 202);
    CHECK(l4l5.level == "L4/L5");
    CHECK(*l4l5.slice == 1);
    CHECK(l4l5.status == "ok");
    CHECK(l4l5.disc.central_pixels == 480);
    CHECK(*l4l5.disc.dh_mm == Approx(480.0 * 0.8 / 49.0));
    CHECK(*l4l5.above.hv_mm == Approx(40.0 * 56.0 * 0.8 / 49.0));
    CHECK(*l4l5.disc.full_width_mm == Approx(55.0 * 0.5));
    CHECK(*l4l5.disc.dhi == Approx(480.0 / (40.0 * 56.0)));
    // Delta SI: mode 150, second peak 60 (the annulus), CSF 200.
    REQUIRE(l4l5.disc.delta_si);
    CHECK(*l4l5.disc.delta_si == Approx(90.0 * 255.0 / 200.0));
    const auto& l5s1 = rows[0];
    CHECK(l5s1.label == 201);
    CHECK(l5s1.level == "L5/S1");
    CHECK(l5s1.status == "ok");
    CHECK(*l5s1.disc.dhi == Approx(*l5s1.disc.dh_mm / *l5s1.above.hv_mm));  // the lowest disc
  }
}

TEST_CASE("BianqueNet bad inputs: statuses, not numbers") {
  SECTION("no sacrum label: L5/S1 reported, not measured") {
    const auto s = spider_series("PIL", {0.5, 0.8, 4.0});
    const auto levels =
        discgeom::spider_bianquenet_levels(discgeom::find_discs(s.labels, s.labels.geometry));
    const auto rows = discgeom::measure_bianquenet(s.labels, s.labels.geometry, levels);
    CHECK(rows[0].status == "no sacrum label below");
    CHECK_FALSE(rows[0].disc.dh_mm);
    CHECK(rows[1].status == "ok");
  }
  SECTION("a missing vertebra above") {
    auto s = spider_series("PIL", {0.5, 0.8, 4.0});
    for (auto& v : s.labels.voxels)
      if (v == 2)
        v = 0;
    const auto levels =
        discgeom::spider_bianquenet_levels(discgeom::find_discs(s.labels, s.labels.geometry), 26);
    const auto rows = discgeom::measure_bianquenet(s.labels, s.labels.geometry, levels);
    CHECK(rows[1].status == "no vertebra above");
    CHECK_FALSE(rows[1].disc.dh_mm);
    CHECK_FALSE(rows[1].disc.dhi);
    CHECK(rows[0].status == "ok");  // L5/S1 keeps its numbers
  }
  SECTION("no reference region: Delta SI empty with a status, the geometry stays") {
    const auto s = spider_series("PIL", {0.5, 0.8, 4.0}, false);
    const auto levels =
        discgeom::spider_bianquenet_levels(discgeom::find_discs(s.labels, s.labels.geometry), 26);
    const auto rows = discgeom::measure_bianquenet(s.labels, s.grey, s.labels.geometry, levels,
                                                   {.reference_label = 100});
    CHECK(rows[1].status == "no reference region (label 100) on the slice");
    CHECK_FALSE(rows[1].disc.delta_si);
    CHECK(rows[1].disc.si_disc);
    CHECK(rows[1].disc.dh_mm);
  }
  SECTION("a NaN image") {
    auto s = spider_series("PIL", {0.5, 0.8, 4.0});
    s.grey.voxels(50, 50, 1) = NAN;
    const auto levels =
        discgeom::spider_bianquenet_levels(discgeom::find_discs(s.labels, s.labels.geometry), 26);
    const auto rows = discgeom::measure_bianquenet(s.labels, s.grey, s.labels.geometry, levels,
                                                   {.reference_label = 100});
    CHECK(rows[1].status == "the image has a value that is not finite on the slice");
    CHECK_FALSE(rows[1].disc.delta_si);
    CHECK(rows[1].disc.dh_mm);
  }
  SECTION("a disc without a central region") {
    auto v = rectangles();
    for (std::size_t r = 60; r <= 71; ++r)
      for (std::size_t c = 36; c <= 85; ++c)
        v[r * 120 + c] = 0;  // only columns 30-35 of the disc are left
    const auto spine = discgeom::measure_bianquenet_slice(view_of(v, 120, 140));
    CHECK(spine.discs[3].status.find("no central region") == 0);
    CHECK_FALSE(spine.discs[3].dh_mm);
    CHECK_FALSE(spine.discs[3].dhi);
  }
  SECTION("a one-slice image whose header is not sagittal") {
    const discgeom::image_geometry identity{.spacing = {0.5, 0.5, 1.0}};
    auto img = discgeom::image<std::uint8_t>::filled({120, 140, 1}, identity, 0);
    // The slice's axes 0 and 1 are LR and AP by the identity header: an axial plane.
    CHECK_THROWS_WITH(
        discgeom::measure_bianquenet(img, identity, discgeom::bianquenet_code_levels()),
        Catch::Contains("a sagittal slice spans AP and SI"));
  }
  SECTION("a sagittal series under an identity header: the axes problem") {
    const auto s = spider_series("PIL", {0.5, 0.8, 4.0});
    auto naive = s.labels;
    naive.geometry = {.spacing = {0.5, 0.8, 4.0}};  // LPS: the discs stack along P
    const auto levels =
        discgeom::spider_bianquenet_levels(discgeom::find_discs(naive, naive.geometry), 26);
    const auto problem = discgeom::bianquenet_axes_problem(naive, naive.geometry, levels);
    REQUIRE(problem);
    CHECK_THAT(*problem, Catch::Contains("orientation LPS"));
    CHECK_FALSE(discgeom::bianquenet_axes_problem(s.labels, s.labels.geometry, levels));
  }
}

TEST_CASE("BianqueNet 2D: a one-slice volume is the slice") {
  // The golden lordotic spine as a 2D sagittal image (512 x 512 x 1, axes P, I, L) at 0.7 mm.
  const auto& g = golden().front();
  const discgeom::image_geometry geometry{.spacing = {0.7, 0.7, 1.0},
                                          .direction = discgeom::direction_from_orientation("PIL")};
  auto labels = discgeom::image<std::uint8_t>::filled({g.width, g.height, 1}, geometry, 0);
  auto grey = discgeom::image<std::uint8_t>::filled({g.width, g.height, 1}, geometry, 0);
  for (std::size_t r = 0; r < g.height; ++r)
    for (std::size_t c = 0; c < g.width; ++c) {
      labels.voxels(c, r, 0) = g.labels[r * g.width + c];
      grey.voxels(c, r, 0) = g.image[r * g.width + c];
    }
  const auto rows =
      discgeom::measure_bianquenet(labels, grey, geometry, discgeom::bianquenet_code_levels(),
                                   {.clean_masks = false, .reference_label = 1});
  REQUIRE(rows.size() == 5);
  for (std::size_t k = 0; k < 5; ++k) {
    INFO(k);
    CHECK(rows[k].status == "ok");
    CHECK(*rows[k].slice == 0);
    CHECK(close(*rows[k].disc.dh_px, g.discs[k].dh));
    CHECK(close(*rows[k].disc.dh_mm, 0.7 * g.discs[k].dh));
    CHECK(close(*rows[k].disc.dhi, g.discs[k].dhi));
    CHECK(close(*rows[k].disc.hdr, g.discs[k].dwr));
    CHECK(close(*rows[k].disc.delta_si, g.discs[k].dsi));
  }
}
