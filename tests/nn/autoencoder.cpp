// SPDX-License-Identifier: MIT
#include "discgeom/nn/autoencoder.hpp"

#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <torch/torch.h>
#include <catch2/catch.hpp>

#include "discgeom/latent/decode_and_measure.hpp"
#include "discgeom/nn/archive_file.hpp"
#include "discgeom/nn/autoencoder_io.hpp"
#include "discgeom/nn/bottleneck_sweep.hpp"
#include "discgeom/nn/latent_codec.hpp"
#include "discgeom/nn/train_autoencoder.hpp"

namespace {

const discgeom::autoencoder_config tiny{.input_size = 16, .channels = {8, 16}, .bottleneck = 4};

/// N ellipsoidal discs in a 16^3 cube: semi-axes growing with the index, as masks (N,1,16,16,16).
torch::Tensor disc_masks(std::int64_t count) {
  auto masks = torch::zeros({count, 1, 16, 16, 16});
  auto access = masks.accessor<float, 5>();
  for (std::int64_t n = 0; n < count; ++n) {
    const double a = 4.0 + 0.7 * static_cast<double>(n);      // LR
    const double b = 6.0 - 0.5 * static_cast<double>(n);      // AP
    const double c = 2.0 + 0.4 * static_cast<double>(n % 3);  // SI
    for (int i = 0; i < 16; ++i)
      for (int j = 0; j < 16; ++j)
        for (int k = 0; k < 16; ++k) {
          const double x = (i - 7.5) / a, y = (j - 7.5) / b, z = (k - 7.5) / c;
          access[n][0][i][j][k] = x * x + y * y + z * z <= 1.0 ? 1.0f : 0.0f;
        }
  }
  return masks;
}

discgeom::autoencoder3d seeded_model(const discgeom::autoencoder_config& config,
                                     std::uint64_t seed) {
  torch::manual_seed(seed);
  return discgeom::autoencoder3d(config);
}

std::filesystem::path scratch_file(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("discgeom_nn_" + std::to_string(::getpid()) + "_" + name);
}

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary) << bytes;
}

/// The largest stored entry of a LibTorch archive (a weight tensor's data).
discgeom::detail::zip_entry largest_stored_entry(const std::string& bytes) {
  const auto entries = discgeom::detail::zip_entries(std::as_bytes(std::span<const char>(bytes)),
                                                     "archive", "test", "archive");
  discgeom::detail::zip_entry largest;
  for (const auto& e : entries)
    if (e.method == 0 && e.size > largest.size)
      largest = e;
  REQUIRE(largest.size > 0);
  return largest;
}

/// `file` with one byte flipped in the middle of its largest stored entry; returns the entry.
std::string flip_weight_byte(const std::filesystem::path& file) {
  std::string bytes = slurp(file);
  const auto entry = largest_stored_entry(bytes);
  bytes[static_cast<std::size_t>(entry.data_offset + entry.size / 2)] ^= 0x40;
  spit(file, bytes);
  return entry.name;
}

}  // namespace

TEST_CASE("autoencoder3d: the paper's architecture and shapes") {
  const discgeom::autoencoder_config paper;
  CHECK(paper.input_size == 64);
  CHECK(paper.channels == std::vector<std::int64_t>{32, 64, 128, 256, 512});
  CHECK(paper.encoded_size() == 2);
  CHECK(paper.describe() == "input 64, channels 32-64-128-256-512, bottleneck 4");

  auto model = seeded_model(tiny, 1);
  const auto masks = disc_masks(3);
  const auto codes = model->encode(masks);
  CHECK(codes.sizes() == std::vector<std::int64_t>{3, 4});
  const auto logits = model->decode(codes);
  CHECK(logits.sizes() == std::vector<std::int64_t>{3, 1, 16, 16, 16});
  CHECK(model->forward(masks).sizes() == logits.sizes());
  // Encoder: 2 convolutions + 2 batch norms; decoder: 2 transposed convolutions + 1 batch norm.
  std::size_t convolutions = 0;
  for (const auto& m : model->modules(false)) {
    convolutions +=
        m->name() == "torch::nn::Conv3dImpl" || m->name() == "torch::nn::ConvTranspose3dImpl";
  }
  CHECK(convolutions == 4);
}

