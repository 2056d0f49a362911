// SPDX-License-Identifier: MIT
// An autoencoder built and trained in Python PyTorch, imported from TorchScript
// (tests/golden/make_torchscript_golden.py wrote the model, an input and Python's outputs).
#include "discgeom/nn/torchscript_import.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <string>

#include <torch/torch.h>
#include <catch2/catch.hpp>

#include "discgeom/io/npy.hpp"
#include "discgeom/nn/autoencoder_io.hpp"

namespace {

torch::Tensor read_tensor(const char* name, std::vector<std::int64_t> shape) {
  const auto img = discgeom::read_npy<float>(std::string(DISCGEOM_TEST_DATA_DIR "/") + name);
  const auto s = img.shape();
  auto flat = torch::empty({static_cast<std::int64_t>(s[0] * s[1] * s[2])});
  std::int64_t n = 0;
  for (std::size_t i = 0; i < s[0]; ++i)
    for (std::size_t j = 0; j < s[1]; ++j)
      for (std::size_t k = 0; k < s[2]; ++k)
        flat[n++] = img.voxels(i, j, k);
  return flat.view(shape);
}

}  // namespace

TEST_CASE("torchscript: a model trained in Python reproduces Python's outputs") {
  auto model =
      discgeom::import_torchscript_autoencoder(DISCGEOM_TEST_DATA_DIR "/torchscript_tiny.pt");
  CHECK(model->config().describe() == "input 16, channels 4-8, bottleneck 3");
  CHECK_FALSE(model->is_training());
  const auto input = read_tensor("torchscript_input.npy", {2, 1, 16, 16, 16});
  const auto codes = read_tensor("torchscript_codes.npy", {2, 3});
  const auto logits = read_tensor("torchscript_logits.npy", {2, 1, 16, 16, 16});
  torch::NoGradGuard no_grad;
  const auto our_codes = model->encode(input);
  const auto our_logits = model->forward(input);
  CHECK(torch::allclose(our_codes, codes, 1e-5, 1e-5));
  CHECK(torch::allclose(our_logits, logits, 1e-5, 1e-5));
  CHECK((our_logits - logits).abs().max().item<float>() < 1e-5f);

  // It then saves and loads as any discgeom model.
  const auto file = std::filesystem::temp_directory_path() /
                    ("discgeom_ts_" + std::to_string(::getpid()) + ".pt");
  discgeom::save_autoencoder(model, file);
  auto again = discgeom::load_autoencoder(file);
  CHECK(torch::allclose(again->forward(input), logits, 1e-5, 1e-5));
  std::filesystem::remove(file);
}

TEST_CASE("torchscript: files that are not such a model are refused, naming the file") {
  const auto text = std::filesystem::temp_directory_path() /
                    ("discgeom_ts_text_" + std::to_string(::getpid()) + ".pt");
  std::ofstream(text) << "not a model";
  REQUIRE_THROWS_WITH(discgeom::import_torchscript_autoencoder(text),
                      Catch::Contains(text.string()) && Catch::Contains("not a TorchScript file"));
  std::filesystem::remove(text);
  // A discgeom model file is a serialized archive, not a scripted module with an encoder.
  torch::manual_seed(1);
  discgeom::autoencoder3d model(
      discgeom::autoencoder_config{.input_size = 16, .channels = {4}, .bottleneck = 2});
  const auto ours = std::filesystem::temp_directory_path() /
                    ("discgeom_ts_ours_" + std::to_string(::getpid()) + ".pt");
  discgeom::save_autoencoder(model, ours);
  REQUIRE_THROWS_AS(discgeom::import_torchscript_autoencoder(ours), discgeom::io_error);
  std::filesystem::remove(ours);
}

TEST_CASE("torchscript: a flipped byte in a Python model is refused, naming the entry") {
  const std::string path = DISCGEOM_TEST_DATA_DIR "/torchscript_tiny.pt";
  std::ifstream in(path, std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const auto entries = discgeom::detail::zip_entries(std::as_bytes(std::span<const char>(bytes)),
                                                     path, "test", "archive");
  const discgeom::detail::zip_entry* weight = nullptr;
  for (const auto& e : entries)
    if (e.method == 0 && (weight == nullptr || e.size > weight->size))
      weight = &e;
  REQUIRE(weight != nullptr);
  bytes[static_cast<std::size_t>(weight->data_offset + weight->size / 2)] ^= 0x01;
  const auto damaged = std::filesystem::temp_directory_path() /
                       ("discgeom_ts_damaged_" + std::to_string(::getpid()) + ".pt");
  std::ofstream(damaged, std::ios::binary) << bytes;
  REQUIRE_THROWS_WITH(discgeom::import_torchscript_autoencoder(damaged),
                      Catch::Contains("import_torchscript_autoencoder(): " + damaged.string()) &&
                          Catch::Contains("entry '" + weight->name + "' has CRC-32"));
  std::filesystem::remove(damaged);
}
