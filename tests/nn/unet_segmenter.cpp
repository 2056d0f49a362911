// SPDX-License-Identifier: MIT
// The native 3D U-Net: its shapes, training with BCE + Dice and early stopping on tiny synthetic
// images (a bright ellipsoid in noise), determinism, and saving / loading with its metadata.
// Grouped in one file (one LibTorch translation unit) for nn/unet3d.hpp, nn/train_segmenter.hpp
// and nn/segmenter_io.hpp.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <span>
#include <string>

#include <torch/torch.h>
#include <catch2/catch.hpp>

#include "discgeom/nn/archive_file.hpp"
#include "discgeom/nn/segmenter.hpp"
#include "discgeom/nn/segmenter_io.hpp"
#include "discgeom/nn/train_segmenter.hpp"
#include "discgeom/nn/unet3d.hpp"

namespace {

using discgeom::image;
using discgeom::image_geometry;

// A 24^3 T1-like image: an ellipsoid of intensity 1 in a background of 0.3 plus Gaussian noise
// (sd 0.1), and its mask (label 201 inside). `variant` moves and reshapes the ellipsoid.
struct synthetic_case {
  image<float> t1;
  image<std::uint16_t> mask;
};

synthetic_case ellipsoid_case(int variant) {
  const image_geometry geometry{.spacing = {1.0, 1.0, 1.0}};
  synthetic_case c{image<float>::filled({24, 24, 24}, geometry, 0.0f),
                   image<std::uint16_t>::filled({24, 24, 24}, geometry, 0)};
  std::mt19937 generator(static_cast<unsigned>(100 + variant));
  std::normal_distribution<float> noise(0.0f, 0.1f);
  const double ci = 11.5 + (variant % 3) - 1, cj = 11.5 + (variant % 2), ck = 11.5 - (variant % 2);
  const double a = 7.0 + variant % 3, b = 5.0 + variant % 2, cc = 3.0 + (variant % 4) * 0.5;
  for (std::size_t k = 0; k < 24; ++k)
    for (std::size_t j = 0; j < 24; ++j)
      for (std::size_t i = 0; i < 24; ++i) {
        const double x = (static_cast<double>(i) - ci) / a, y = (static_cast<double>(j) - cj) / b,
                     z = (static_cast<double>(k) - ck) / cc;
        const bool inside = x * x + y * y + z * z <= 1.0;
        c.mask.voxels(i, j, k) = inside ? 201 : 0;
        c.t1.voxels(i, j, k) = (inside ? 1.0f : 0.3f) + noise(generator);
      }
  return c;
}

std::vector<discgeom::segmentation_volume> volumes(int first, int count) {
  std::vector<discgeom::segmentation_volume> result;
  for (int v = first; v < first + count; ++v) {
    const auto c = ellipsoid_case(v);
    result.push_back(discgeom::make_segmentation_volume(c.t1, c.mask, {1.0, 1.0, 1.0}));
  }
  return result;
}

const discgeom::unet3d_config tiny_config{.in_channels = 1, .out_channels = 1, .channels = {4, 8}};

discgeom::segmentation_training_options quick_options() {
  return {.patch = {16, 16, 16},
          .batch_size = 2,
          .batches_per_epoch = 4,
          .learning_rate = 1e-2,
          .max_epochs = 12,
          .patience = 15,
          .seed = 7,
          .threads = 2};
}

}  // namespace

TEST_CASE("unet3d: logits of the input's shape for any size, invalid configs refused") {
  torch::manual_seed(0);
  discgeom::unet3d model(discgeom::unet3d_config{.channels = {2, 4, 8}});
  CHECK(model->config().divisor() == 4);
  CHECK(model->config().describe() == "in 1, out 1, channels 2-4-8");
  torch::NoGradGuard no_grad;
  model->eval();
  const auto out = model->forward(torch::randn({2, 1, 13, 10, 7}));
  CHECK(out.sizes() == torch::IntArrayRef({2, 1, 13, 10, 7}));
  REQUIRE_THROWS_WITH(model->forward(torch::randn({1, 2, 8, 8, 8})),
                      Catch::Contains("unet3d::forward()") &&
                          Catch::Contains("input must be (N, 1, D, H, W), got [1, 2, 8, 8, 8]"));
  REQUIRE_THROWS_WITH(discgeom::unet3d(discgeom::unet3d_config{.channels = {}}),
                      Catch::Contains("channels must name 1 to 8 levels, got 0"));
  REQUIRE_THROWS_WITH(discgeom::unet3d(discgeom::unet3d_config{.channels = {4, 0}}),
                      Catch::Contains("channels[1] must be >= 1, got 0"));
}