TEST_CASE("autoencoder3d: invalid configurations and inputs are refused") {
  REQUIRE_THROWS_WITH(
      discgeom::autoencoder3d(discgeom::autoencoder_config{.input_size = 18, .channels = {8, 16}}),
      Catch::Contains("autoencoder3d()") && Catch::Contains("input_size 18") &&
          Catch::Contains("2^2 = 4"));
  REQUIRE_THROWS_WITH(discgeom::autoencoder3d(discgeom::autoencoder_config{
                          .input_size = 16, .channels = {8}, .bottleneck = 0}),
                      Catch::Contains("bottleneck must be >= 1, got 0"));
  REQUIRE_THROWS_WITH(
      discgeom::autoencoder3d(discgeom::autoencoder_config{.input_size = 16, .channels = {}}),
      Catch::Contains("at least one stage"));
  auto model = seeded_model(tiny, 1);
  REQUIRE_THROWS_WITH(model->encode(torch::zeros({2, 1, 16, 16, 8})),
                      Catch::Contains("masks must be (N, 1, 16, 16, 16), got [2, 1, 16, 16, 8]"));
  REQUIRE_THROWS_WITH(model->encode(torch::zeros({2, 1, 16, 16, 16}, torch::kDouble)),
                      Catch::Contains("float32"));
  REQUIRE_THROWS_WITH(model->decode(torch::zeros({2, 3})), Catch::Contains("codes must be (N, 4)"));
}

TEST_CASE("train_autoencoder: a tiny model overfits a handful of discs") {
  const auto masks = disc_masks(6);
  auto model = seeded_model(tiny, 3);
  std::vector<discgeom::autoencoder_epoch> seen;
  const auto result = discgeom::train_autoencoder(
      model, masks,
      {.learning_rate = 1e-2,
       .max_epochs = 300,
       .target_iou = 0.95,
       .seed = 5,
       .threads = 1,
       .on_epoch = [&](const discgeom::autoencoder_epoch& e) { seen.push_back(e); }});
  CHECK(result.converged);
  CHECK(result.final_iou >= 0.95);
  CHECK(result.epochs == static_cast<std::int64_t>(result.history.size()));
  CHECK(seen.size() == result.history.size());
  CHECK(result.per_mask_iou.size() == 6);
  CHECK(result.history.front().loss > result.history.back().loss);
  INFO("epochs " << result.epochs);
  CHECK(result.epochs < 1000);
}

TEST_CASE(
    "train_autoencoder: seeded runs repeat, and a resumed run ends where an uninterrupted one "
    "does") {
  const auto masks = disc_masks(5);
  const discgeom::autoencoder_training_options base{
      .learning_rate = 5e-3, .max_epochs = 6, .target_iou = 1.0, .seed = 11, .threads = 1};
  auto a = seeded_model(tiny, 7);
  const auto full = discgeom::train_autoencoder(a, masks, base);
  auto b = seeded_model(tiny, 7);
  const auto again = discgeom::train_autoencoder(b, masks, base);
  REQUIRE(full.history.size() == 6);
  for (std::size_t e = 0; e < 6; ++e) {
    CHECK(again.history[e].loss == full.history[e].loss);
    CHECK(again.history[e].mean_iou == full.history[e].mean_iou);
  }

  const auto checkpoint = scratch_file("resume.pt");
  auto first_half = base;
  first_half.max_epochs = 3;
  first_half.checkpoint = checkpoint;
  auto c = seeded_model(tiny, 7);
  discgeom::train_autoencoder(c, masks, first_half);
  auto resumed_options = base;
  resumed_options.checkpoint = checkpoint;
  resumed_options.resume = true;
  auto d = seeded_model(tiny, 99);  // other initial weights: the checkpoint replaces them
  const auto resumed = discgeom::train_autoencoder(d, masks, resumed_options);
  REQUIRE(resumed.history.size() == 6);
  for (std::size_t e = 0; e < 6; ++e) {
    CHECK(resumed.history[e].loss == full.history[e].loss);
    CHECK(resumed.history[e].mean_iou == full.history[e].mean_iou);
  }
  const auto pa = a->parameters();
  const auto pd = d->parameters();
  for (std::size_t i = 0; i < pa.size(); ++i) {
    CHECK(torch::equal(pa[i], pd[i]));
  }
  std::filesystem::remove(checkpoint);
}

