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

#include "discgeom/io/npy.hpp"
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

namespace {

// An npy array (float32, 3D) as a tensor of the same shape, element [i][j][k].
torch::Tensor npy_tensor(const std::string& name) {
  const auto img = discgeom::read_npy<float>(std::string(DISCGEOM_TEST_DATA_DIR "/") + name);
  const auto s = img.shape();
  auto t = torch::empty({static_cast<std::int64_t>(s[0]), static_cast<std::int64_t>(s[1]),
                         static_cast<std::int64_t>(s[2])});
  auto a = t.accessor<float, 3>();
  for (std::size_t i = 0; i < s[0]; ++i)
    for (std::size_t j = 0; j < s[1]; ++j)
      for (std::size_t k = 0; k < s[2]; ++k)
        a[static_cast<std::int64_t>(i)][static_cast<std::int64_t>(j)]
         [static_cast<std::int64_t>(k)] = img.voxels(i, j, k);
  return t;
}

const discgeom::unet3d_config tiny_2d{
    .in_channels = 1, .out_channels = 1, .channels = {4, 8}, .dimensions = 2};

}  // namespace

TEST_CASE("unet3d 2D: the same 2D U-Net built in python3-torch, same weights, logits to 1e-5") {
  // tests/golden/make_unet2d_golden.py: Conv2d / InstanceNorm2d / MaxPool2d / ConvTranspose2d.
  torch::manual_seed(0);
  discgeom::unet3d model(tiny_2d);
  CHECK(model->config().describe() == "in 1, out 1, channels 4-8, 2D");
  const auto flat = npy_tensor("unet2d_weights.npy").flatten();
  {
    torch::NoGradGuard no_grad;
    std::int64_t at = 0;
    for (auto& p : model->parameters()) {
      const auto n = p.numel();
      REQUIRE(at + n <= flat.size(0));
      p.copy_(flat.slice(0, at, at + n).view(p.sizes()));
      at += n;
    }
    CHECK(at == flat.size(0));
  }
  model->eval();
  torch::NoGradGuard no_grad;
  const auto slices = npy_tensor("unet2d_input.npy");  // (2, 12, 9): two slices
  const auto expected = npy_tensor("unet2d_logits.npy");
  // The two slices as the depth of one volume (1, 1, 2, 12, 9): each is segmented alone.
  const auto out = model->forward(slices.unsqueeze(0).unsqueeze(0));
  REQUIRE(out.sizes() == torch::IntArrayRef({1, 1, 2, 12, 9}));
  CHECK((out[0][0] - expected).abs().max().item<float>() < 1e-5f);
  const auto second = model->forward(slices.slice(0, 1, 2).unsqueeze(0).unsqueeze(0));
  CHECK((second[0][0][0] - expected[1]).abs().max().item<float>() < 1e-5f);
  // As a segmentation model it takes (N, C, H, W) slices, as a 2D TorchScript model.
  const auto as_model = discgeom::as_segmentation_model(
      model,
      {.spacing = {4.0, 0.5, 0.5},
       .slices = discgeom::slice_orientation{.plane = discgeom::anatomical_plane::sagittal}});
  CHECK(as_model.dimensions == 2);
  CHECK(*as_model.slice_spacing == std::array<double, 2>{0.5, 0.5});
  CHECK((as_model.predict(slices.unsqueeze(1)).squeeze(1) - expected).abs().max().item<float>() <
        1e-5f);
  REQUIRE_THROWS_WITH(discgeom::unet3d(discgeom::unet3d_config{.dimensions = 4}),
                      Catch::Contains("dimensions must be 2 or 3, got 4"));
}

TEST_CASE("train_segmenter 2D: the loss falls, early stopping, saved and run by segment") {
  // The ellipsoid volumes, trained on as slices along array axis 0 with patches 1 x 16 x 16.
  const auto training = volumes(0, 3), validation = volumes(10, 1);
  torch::manual_seed(11);
  discgeom::unet3d model(tiny_2d);
  auto options = quick_options();
  options.patch = {1, 16, 16};
  options.batch_size = 8;
  options.batches_per_epoch = 8;
  options.learning_rate = 0.03;
  options.max_epochs = 16;
  const auto result = discgeom::train_segmenter(model, training, validation, options);
  REQUIRE(result.history.size() == 16);
  CHECK(result.history.back().loss < 0.5 * result.history.front().loss);
  CHECK(result.best_dice > 0.8);
  const discgeom::sliding_window_options window{.patch = {1, 16, 16}, .overlap = 0.25};
  const auto scores = discgeom::detail::validation_scores(model, validation, window);
  CHECK(scores[0] == Approx(result.best_iou));

  // Saved with its plane, loaded as a 2D model, segment runs it slice by slice: here the
  // sagittal slices of an LPS image are those of array axis 0, as in training.
  const auto file = std::filesystem::temp_directory_path() /
                    ("discgeom_unet2d_" + std::to_string(::getpid()) + ".pt");
  discgeom::save_segmenter(
      model, file,
      {.spacing = {1.0, 1.0, 1.0},
       .patch = {1, 16, 16},
       .slices = discgeom::slice_orientation{.plane = discgeom::anatomical_plane::sagittal}});
  const auto loaded = discgeom::load_segmenter(file);
  CHECK(loaded.model->config().dimensions == 2);
  REQUIRE(loaded.metadata.slices.has_value());
  CHECK(loaded.metadata.slices->describe() == "sagittal");
  const auto native = discgeom::load_segmentation_model(file);
  CHECK(native.dimensions == 2);
  CHECK_FALSE(native.spacing.has_value());
  const auto held_out = ellipsoid_case(20);
  const auto seg = discgeom::segment(
      held_out.t1, native,
      {.window = {.patch = {1, 16, 16}}, .labels = discgeom::segmentation_labels::spider_discs});
  CHECK(seg.windows == 24 * 4);  // 24 slices, 2 x 2 windows in each
  std::size_t both = 0, predicted = 0, truth = 0;
  for (std::size_t n = 0; n < seg.labels.voxels.size(); ++n) {
    const bool p = seg.labels.voxels.data()[n] != 0, t = held_out.mask.voxels.data()[n] != 0;
    both += p && t;
    predicted += p;
    truth += t;
  }
  CHECK(2.0 * static_cast<double>(both) / static_cast<double>(predicted + truth) > 0.8);
  std::filesystem::remove(file);

  // A learning rate far too high: the IoU stops improving and training stops `patience` epochs
  // after the best one, as for the 3D U-Net.
  options.max_epochs = 40;
  options.patience = 1;
  options.learning_rate = 0.5;
  options.batch_size = 2;
  options.batches_per_epoch = 2;
  torch::manual_seed(3);
  discgeom::unet3d unstable(tiny_2d);
  const auto stopped = discgeom::train_segmenter(unstable, training, validation, options);
  REQUIRE(stopped.stopped_early);
  CHECK(stopped.epochs == stopped.best_epoch + 1);
  // A 3D U-Net still needs patches of at least 4 along every axis.
  discgeom::unet3d volume_model(tiny_config);
  REQUIRE_THROWS_WITH(discgeom::train_segmenter(volume_model, training, validation, options),
                      Catch::Contains("options.patch edges must be >= 4 (the first >= 4 for a "
                                      "3D U-Net), got [1,16,16]"));
}