TEST_CASE("bce_dice_loss: BCE plus one minus soft Dice, equal weights") {
  const auto logits = torch::tensor({0.0f, 0.0f, 0.0f, 0.0f});
  const auto targets = torch::tensor({1.0f, 1.0f, 0.0f, 0.0f});
  // BCE = log 2; p = 1/2: Dice = (2 x 1 + eps) / (2 + 2 + eps)
  const double dice = (2.0 + 1e-5) / (4.0 + 1e-5);
  CHECK(discgeom::bce_dice_loss(logits, targets).item<double>() ==
        Approx(std::log(2.0) + 1.0 - dice).epsilon(1e-6));
}

TEST_CASE("train_segmenter: a tiny U-Net segments ellipsoids in noise with Dice > 0.9") {
  const auto training = volumes(0, 4), validation = volumes(10, 1);
  torch::manual_seed(11);
  discgeom::unet3d model(tiny_config);
  auto options = quick_options();
  options.learning_rate = 0.03;
  options.max_epochs = 8;
  std::int64_t calls = 0;
  options.on_epoch = [&](const discgeom::segmentation_epoch& e) { CHECK(e.epoch == ++calls); };
  const auto result = discgeom::train_segmenter(model, training, validation, options);
  CHECK(result.epochs == 8);
  CHECK(calls == 8);
  CHECK_FALSE(result.stopped_early);
  CHECK(result.best_dice > 0.9);
  CHECK_FALSE(model->is_training());
  // The model holds the best epoch's weights: its validation scores are the best ones.
  const auto scores = discgeom::detail::validation_scores(model, validation,
                                                          {.patch = {16, 16, 16}, .overlap = 0.25});
  CHECK(scores[0] == Approx(result.best_iou));
  CHECK(scores[1] == Approx(result.best_dice));

  // Through segment() on a held-out case, as a segmentation_model.
  const auto held_out = ellipsoid_case(20);
  const auto seg = discgeom::segment(
      held_out.t1, discgeom::as_segmentation_model(model, {.spacing = {1.0, 1.0, 1.0}}),
      {.window = {.patch = {16, 16, 16}}, .labels = discgeom::segmentation_labels::spider_discs});
  std::size_t both = 0, predicted = 0, truth = 0;
  for (std::size_t n = 0; n < seg.labels.voxels.size(); ++n) {
    const bool p = seg.labels.voxels.data()[n] != 0, t = held_out.mask.voxels.data()[n] != 0;
    both += p && t;
    predicted += p;
    truth += t;
  }
  CHECK(2.0 * static_cast<double>(both) / static_cast<double>(predicted + truth) > 0.9);
  CHECK(seg.discs == 1);
}