TEST_CASE("train_autoencoder: damaged or foreign checkpoints are refused, naming the file") {
  const auto masks = disc_masks(2);
  const auto checkpoint = scratch_file("foreign.pt");
  auto model = seeded_model(tiny, 1);
  discgeom::train_autoencoder(model, masks,
                              {.max_epochs = 1, .threads = 1, .checkpoint = checkpoint});
  REQUIRE(std::filesystem::exists(checkpoint));
  CHECK_FALSE(std::filesystem::exists(checkpoint.string() + ".partial"));

  auto other_config = tiny;
  other_config.bottleneck = 3;
  auto other = seeded_model(other_config, 1);
  REQUIRE_THROWS_WITH(
      discgeom::train_autoencoder(other, masks,
                                  {.max_epochs = 2, .checkpoint = checkpoint, .resume = true}),
      Catch::Contains(checkpoint.string()) &&
          Catch::Contains("holds a model of input 16, channels 8-16, bottleneck 4, not input 16, "
                          "channels 8-16, bottleneck 3"));
  REQUIRE_THROWS_WITH(
      discgeom::train_autoencoder(
          model, masks, {.max_epochs = 2, .seed = 4, .checkpoint = checkpoint, .resume = true}),
      Catch::Contains("was trained with seed 0, not 4"));

  const auto size = std::filesystem::file_size(checkpoint);
  std::filesystem::resize_file(checkpoint, size / 2);
  REQUIRE_THROWS_AS(discgeom::train_autoencoder(
                        model, masks, {.max_epochs = 2, .checkpoint = checkpoint, .resume = true}),
                    discgeom::io_error);
  REQUIRE_THROWS_WITH(
      discgeom::train_autoencoder(model, masks,
                                  {.max_epochs = 2, .checkpoint = checkpoint, .resume = true}),
      Catch::Contains(checkpoint.string()) && Catch::Contains("not a readable checkpoint"));
  std::filesystem::remove(checkpoint);

  REQUIRE_THROWS_WITH(
      discgeom::train_autoencoder(model, torch::zeros({2, 1, 8, 8, 8})),
      Catch::Contains("masks must be (N >= 1, 1, 16, 16, 16), got [2, 1, 8, 8, 8]"));
  REQUIRE_THROWS_WITH(discgeom::train_autoencoder(model, masks, {.batch_size = 0}),
                      Catch::Contains("options.batch_size"));
}

TEST_CASE("save_autoencoder and load_autoencoder: a round trip, and foreign files refused") {
  auto model = seeded_model(tiny, 2);
  const auto masks = disc_masks(3);
  discgeom::train_autoencoder(model, masks, {.max_epochs = 2, .threads = 1});
  model->eval();
  const auto file = scratch_file("model.pt");
  discgeom::save_autoencoder(model, file);
  CHECK_FALSE(std::filesystem::exists(file.string() + ".partial"));
  auto loaded = discgeom::load_autoencoder(file, tiny);
  CHECK(loaded->config().describe() == tiny.describe());
  torch::NoGradGuard no_grad;
  CHECK(torch::equal(loaded->forward(masks), model->forward(masks)));  // BatchNorm statistics too

  CHECK_FALSE(discgeom::load_autoencoder_file(file).crop_spacing.has_value());
  discgeom::save_autoencoder(model, file, discgeom::vec3{1.4, 1.2, 1.5});
  const auto with_spacing = discgeom::load_autoencoder_file(file, tiny);
  REQUIRE(with_spacing.crop_spacing.has_value());
  CHECK(*with_spacing.crop_spacing == discgeom::vec3{1.4, 1.2, 1.5});

  auto other = tiny;
  other.bottleneck = 8;
  REQUIRE_THROWS_WITH(discgeom::load_autoencoder(file, other),
                      Catch::Contains(file.string()) && Catch::Contains("bottleneck 4, not") &&
                          Catch::Contains("bottleneck 8"));
  std::filesystem::resize_file(file, std::filesystem::file_size(file) / 3);
  REQUIRE_THROWS_WITH(
      discgeom::load_autoencoder(file),
      Catch::Contains(file.string()) && Catch::Contains("not a discgeom autoencoder"));
  std::filesystem::remove(file);
  REQUIRE_THROWS_WITH(discgeom::load_autoencoder(file), Catch::Contains("no such file"));
  const auto text = scratch_file("text.pt");
  std::ofstream(text) << "not a model";
  REQUIRE_THROWS_AS(discgeom::load_autoencoder(text), discgeom::io_error);
  std::filesystem::remove(text);
}

