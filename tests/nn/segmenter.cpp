// SPDX-License-Identifier: MIT
// Segmentation inference: intensity normalisation, sliding windows with Gaussian blending, the
// segmenter's resampling and post-processing, and a TorchScript model built in Python
// (tests/golden/make_segmenter_golden.py wrote the model, an input and Python's outputs).
// Grouped in one file (one LibTorch translation unit) for nn/intensity_normalisation.hpp,
// nn/sliding_window.hpp, nn/segmenter.hpp and nn/torchscript_segmenter.hpp.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>

#include <torch/torch.h>
#include <catch2/catch.hpp>

#include "discgeom/io/npy.hpp"
#include "discgeom/nn/intensity_normalisation.hpp"
#include "discgeom/nn/segmenter.hpp"
#include "discgeom/nn/sliding_window.hpp"
#include "discgeom/nn/torchscript_segmenter.hpp"

namespace {

using discgeom::image;
using discgeom::image_geometry;

const std::string data_dir = DISCGEOM_TEST_DATA_DIR "/";

// A column-major image as a (1, N0, N1, N2) tensor.
torch::Tensor to_tensor(const image<float>& img) {
  const auto s = img.shape();
  auto t = torch::empty({1, static_cast<std::int64_t>(s[0]), static_cast<std::int64_t>(s[1]),
                         static_cast<std::int64_t>(s[2])});
  auto a = t.accessor<float, 4>();
  for (std::size_t i = 0; i < s[0]; ++i)
    for (std::size_t j = 0; j < s[1]; ++j)
      for (std::size_t k = 0; k < s[2]; ++k)
        a[0][i][j][k] = img.voxels(i, j, k);
  return t;
}

// A model whose logits are (0.5 - x, x - 0.5): argmax labels x > 0.5 as class 1.
discgeom::segmentation_model threshold_model(const discgeom::vec3& spacing) {
  discgeom::segmentation_model model;
  model.predict = [](const torch::Tensor& x) { return torch::cat({0.5 - x, x - 0.5}, 1); };
  model.spacing = spacing;
  model.name = "threshold";
  model.normalisation =
      discgeom::normalisation_options{.lower_percentile = 0.0, .upper_percentile = 100.0};
  return model;
}

void fill_box(image<float>& img, std::array<std::size_t, 3> lo, std::array<std::size_t, 3> hi,
              float value) {
  for (std::size_t k = lo[2]; k < hi[2]; ++k)
    for (std::size_t j = lo[1]; j < hi[1]; ++j)
      for (std::size_t i = lo[0]; i < hi[0]; ++i)
        img.voxels(i, j, k) = value;
}

std::size_t count(const image<std::uint16_t>& labels, std::uint16_t value) {
  std::size_t n = 0;
  for (const auto v : labels.voxels)
    n += v == value ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("normalise_intensities: z-score and percentile known answers") {
  auto img = image<float>::filled({2, 2, 2}, image_geometry{});
  for (std::size_t n = 0; n < 8; ++n)
    img.voxels.data()[n] = static_cast<float>(n + 1);  // 1 .. 8
  const auto z = discgeom::normalise_intensities(
      img, img.geometry, {.method = discgeom::intensity_normalisation::zscore});
  CHECK(z.status == discgeom::normalisation_status::ok);
  CHECK(z.offset == Approx(4.5));
  CHECK(z.scale == Approx(std::sqrt(5.25)));
  CHECK(z.voxels.voxels(0, 0, 0) == Approx((1 - 4.5) / std::sqrt(5.25)));
  CHECK(z.voxels.voxels(1, 1, 1) == Approx((8 - 4.5) / std::sqrt(5.25)));
  // numpy.percentile([1..8], [25, 75]) = 2.75, 6.25
  const auto p = discgeom::normalise_intensities(
      img, img.geometry, {.lower_percentile = 25.0, .upper_percentile = 75.0});
  CHECK(p.clip_low == Approx(2.75));
  CHECK(p.clip_high == Approx(6.25));
  CHECK(p.voxels.voxels(0, 0, 0) == 0.0f);  // 1, clipped
  CHECK(p.voxels.voxels(1, 0, 1) == Approx((6.0 - 2.75) / 3.5));
  CHECK(p.voxels.voxels(1, 1, 1) == 1.0f);                            // 8, clipped
  const auto d = discgeom::normalise_intensities(img, img.geometry);  // 0.5, 99.5
  CHECK(d.clip_low == Approx(1.035));
  CHECK(d.clip_high == Approx(7.965));
}

TEST_CASE("normalise_intensities: a constant image is a status, not a division by zero") {
  const auto img = image<float>::filled({3, 3, 3}, image_geometry{}, 7.0f);
  for (const auto method :
       {discgeom::intensity_normalisation::zscore, discgeom::intensity_normalisation::percentile}) {
    const auto n = discgeom::normalise_intensities(img, img.geometry, {.method = method});
    CHECK(n.status == discgeom::normalisation_status::constant);
    CHECK(n.voxels.voxels(1, 1, 1) == 0.0f);
  }
}

TEST_CASE("normalise_intensities: NaN and infinite voxels and bad options are refused") {
  auto img = image<float>::filled({3, 3, 3}, image_geometry{}, 1.0f);
  img.voxels(1, 0, 0) = std::numeric_limits<float>::quiet_NaN();
  img.voxels(2, 2, 2) = std::numeric_limits<float>::infinity();
  REQUIRE_THROWS_AS(discgeom::normalise_intensities(img, img.geometry),
                    discgeom::precondition_error);
  REQUIRE_THROWS_WITH(discgeom::normalise_intensities(img, img.geometry),
                      Catch::Contains("normalise_intensities()") &&
                          Catch::Contains("has 2 non-finite voxels") &&
                          Catch::Contains("the first at [1,0,0]"));
  const auto good = image<float>::filled({2, 2, 2}, image_geometry{}, 1.0f);
  REQUIRE_THROWS_WITH(
      discgeom::normalise_intensities(good, good.geometry,
                                      {.lower_percentile = 60.0, .upper_percentile = 40.0}),
      Catch::Contains("0 <= lower < upper <= 100, got 60 and 40"));
  CHECK(discgeom::parse_intensity_normalisation("zscore") ==
        discgeom::intensity_normalisation::zscore);
  REQUIRE_THROWS_WITH(discgeom::parse_intensity_normalisation("minmax"),
                      Catch::Contains("method 'minmax' is not one of zscore|percentile"));
}

TEST_CASE("window_starts: windows cover the axis, the last one flush with its end") {
  CHECK(discgeom::window_starts(10, 4, 0.5) == std::vector<std::int64_t>{0, 2, 4, 6});
  CHECK(discgeom::window_starts(9, 4, 0.5) == std::vector<std::int64_t>{0, 2, 4, 5});
  CHECK(discgeom::window_starts(8, 8, 0.5) == std::vector<std::int64_t>{0});
  CHECK(discgeom::window_starts(5, 8, 0.5) == std::vector<std::int64_t>{0});
  CHECK(discgeom::window_starts(12, 4, 0.0) == std::vector<std::int64_t>{0, 4, 8});
  REQUIRE_THROWS_WITH(discgeom::window_starts(10, 4, 1.0),
                      Catch::Contains("overlap must be in [0, 1), got 1"));
  REQUIRE_THROWS_WITH(discgeom::window_starts(10, 0, 0.5),
                      Catch::Contains("patch must be >= 1, got 0"));
}

TEST_CASE("gaussian_importance_map: peak 1 at the centre, sigma = scale x patch, symmetric") {
  const std::array<std::int64_t, 3> patch{17, 17, 9};
  const auto w = discgeom::gaussian_importance_map(patch, 2.0 / 17.0);
  REQUIRE(w.sizes() == torch::IntArrayRef({17, 17, 9}));
  CHECK(w.max().item<float>() == Approx(1.0f));
  CHECK(w[8][8][4].item<float>() == Approx(1.0f));
  // one sigma (2 voxels) from the centre along axis 0: exp(-1/2)
  CHECK(w[10][8][4].item<float>() == Approx(std::exp(-0.5)).epsilon(1e-6));
  // along axis 2 sigma = 2/17 x 9
  const double s2 = 2.0 / 17.0 * 9.0;
  CHECK(w[8][8][6].item<float>() == Approx(std::exp(-4.0 / (2.0 * s2 * s2))).epsilon(1e-6));
  CHECK(torch::equal(w, w.flip({0, 1, 2})));
  CHECK(w.min().item<float>() > 0.0f);
  REQUIRE_THROWS_WITH(discgeom::gaussian_importance_map({4, 0, 4}),
                      Catch::Contains("patch edges must be >= 1"));
}

TEST_CASE("sliding_window_inference: a pointwise model blends to whole-volume inference") {
  torch::manual_seed(1);
  const auto volume = torch::randn({1, 20, 17, 13});
  const auto pointwise = [](const torch::Tensor& x) {
    return torch::cat({2.0 * x + 1.0, torch::tanh(x)}, 1);
  };
  const auto whole = pointwise(volume.unsqueeze(0))[0];
  const auto blended =
      discgeom::sliding_window_inference(volume, pointwise, {.patch = {8, 8, 8}, .overlap = 0.5});
  CHECK(blended.windows == 4 * 4 * 3);
  CHECK_FALSE(blended.padded);
  REQUIRE(blended.logits.sizes() == whole.sizes());
  CHECK((blended.logits - whole).abs().max().item<float>() < 1e-5f);
}

TEST_CASE("sliding_window_inference: bad volumes and predictors are named") {
  const auto volume = torch::zeros({1, 8, 8, 8});
  REQUIRE_THROWS_WITH(
      discgeom::sliding_window_inference(torch::zeros({8, 8, 8}), [](auto& x) { return x; }),
      Catch::Contains("volume must be (C, N0, N1, N2), got [8, 8, 8]"));
  REQUIRE_THROWS_WITH(
      discgeom::sliding_window_inference(
          volume, [](const torch::Tensor& x) { return x.slice(2, 0, 4); }, {.patch = {8, 8, 8}}),
      Catch::Contains("the predictor returned [1, 1, 4, 8, 8]") &&
          Catch::Contains("expected [1, K, 8, 8, 8]"));
}

TEST_CASE("torchscript segmenter: the Python model's logits to 1e-5, its labels exactly") {
  const auto model = discgeom::load_torchscript_segmenter(data_dir + "segmenter_tiny.pt");
  REQUIRE(model.spacing.has_value());
  CHECK(*model.spacing == discgeom::vec3{1.0, 1.0, 2.0});
  CHECK(model.input_channels == 1);
  REQUIRE(model.normalisation.has_value());
  CHECK(model.normalisation->method == discgeom::intensity_normalisation::percentile);

  auto input = discgeom::read_npy<float>(data_dir + "segmenter_input.npy");
  input.geometry.spacing = {1.0, 1.0, 2.0};
  const auto expected = discgeom::read_npy<float>(data_dir + "segmenter_logits.npy");  // 36x10x8
  const auto x = to_tensor(input);
  c10::InferenceMode inference;
  const auto logits = model.predict(x.unsqueeze(0))[0];
  REQUIRE(logits.sizes() == torch::IntArrayRef({3, 12, 10, 8}));
  float worst = 0.0f;
  for (std::int64_t c = 0; c < 3; ++c)
    for (std::int64_t i = 0; i < 12; ++i)
      for (std::int64_t j = 0; j < 10; ++j)
        for (std::int64_t k = 0; k < 8; ++k)
          worst = std::max(worst, std::abs(logits[c][i][j][k].item<float>() -
                                           expected.voxels(static_cast<std::size_t>(c * 12 + i),
                                                           static_cast<std::size_t>(j),
                                                           static_cast<std::size_t>(k))));
  CHECK(worst < 1e-5f);

  // Sliding window over a volume of exactly one patch == whole-volume inference.
  const auto window = discgeom::sliding_window_inference(x, model.predict, {.patch = {12, 10, 8}});
  CHECK(window.windows == 1);
  CHECK(torch::equal(window.logits, logits));
  // Padded to a larger patch: the zero padding is the network's own (one 3x3x3 convolution,
  // then pointwise layers), so the blend still equals whole-volume inference.
  const auto padded = discgeom::sliding_window_inference(x, model.predict, {.patch = {16, 16, 16}});
  CHECK(padded.padded);
  CHECK((padded.logits - logits).abs().max().item<float>() < 1e-5f);

  // The whole segmenter: percentile normalisation, argmax, no post-processing.
  const auto labels = discgeom::read_npy<float>(data_dir + "segmenter_labels.npy");
  const auto result = discgeom::segment(
      input, model,
      {.window = {.patch = {12, 10, 8}}, .keep_largest_component = false, .fill_holes = false});
  CHECK(result.windows == 1);
  REQUIRE(result.labels.shape() == input.shape());
  std::size_t differ = 0;
  for (std::size_t n = 0; n < labels.voxels.size(); ++n)
    differ += result.labels.voxels.data()[n] != static_cast<std::uint16_t>(labels.voxels.data()[n]);
  CHECK(differ == 0);
  CHECK(count(result.labels, 1) == 92);
}

TEST_CASE("torchscript segmenter: channel and spacing mismatches, missing metadata, bad files") {
  const std::string tiny = data_dir + "segmenter_tiny.pt";
  REQUIRE_THROWS_AS(
      discgeom::load_torchscript_segmenter(tiny, {.spacing = discgeom::vec3{1, 1, 3}}),
      discgeom::precondition_error);
  REQUIRE_THROWS_WITH(
      discgeom::load_torchscript_segmenter(tiny, {.spacing = discgeom::vec3{1, 1, 3}}),
      Catch::Contains("load_torchscript_segmenter()") && Catch::Contains(tiny) &&
          Catch::Contains("works at spacing [1,1,2] mm, but spacing [1,1,3] mm was asked for"));
  REQUIRE_THROWS_WITH(discgeom::load_torchscript_segmenter(tiny, {.input_channels = 2}),
                      Catch::Contains("expects 1 input channels, the input has 2"));

  auto img = image<float>::filled({12, 10, 8}, image_geometry{.spacing = {1.0, 1.0, 2.0}}, 1.0f);
  img.voxels(0, 0, 0) = 2.0f;
  const auto two = discgeom::load_torchscript_segmenter(data_dir + "segmenter_two_channels.pt");
  CHECK(two.input_channels == 2);
  REQUIRE_THROWS_WITH(discgeom::segment(img, two),
                      Catch::Contains("segment()") &&
                          Catch::Contains("segmenter_two_channels.pt") &&
                          Catch::Contains("expects 2 input channels, the image has 1"));

  const auto model = discgeom::load_torchscript_segmenter(tiny);
  REQUIRE_THROWS_WITH(discgeom::segment(img, model, {.spacing = discgeom::vec3{1.4, 1.2, 1.5}}),
                      Catch::Contains("segment()") &&
                          Catch::Contains("works at spacing [1,1,2] mm, the options ask for "
                                          "[1.4,1.2,1.5] mm"));
  img.voxels(3, 4, 5) = std::numeric_limits<float>::quiet_NaN();
  REQUIRE_THROWS_WITH(discgeom::segment(img, model),
                      Catch::Contains("segment(): the image has 1 non-finite voxels") &&
                          Catch::Contains("[3,4,5]"));

  const std::string bare = data_dir + "segmenter_no_metadata.pt";
  REQUIRE_THROWS_WITH(discgeom::load_torchscript_segmenter(bare),
                      Catch::Contains("carries no discgeom_spacing; give the spacing"));
  const auto given =
      discgeom::load_torchscript_segmenter(bare, {.spacing = discgeom::vec3{1, 1, 2}});
  CHECK(given.input_channels == 1);  // from the first Conv3d weight
  CHECK_FALSE(given.normalisation.has_value());
  auto plain = discgeom::segmentation_model{given};
  plain.spacing.reset();
  REQUIRE_THROWS_WITH(discgeom::segment(img, plain),
                      Catch::Contains("carries no spacing; give options.spacing"));

  const auto text = std::filesystem::temp_directory_path() /
                    ("discgeom_seg_text_" + std::to_string(::getpid()) + ".pt");
  std::ofstream(text) << "not a model";
  REQUIRE_THROWS_AS(discgeom::load_torchscript_segmenter(text), discgeom::io_error);
  REQUIRE_THROWS_WITH(discgeom::load_torchscript_segmenter(text),
                      Catch::Contains(text.string()) && Catch::Contains("not a TorchScript file"));
  std::filesystem::remove(text);
  REQUIRE_THROWS_WITH(discgeom::load_torchscript_segmenter("/nonexistent/model.pt"),
                      Catch::Contains("/nonexistent/model.pt: no such file"));
}

TEST_CASE("resample_nearest_onto: to the model spacing and back restores the input grid") {
  const image_geometry geometry{.spacing = {0.7, 0.9, 3.3}, .origin = {10.0, -5.0, 2.0}};
  auto labels = image<std::uint16_t>::filled({10, 11, 7}, geometry, 0);
  for (std::size_t n = 0; n < labels.voxels.size(); ++n)
    labels.voxels.data()[n] = static_cast<std::uint16_t>(n % 5);
  // Halved spacing: every voxel comes back.
  const auto fine = discgeom::resample_nearest(labels, geometry, {0.35, 0.45, 1.65});
  const auto back = discgeom::resample_nearest_onto(fine, labels.shape(), geometry);
  CHECK(back.shape() == labels.shape());
  CHECK(back.geometry.origin == geometry.origin);
  CHECK(back.voxels == labels.voxels);
  // The paper's spacing: the grid (shape, geometry) comes back even where the shape rounds.
  const auto coarse = discgeom::resample_nearest(labels, geometry, {1.4, 1.2, 1.5});
  const auto again = discgeom::resample_nearest_onto(coarse, labels.shape(), geometry);
  CHECK(again.shape() == labels.shape());
  CHECK(again.geometry.spacing == geometry.spacing);
  REQUIRE_THROWS_WITH(
      discgeom::resample_nearest_onto(labels, {20, 11, 7}, geometry),
      Catch::Contains("resample_nearest_onto()") && Catch::Contains("source has shape [10,11,7]"));
}

TEST_CASE("segment: resampled to the model's spacing and back onto the input grid") {
  const image_geometry geometry{.spacing = {0.5, 0.5, 1.0}};
  auto img = image<float>::filled({24, 20, 16}, geometry, 0.0f);
  fill_box(img, {4, 4, 4}, {20, 16, 12}, 1.0f);
  const auto result =
      discgeom::segment(img, threshold_model({1.0, 1.0, 2.0}), {.window = {.patch = {8, 8, 8}}});
  CHECK(result.model_shape == std::array<std::size_t, 3>{12, 10, 8});
  REQUIRE(result.labels.shape() == img.shape());
  CHECK(result.labels.geometry.spacing == geometry.spacing);
  CHECK(result.status == discgeom::segmentation_status::ok);
  // The box's faces lie on voxel boundaries of both grids: it comes back exactly.
  CHECK(count(result.labels, 1) == 16 * 12 * 8);
  CHECK(result.labels.voxels(4, 4, 4) == 1);
  CHECK(result.labels.voxels(3, 4, 4) == 0);
  // Nothing above the threshold: status empty.
  const auto dark = image<float>::filled({8, 8, 8}, geometry, 0.0f);
  const auto none =
      discgeom::segment(dark, threshold_model({0.5, 0.5, 1.0}), {.window = {.patch = {8, 8, 8}}});
  CHECK(none.status == discgeom::segmentation_status::empty);
  CHECK(none.normalisation == discgeom::normalisation_status::constant);
}

TEST_CASE("segment: post-processing keeps the largest component and fills its holes") {
  const image_geometry geometry{.spacing = {1.0, 1.0, 1.0}};
  auto img = image<float>::filled({20, 20, 20}, geometry, 0.0f);
  fill_box(img, {2, 2, 2}, {12, 12, 12}, 1.0f);     // 1000 voxels
  fill_box(img, {5, 5, 5}, {7, 7, 7}, 0.0f);        // a hole of 8 voxels
  fill_box(img, {15, 15, 15}, {18, 18, 18}, 1.0f);  // a stray blob of 27
  const auto model = threshold_model(geometry.spacing);
  const discgeom::sliding_window_options window{.patch = {20, 20, 20}};
  const auto raw = discgeom::segment(
      img, model, {.window = window, .keep_largest_component = false, .fill_holes = false});
  CHECK(count(raw.labels, 1) == 992 + 27);
  const auto clean = discgeom::segment(img, model, {.window = window});
  CHECK(count(clean.labels, 1) == 1000);
  CHECK(clean.components_removed == 1);
  CHECK(clean.holes_filled == 8);
  CHECK(clean.labels.voxels(16, 16, 16) == 0);
  // threshold decision on a one-channel model: sigmoid(2 (x - 0.5)) >= 0.5
  discgeom::segmentation_model single = model;
  single.predict = [](const torch::Tensor& x) { return 2.0 * (x - 0.5); };
  const auto binary = discgeom::segment(img, single, {.window = window});
  CHECK(count(binary.labels, 1) == 1000);
  // Edge smoothing (postprocess_labels) first: a 1 mm ball on 1 mm voxels is the 6-neighbourhood
  // cross. The opening takes the box's 104 edge voxels (two or three coordinates on its faces: no
  // cross inside the box covers them) and leaves 7 of the blob (the cross at its centre); the
  // closing fills the 8-voxel hole (each hole voxel's cross is in the dilation) and gives back no
  // edge. Then nothing is left to fill and the blob's cross goes as the smaller component.
  const auto smooth = discgeom::segment(img, model, {.window = window, .smoothing_radius_mm = 1.0});
  CHECK(smooth.smoothing_removed == 104 + 20);
  CHECK(smooth.smoothing_added == 8);
  CHECK(smooth.holes_filled == 0);
  CHECK(smooth.components_removed == 1);
  CHECK(count(smooth.labels, 1) == 1000 - 104);
  CHECK_THROWS_WITH(
      discgeom::segment(img, model, {.window = window, .smoothing_radius_mm = -1.0}),
      Catch::Contains("segment(): options.smoothing_radius_mm must be finite and >= 0, got -1"));
}

TEST_CASE("segment: SPIDER disc labels numbered from the lowest LPS z") {
  for (const double sign : {1.0, -1.0}) {
    // Axis 2 grows to Superior (sign 1) or to Inferior (sign -1).
    image_geometry geometry{.spacing = {1.0, 1.0, 2.0}};
    geometry.direction[2][2] = sign;
    auto img = image<float>::filled({12, 12, 24}, geometry, 0.0f);
    fill_box(img, {2, 2, 2}, {10, 10, 4}, 1.0f);    // k 2-3: 128 voxels
    fill_box(img, {2, 2, 9}, {10, 10, 12}, 1.0f);   // k 9-11: 192
    fill_box(img, {2, 2, 17}, {10, 10, 21}, 1.0f);  // k 17-20: 256
    fill_box(img, {5, 5, 18}, {6, 6, 19}, 0.0f);    // a hole in the last one
    fill_box(img, {0, 0, 14}, {1, 1, 15}, 1.0f);    // a one-voxel fragment
    const auto result = discgeom::segment(img, threshold_model(geometry.spacing),
                                          {.window = {.patch = {12, 12, 24}},
                                           .labels = discgeom::segmentation_labels::spider_discs,
                                           .minimum_disc_voxels = 10});
    CHECK(result.discs == 3);
    CHECK(result.components_removed == 1);
    CHECK(result.holes_filled == 1);
    const std::uint16_t lowest = sign > 0 ? 201 : 203, highest = sign > 0 ? 203 : 201;
    CHECK(result.labels.voxels(5, 5, 3) == lowest);
    CHECK(result.labels.voxels(5, 5, 10) == 202);
    CHECK(result.labels.voxels(5, 5, 18) == highest);
    CHECK(count(result.labels, lowest) == 128);
    CHECK(count(result.labels, 202) == 192);
    CHECK(count(result.labels, highest) == 256);
    CHECK(result.labels.voxels(0, 0, 14) == 0);
  }
}

TEST_CASE("segment: SPIDER discs fill holes where holes and hole_plane say") {
  // One disc with a tunnel along axis 2 (Superior): open in 3D, a hole in every axial slice.
  const image_geometry geometry{.spacing = {1.0, 1.0, 2.0}};
  auto img = image<float>::filled({12, 12, 16}, geometry, 0.0f);
  fill_box(img, {2, 2, 6}, {10, 10, 9}, 1.0f);  // k 6-8: 192 voxels
  fill_box(img, {5, 5, 6}, {6, 6, 9}, 0.0f);    // the tunnel: 3 voxels
  const auto run = [&](discgeom::hole_filling holes, discgeom::anatomical_plane plane) {
    return discgeom::segment(img, threshold_model(geometry.spacing),
                             {.window = {.patch = {12, 12, 16}},
                              .labels = discgeom::segmentation_labels::spider_discs,
                              .holes = holes,
                              .hole_plane = plane});
  };
  using discgeom::anatomical_plane;
  using discgeom::hole_filling;
  const auto axial = run(hole_filling::slices, anatomical_plane::transverse);
  CHECK(axial.holes_filled == 3);
  CHECK(axial.labels.voxels(5, 5, 7) == 201);
  CHECK(run(hole_filling::slices, anatomical_plane::sagittal).holes_filled == 0);
  CHECK(run(hole_filling::volume, anatomical_plane::sagittal).holes_filled == 0);
  const auto off = run(hole_filling::off, anatomical_plane::transverse);
  CHECK(off.holes_filled == 0);
  CHECK(off.labels.voxels(5, 5, 7) == 0);
}

TEST_CASE("2D torchscript segmenter: slice by slice as in Python, logits to 1e-5, labels exactly") {
  // tests/golden/make_segmenter2d_golden.py: a Conv2d network run on each sagittal slice (array
  // axis 0 of an LPS volume of 4 x 0.5 x 0.5 mm) of a 6 x 12 x 10 volume.
  const auto model = discgeom::load_torchscript_segmenter(data_dir + "segmenter2d_tiny.pt");
  CHECK(model.dimensions == 2);
  CHECK(model.input_channels == 1);
  REQUIRE(model.slices.has_value());
  CHECK(model.slices->describe() == "sagittal");
  REQUIRE(model.slice_spacing.has_value());
  CHECK(*model.slice_spacing == std::array<double, 2>{0.5, 0.5});
  CHECK_FALSE(model.spacing.has_value());

  auto input = discgeom::read_npy<float>(data_dir + "segmenter2d_input.npy");
  input.geometry.spacing = {4.0, 0.5, 0.5};
  const auto expected = discgeom::read_npy<float>(data_dir + "segmenter2d_logits.npy");  // 18x12x10
  const auto x = to_tensor(input).unsqueeze(0);
  float worst = 0.0f;
  {
    c10::InferenceMode inference;
    const auto logits = discgeom::slice_predictor(model.predict, 0)(x)[0];
    REQUIRE(logits.sizes() == torch::IntArrayRef({3, 6, 12, 10}));
    for (std::int64_t c = 0; c < 3; ++c)
      for (std::int64_t i = 0; i < 6; ++i)
        for (std::int64_t j = 0; j < 12; ++j)
          for (std::int64_t k = 0; k < 10; ++k)
            worst = std::max(worst, std::abs(logits[c][i][j][k].item<float>() -
                                             expected.voxels(static_cast<std::size_t>(c * 6 + i),
                                                             static_cast<std::size_t>(j),
                                                             static_cast<std::size_t>(k))));
  }
  CHECK(worst < 1e-5f);

  // The whole segmenter: whole-volume percentile normalisation, one window per slice (6), argmax.
  const auto labels = discgeom::read_npy<float>(data_dir + "segmenter2d_labels.npy");
  const auto raw = discgeom::segment(
      input, model,
      {.window = {.patch = {96, 12, 10}}, .keep_largest_component = false, .fill_holes = false});
  CHECK(raw.windows == 6);
  CHECK(raw.model_shape == std::array<std::size_t, 3>{6, 12, 10});
  REQUIRE(raw.labels.shape() == input.shape());
  std::size_t differ = 0;
  for (std::size_t n = 0; n < labels.voxels.size(); ++n)
    differ += raw.labels.voxels.data()[n] != static_cast<std::uint16_t>(labels.voxels.data()[n]);
  CHECK(differ == 0);
  CHECK(count(raw.labels, 1) == 258);
  CHECK(count(raw.labels, 2) == 11);

  // The same volume stored with the axes turned (axis 0 P, 1 S, 2 L: "PSL"): the sagittal slices
  // are now those of array axis 2, found through the direction cosines; same labels.
  image_geometry turned{.spacing = {0.5, 0.5, 4.0},
                        .direction = discgeom::direction_from_orientation("PSL")};
  auto rotated = image<float>::filled({12, 10, 6}, turned, 0.0f);
  for (std::size_t i = 0; i < 6; ++i)
    for (std::size_t j = 0; j < 12; ++j)
      for (std::size_t k = 0; k < 10; ++k)
        rotated.voxels(j, k, i) = input.voxels(i, j, k);
  const auto turned_result = discgeom::segment(
      rotated, model,
      {.window = {.patch = {12, 10, 96}}, .keep_largest_component = false, .fill_holes = false});
  CHECK(turned_result.windows == 6);
  std::size_t turned_differ = 0;
  for (std::size_t i = 0; i < 6; ++i)
    for (std::size_t j = 0; j < 12; ++j)
      for (std::size_t k = 0; k < 10; ++k)
        turned_differ += turned_result.labels.voxels(j, k, i) != raw.labels.voxels(i, j, k);
  CHECK(turned_differ == 0);

  // The same post-processing as a 3D model: class 2's largest component, holes filled.
  const auto clean = discgeom::segment(input, model, {.window = {.patch = {96, 12, 10}}});
  auto expected_clean = raw.labels;
  const auto report = discgeom::postprocess_labels(expected_clean.voxels, expected_clean.geometry);
  CHECK(clean.components_removed == report.components_removed);
  CHECK(clean.holes_filled == report.holes_filled);
  const bool same = clean.labels.voxels == expected_clean.voxels;
  CHECK(same);
}

TEST_CASE("2D torchscript segmenter: the slice plane from the options, and what is refused") {
  auto input = discgeom::read_npy<float>(data_dir + "segmenter2d_input.npy");
  input.geometry.spacing = {4.0, 0.5, 0.5};
  const auto labels = discgeom::read_npy<float>(data_dir + "segmenter2d_labels.npy");
  const std::string no_plane = data_dir + "segmenter2d_no_plane.pt";
  const auto model = discgeom::load_torchscript_segmenter(no_plane);
  CHECK(model.dimensions == 2);
  CHECK_FALSE(model.slices.has_value());
  const discgeom::segmentation_options raw{
      .window = {.patch = {96, 12, 10}}, .keep_largest_component = false, .fill_holes = false};
  REQUIRE_THROWS_WITH(discgeom::segment(input, model, raw),
                      Catch::Contains("segment(): model " + no_plane) &&
                          Catch::Contains("names no slice plane") &&
                          Catch::Contains("--slice-plane sagittal|coronal|axial|0|1|2"));
  // Given as a plane or as the array axis: Python's labels.
  for (const std::string plane : {"sagittal", "0"}) {
    auto options = raw;
    options.slices = discgeom::parse_slice_orientation(plane, "test");
    const auto result = discgeom::segment(input, model, options);
    std::size_t differ = 0;
    for (std::size_t n = 0; n < labels.voxels.size(); ++n)
      differ +=
          result.labels.voxels.data()[n] != static_cast<std::uint16_t>(labels.voxels.data()[n]);
    CHECK(differ == 0);
  }
  // A plane other than the model's, an unknown plane, a spacing other than the model's.
  const auto tiny = discgeom::load_torchscript_segmenter(data_dir + "segmenter2d_tiny.pt");
  auto axial = raw;
  axial.slices = discgeom::parse_slice_orientation("axial", "test");
  REQUIRE_THROWS_WITH(discgeom::segment(input, tiny, axial),
                      Catch::Contains("segments sagittal slices (array axis 0 of this image), "
                                      "the options ask for axial (array axis 2)"));
  REQUIRE_THROWS_WITH(discgeom::parse_slice_orientation("oblique", "segment"),
                      "segment(): slice plane 'oblique' is not sagittal, coronal, axial or an "
                      "array axis 0, 1, 2");
  auto coarse = raw;
  coarse.spacing = discgeom::vec3{4.0, 1.0, 0.5};
  REQUIRE_THROWS_WITH(discgeom::segment(input, tiny, coarse),
                      Catch::Contains("works at in-plane spacing [0.5,0.5] mm, the options ask "
                                      "for [1,0.5] mm (array axes 1, 2)"));
  // In-plane resampling: at 0.25 mm in plane the slices are resampled to the model's 0.5 mm
  // (24 x 20 -> 12 x 10) and the labels come back on the input grid; the slice axis keeps 6.
  auto fine = image<float>::filled({6, 24, 20}, image_geometry{.spacing = {4.0, 0.25, 0.25}}, 0.0f);
  const auto fine_result = discgeom::segment(fine, tiny, {.window = {.patch = {96, 12, 10}}});
  CHECK(fine_result.model_shape == std::array<std::size_t, 3>{6, 12, 10});
  CHECK(fine_result.labels.shape() == fine.shape());
}