TEST_CASE("train_segmenter: seeded runs are identical, early stopping keeps the best epoch") {
  const auto training = volumes(0, 2), validation = volumes(10, 1);
  auto options = quick_options();
  options.max_epochs = 2;
  std::vector<std::vector<discgeom::segmentation_epoch>> curves;
  std::vector<torch::Tensor> weights;
  for (int run = 0; run < 2; ++run) {
    torch::manual_seed(3);
    discgeom::unet3d model(tiny_config);
    const auto result = discgeom::train_segmenter(model, training, validation, options);
    curves.push_back(result.history);
    weights.push_back(torch::cat([&] {
      std::vector<torch::Tensor> flat;
      for (const auto& p : model->parameters())
        flat.push_back(p.detach().flatten());
      return flat;
    }()));
  }
  REQUIRE(curves[0].size() == 2);
  for (std::size_t e = 0; e < 2; ++e) {
    CHECK(curves[0][e].loss == curves[1][e].loss);
    CHECK(curves[0][e].validation_iou == curves[1][e].validation_iou);
  }
  CHECK(torch::equal(weights[0], weights[1]));

  // A learning rate far too high: the IoU stops improving, training stops `patience` epochs
  // after the best one and the model holds the best epoch's weights.
  options.max_epochs = 40;
  options.patience = 1;
  options.learning_rate = 0.5;
  torch::manual_seed(3);
  discgeom::unet3d model(tiny_config);
  const auto result = discgeom::train_segmenter(model, training, validation, options);
  REQUIRE(result.stopped_early);
  CHECK(result.epochs == result.best_epoch + 1);
  CHECK(result.history[static_cast<std::size_t>(result.best_epoch - 1)].improved);
  const auto scores = discgeom::detail::validation_scores(model, validation,
                                                          {.patch = {16, 16, 16}, .overlap = 0.25});
  CHECK(scores[0] == Approx(result.best_iou));
}

TEST_CASE("train_segmenter: bad inputs are named") {
  const auto training = volumes(0, 1);
  discgeom::unet3d model(tiny_config);
  REQUIRE_THROWS_WITH(
      discgeom::train_segmenter(model, training, {}, quick_options()),
      Catch::Contains("train_segmenter()") && Catch::Contains("validation has no volume"));
  auto bad = training;
  bad[0].target = bad[0].target.slice(0, 0, 10);
  REQUIRE_THROWS_WITH(discgeom::train_segmenter(model, bad, training, quick_options()),
                      Catch::Contains("training[0]: image must be float (1, N0, N1, N2)"));
  discgeom::unet3d two(discgeom::unet3d_config{.out_channels = 2, .channels = {4, 8}});
  REQUIRE_THROWS_WITH(discgeom::train_segmenter(two, training, training, quick_options()),
                      Catch::Contains("must have one output channel (binary), it has 2"));
  const auto c = ellipsoid_case(0);
  const auto small = image<std::uint16_t>::filled({8, 8, 8}, c.mask.geometry, 0);
  REQUIRE_THROWS_WITH(discgeom::make_segmentation_volume(c.t1, small, {1.0, 1.0, 1.0}),
                      Catch::Contains("image has shape [24,24,24], mask has [8,8,8]"));
}

TEST_CASE("segmenter_io: a saved U-Net loads with its spacing and normalisation") {
  torch::manual_seed(5);
  discgeom::unet3d model(tiny_config);
  model->eval();
  const auto file = std::filesystem::temp_directory_path() /
                    ("discgeom_unet_" + std::to_string(::getpid()) + ".pt");
  const discgeom::segmenter_metadata metadata{
      .spacing = {1.4, 1.2, 1.5},
      .normalisation = {.method = discgeom::intensity_normalisation::zscore}};
  discgeom::save_segmenter(model, file, metadata);
  CHECK(discgeom::is_native_segmenter(file));
  CHECK_FALSE(discgeom::is_native_segmenter(DISCGEOM_TEST_DATA_DIR "/segmenter_tiny.pt"));
  auto loaded = discgeom::load_segmenter(file);
  CHECK(loaded.model->config().describe() == tiny_config.describe());
  CHECK(loaded.metadata.spacing == metadata.spacing);
  CHECK(loaded.metadata.normalisation.method == discgeom::intensity_normalisation::zscore);
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({1, 1, 12, 12, 12});
  CHECK(torch::equal(loaded.model->forward(x), model->forward(x)));

  // load_segmentation_model tells the two kinds apart.
  const auto native = discgeom::load_segmentation_model(file);
  CHECK(native.spacing == metadata.spacing);
  CHECK(torch::equal(native.predict(x), model->forward(x)));
  const auto scripted =
      discgeom::load_segmentation_model(DISCGEOM_TEST_DATA_DIR "/segmenter_tiny.pt");
  CHECK(scripted.spacing == discgeom::vec3{1.0, 1.0, 2.0});
  REQUIRE_THROWS_WITH(
      discgeom::load_segmentation_model(file, {.spacing = discgeom::vec3{1.0, 1.0, 1.0}}),
      Catch::Contains("works at spacing [1.4,1.2,1.5] mm, but spacing [1,1,1] mm was asked for"));
  std::filesystem::remove(file);

  const auto text = std::filesystem::temp_directory_path() /
                    ("discgeom_unet_text_" + std::to_string(::getpid()) + ".pt");
  std::ofstream(text) << "not a model";
  REQUIRE_THROWS_AS(discgeom::load_segmenter(text), discgeom::io_error);
  REQUIRE_THROWS_WITH(
      discgeom::load_segmenter(text),
      Catch::Contains(text.string()) && Catch::Contains("not a discgeom segmenter"));
  REQUIRE_THROWS_WITH(discgeom::load_segmentation_model(text),
                      Catch::Contains(text.string()) && Catch::Contains("not a TorchScript file"));
  std::filesystem::remove(text);
}