TEST_CASE("encode_masks and autoencoder_decoder plug into the latent-space analysis") {
  const auto masks = disc_masks(6);
  auto model = seeded_model(tiny, 3);
  discgeom::train_autoencoder(
      model, masks,
      {.learning_rate = 1e-2, .max_epochs = 1000, .target_iou = 0.95, .seed = 5, .threads = 1});
  const auto columns = discgeom::encode_masks(model, masks, 4);
  REQUIRE(columns.size() == 4);
  REQUIRE(columns[0].size() == 6);
  torch::NoGradGuard no_grad;
  model->eval();
  const auto direct = model->encode(masks);
  CHECK(columns[2][5] == Approx(direct[5][2].item<double>()).epsilon(1e-6));

  // Decoding the code of mask 4 gives mask 4 back (the model reproduces its training set).
  const discgeom::image_geometry crop{.spacing = {1.4, 1.2, 1.5}};
  discgeom::autoencoder_decoder decode(model, crop);
  std::vector<double> code(4);
  for (std::size_t f = 0; f < 4; ++f)
    code[f] = columns[f][4];
  const auto decoded = decode(code);
  CHECK(decoded.geometry.spacing == crop.spacing);
  double both = 0, either = 0;
  for (std::int64_t i = 0; i < 16; ++i)
    for (std::int64_t j = 0; j < 16; ++j)
      for (std::int64_t k = 0; k < 16; ++k) {
        const bool truth = masks[4][0][i][j][k].item<float>() > 0.5f;
        const bool mine = decoded.voxels(i, j, k) != 0;
        both += truth && mine;
        either += truth || mine;
      }
  CHECK(both / either > 0.9);
  REQUIRE_THROWS_WITH(decode(std::vector<double>{1.0, 2.0}),
                      Catch::Contains("the code has 2 values, the model's bottleneck 4"));

  // The whole step 6 in one call, on the trained decoder.
  const auto study = discgeom::study_traversal(columns, decode, {.traversal = {.steps = 4}});
  CHECK(study.measures.size() == 16);
  CHECK(study.correlations.size() == 4 * discgeom::disc_geometric_features.size());
}

TEST_CASE("sweep_bottlenecks: one model per size, converged or not, IoU with its interval") {
  const auto masks = disc_masks(6);
  std::vector<std::int64_t> announced;
  const auto results = discgeom::sweep_bottlenecks(
      masks, tiny, {1, 6},
      {.training =
           {.learning_rate = 1e-2, .max_epochs = 400, .target_iou = 0.95, .seed = 5, .threads = 1},
       .initialisation_seed = 3,
       .on_size = [&](std::int64_t b) { announced.push_back(b); }});
  REQUIRE(results.size() == 2);
  CHECK(announced == std::vector<std::int64_t>{1, 6});
  for (const auto& r : results) {
    INFO("bottleneck " << r.bottleneck << " epochs " << r.epochs << " IoU " << r.iou.mean);
    CHECK(r.iou.n == 6);
    CHECK(r.iou.t_low <= r.iou.mean);
    CHECK(r.iou.mean <= r.iou.t_high);
    CHECK(r.epochs == static_cast<std::int64_t>(r.history.size()));
    CHECK(r.converged == (r.iou.mean >= 0.95));
  }
  CHECK(results[1].converged);  // six discs, six latent features: it must fit them

  // With a folder, each size's model is kept there with the crop spacing.
  const auto folder = scratch_file("sweep");
  const auto kept = discgeom::sweep_bottlenecks(masks, tiny, {2},
                                                {.training = {.max_epochs = 1, .threads = 1},
                                                 .folder = folder,
                                                 .crop_spacing = discgeom::vec3{1.5, 1.5, 2.0}});
  const auto file = discgeom::load_autoencoder_file(folder / "bottleneck_2.pt");
  CHECK(file.model->config().bottleneck == 2);
  REQUIRE(file.crop_spacing.has_value());
  CHECK(*file.crop_spacing == discgeom::vec3{1.5, 1.5, 2.0});
  std::filesystem::remove_all(folder);
  REQUIRE_THROWS_WITH(discgeom::sweep_bottlenecks(masks, tiny, {4, 0}),
                      Catch::Contains("sizes[1] must be >= 1, got 0"));
}