namespace {

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The entries of an archive's bytes (see discgeom::detail::zip_entries).
std::vector<discgeom::detail::zip_entry> entries_of(const std::string& bytes) {
  return discgeom::detail::zip_entries(std::as_bytes(std::span<const char>(bytes)), "archive",
                                       "test", "archive");
}

/// `bytes` with one byte flipped in the middle of the data of the first entry of `method` (0
/// stored, 8 deflated) and at least 16 bytes; returns that entry's name through `name`.
std::string flipped(std::string bytes, std::uint16_t method, std::string& name) {
  for (const auto& e : entries_of(bytes)) {
    if (e.method == method && e.compressed_size >= 16) {
      bytes[static_cast<std::size_t>(e.data_offset + e.compressed_size / 2)] ^= 0x10;
      name = e.name;
      return bytes;
    }
  }
  FAIL("no entry of method " << method);
  return bytes;
}

}  // namespace

TEST_CASE("segmenter_io: damaged native and TorchScript models are refused, naming the entry") {
  torch::manual_seed(6);
  discgeom::unet3d model(tiny_config);
  const auto file = std::filesystem::temp_directory_path() /
                    ("discgeom_unet_damaged_" + std::to_string(::getpid()) + ".pt");
  discgeom::save_segmenter(model, file, {.spacing = {1.0, 1.0, 2.0}});
  std::string entry;
  const std::string damaged = flipped(slurp(file), 0, entry);  // read before the rewrite
  std::ofstream(file, std::ios::binary | std::ios::trunc) << damaged;
  for (const auto& load :
       {+[](const std::filesystem::path& f) { (void)discgeom::load_segmenter(f); },
        +[](const std::filesystem::path& f) { (void)discgeom::load_segmentation_model(f); }}) {
    REQUIRE_THROWS_AS(load(file), discgeom::io_error);
    REQUIRE_THROWS_WITH(load(file), Catch::Contains(file.string() + ": damaged archive: entry '" +
                                                    entry + "' has CRC-32"));
  }
  CHECK_FALSE(discgeom::is_native_segmenter(file));
  REQUIRE_THROWS_AS(discgeom::save_segmenter(model, file, {.spacing = {1.0, 0.0, 2.0}}),
                    discgeom::precondition_error);

  // A TorchScript model from Python: a flipped byte in a stored tensor, and in deflated code.
  const std::string tiny = slurp(DISCGEOM_TEST_DATA_DIR "/segmenter_tiny.pt");
  for (const std::uint16_t method : {0, 8}) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << flipped(tiny, method, entry);
    REQUIRE_THROWS_WITH(discgeom::load_torchscript_segmenter(file),
                        Catch::Contains("load_torchscript_segmenter(): " + file.string()) &&
                            Catch::Contains("entry '" + entry + "'"));
    REQUIRE_THROWS_WITH(discgeom::load_segmentation_model(file),
                        Catch::Contains(file.string()) && Catch::Contains("entry '" + entry + "'"));
  }
  std::filesystem::remove(file);
}