TEST_CASE("train_autoencoder: a CUDA device without CUDA is refused, not ignored") {
  if (torch::cuda::is_available()) {
    SUCCEED("this LibTorch has CUDA: the refusal cannot be shown here");
    return;
  }
  auto model = seeded_model(tiny, 1);
  REQUIRE_THROWS_WITH(
      discgeom::train_autoencoder(model, disc_masks(2), {.max_epochs = 1, .device = torch::kCUDA}),
      Catch::Contains("options.device cuda") && Catch::Contains("has no CUDA"));
}

TEST_CASE("crc32: zlib's CRC-32 of the check string, and of an empty and a long input") {
  const std::string check = "123456789";
  CHECK(discgeom::detail::crc32(std::as_bytes(std::span<const char>(check))) == 0xCBF43926U);
  CHECK(discgeom::detail::crc32({}) == 0U);
  std::string long_text(1000, '\0');
  for (std::size_t i = 0; i < long_text.size(); ++i)
    long_text[i] = static_cast<char>(i * 7 + 3);
  const auto whole = discgeom::detail::crc32(std::as_bytes(std::span<const char>(long_text)));
  const auto first = discgeom::detail::crc32(std::as_bytes(std::span<const char>(long_text).first(333)));
  CHECK(discgeom::detail::crc32(std::as_bytes(std::span<const char>(long_text).subspan(333)),
                                first) == whole);
}

TEST_CASE("load_autoencoder: a flipped byte is refused naming the file and the zip entry") {
  auto model = seeded_model(tiny, 3);
  const auto file = scratch_file("flipped.pt");
  discgeom::save_autoencoder(model, file, discgeom::vec3{2.0, 2.0, 1.0});
  REQUIRE_NOTHROW(discgeom::load_autoencoder(file));
  const std::string good = slurp(file);
  const std::string entry = flip_weight_byte(file);
  REQUIRE_THROWS_AS(discgeom::load_autoencoder(file), discgeom::io_error);
  REQUIRE_THROWS_WITH(discgeom::load_autoencoder(file),
                      Catch::Contains("load_autoencoder(): " + file.string() +
                                      ": damaged archive: entry '" + entry + "' has CRC-32") &&
                          Catch::Contains("the central directory records"));
  // The central directory's record damaged instead: the same refusal.
  std::string bad = good;
  const auto central = bad.rfind("PK\x01\x02");
  REQUIRE(central != std::string::npos);
  bad[central + 16] ^= 0x01;  // the CRC-32 field of the last entry
  spit(file, bad);
  REQUIRE_THROWS_WITH(discgeom::load_autoencoder(file), Catch::Contains("has CRC-32"));
  // Cut: no end record; a zero-length file.
  spit(file, good.substr(0, good.size() - 30));
  REQUIRE_THROWS_WITH(discgeom::load_autoencoder(file),
                      Catch::Contains(file.string()) &&
                          Catch::Contains("not a discgeom autoencoder (truncated"));
  spit(file, "");
  REQUIRE_THROWS_AS(discgeom::load_autoencoder(file), discgeom::io_error);
  std::filesystem::remove(file);
}

TEST_CASE("load_autoencoder: tensors of another shape, non-finite weights, a zero spacing") {
  const auto file = scratch_file("shapes.pt");
  auto model = seeded_model(tiny, 4);
  // The weights of a bottleneck-3 model under the config of a bottleneck-4 one.
  auto other_config = tiny;
  other_config.bottleneck = 3;
  auto other = seeded_model(other_config, 4);
  {
    torch::serialize::OutputArchive archive;
    archive.write("format", torch::tensor(std::int64_t{1}, torch::kLong));
    archive.write("config", discgeom::detail::config_tensor(tiny));
    torch::serialize::OutputArchive weights;
    other->save(weights);
    archive.write("model", weights);
    discgeom::detail::save_archive_atomically(archive, file, "test");
  }
  REQUIRE_THROWS_WITH(discgeom::load_autoencoder(file),
                      Catch::Contains(file.string()) &&
                          Catch::Contains("model/to_latent.weight is [3,") &&
                          Catch::Contains("the architecture has [4,"));
  // A config that is no architecture.
  {
    torch::serialize::OutputArchive archive;
    archive.write("config", torch::tensor(std::vector<double>{16.0, 0.5}, torch::kDouble));
    discgeom::detail::save_archive_atomically(archive, file, "test");
  }
  REQUIRE_THROWS_WITH(discgeom::load_autoencoder(file),
                      Catch::Contains(file.string()) && Catch::Contains("'config' holds"));
  // A NaN weight.
  {
    torch::NoGradGuard no_grad;
    model->named_parameters()["encoder.0.weight"].view(-1)[5] =
        std::numeric_limits<float>::quiet_NaN();
  }
  discgeom::save_autoencoder(model, file);
  REQUIRE_THROWS_WITH(discgeom::load_autoencoder(file),
                      Catch::Contains("model/encoder.0.weight holds non-finite values"));
  // A crop spacing [2, 0, 1]: refused when saved, and when read.
  auto clean = seeded_model(tiny, 4);
  REQUIRE_THROWS_AS(discgeom::save_autoencoder(clean, file, discgeom::vec3{2.0, 0.0, 1.0}),
                    discgeom::precondition_error);
  {
    torch::serialize::OutputArchive archive;
    archive.write("format", torch::tensor(std::int64_t{1}, torch::kLong));
    archive.write("config", discgeom::detail::config_tensor(tiny));
    archive.write("crop_spacing", torch::tensor(std::vector<double>{2.0, 0.0, 1.0}));
    torch::serialize::OutputArchive weights;
    clean->save(weights);
    archive.write("model", weights);
    discgeom::detail::save_archive_atomically(archive, file, "test");
  }
  REQUIRE_THROWS_WITH(discgeom::load_autoencoder_file(file),
                      Catch::Contains(file.string()) &&
                          Catch::Contains("'crop_spacing' is [2,0,1] mm, not three positive"));
  std::filesystem::remove(file);
}

TEST_CASE("train_autoencoder: a checkpoint with a flipped byte is refused, naming the entry") {
  const auto masks = disc_masks(2);
  const auto checkpoint = scratch_file("flipped_checkpoint.pt");
  auto model = seeded_model(tiny, 1);
  discgeom::train_autoencoder(model, masks,
                              {.max_epochs = 1, .threads = 1, .checkpoint = checkpoint});
  const std::string entry = flip_weight_byte(checkpoint);
  REQUIRE_THROWS_WITH(
      discgeom::train_autoencoder(model, masks,
                                  {.max_epochs = 2, .checkpoint = checkpoint, .resume = true}),
      Catch::Contains("train_autoencoder(): " + checkpoint.string()) &&
          Catch::Contains("entry '" + entry + "' has CRC-32"));
  std::filesystem::remove(checkpoint);
}

TEST_CASE("torch_error_message: LibTorch's message without its backtrace, one line") {
  try {
    TORCH_CHECK(false, "the first line\nthe second");
  } catch (const std::exception& e) {
    CHECK(std::string(e.what()).find('\n') != std::string::npos);
    CHECK(discgeom::detail::torch_error_message(e) == "the first line");
  }
  const std::runtime_error plain("plain\nmore");
  CHECK(discgeom::detail::torch_error_message(plain) == "plain");
}
