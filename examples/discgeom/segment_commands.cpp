// SPDX-License-Identifier: MIT
// `discgeom segment` and `discgeom train-seg`: compiled against LibTorch (docs/cli.md,
// docs/segmentation.md).
#include "segment_commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include "arguments.hpp"
#include "crops.hpp"
#include "discgeom/io/image_io.hpp"
#include "discgeom/nn/archive_file.hpp"
#include "discgeom/nn/segmenter.hpp"
#include "discgeom/nn/segmenter_io.hpp"
#include "discgeom/nn/train_segmenter.hpp"
#include "discgeom/nn/unet3d.hpp"
#include "inputs.hpp"
#include "outputs.hpp"
#include "progress.hpp"
#include "table.hpp"

namespace discgeom::cli {

namespace fs = std::filesystem;

namespace {

int default_threads() {
  return static_cast<int>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
}

bool has_image_extension(const fs::path& path) {
  return case_name(path) != path.filename().string();
}

/// A 3D image read as T with the overrides applied.
template <class T>
image<T> read_3d(const fs::path& file, const char* command,
                 const geometry_overrides& overrides = {}) {
  const auto header = read_image_header(file);
  if (header.dimensions != 3)
    throw io_error(file.string() + ": the image is " + std::to_string(header.dimensions) + "D; " +
                   command + " needs a 3D volume");
  auto img = read_image<T>(file, {.max_voxels = overrides.max_voxels});
  overrides.apply(img.geometry);
  return img;
}

segmentation_model load_model(const fs::path& file, const segment_cli_options& options) {
  auto model = load_segmentation_model(file, {.spacing = options.model_spacing});
  if (model.input_channels != 1)
    throw precondition_error(file.string() + ": the model expects " +
                             std::to_string(model.input_channels) +
                             " input channels, the images have 1");
  return model;
}

segment_summary segment_with(const segmentation_model& model, const fs::path& image_file,
                             const fs::path& output, const segment_cli_options& options) {
  const auto t1 = read_3d<float>(image_file, "segment", options.overrides);
  segmentation_options settings;
  settings.window.patch = options.patch ? *options.patch
                          : model.patch ? *model.patch
                                        : std::array<std::int64_t, 3>{96, 96, 96};
  if (!options.slice_plane.empty())
    settings.slices = parse_slice_orientation(options.slice_plane, "segment");
  const auto& slices = settings.slices ? settings.slices : model.slices;
  if (model.dimensions == 2 && !options.patch && model.patch && slices) {
    // A native 2D U-Net's training patch is (1, H, W): H and W onto the in-plane array axes.
    const std::size_t axis = slices->axis(t1.geometry);
    const auto plane = detail::in_plane_axes(axis);
    settings.window.patch[axis] = 1;
    settings.window.patch[plane[0]] = (*model.patch)[1];
    settings.window.patch[plane[1]] = (*model.patch)[2];
  }
  settings.window.overlap = options.overlap;
  if (options.normalise) {
    normalisation_options n;
    n.method = *options.normalise;
    settings.normalisation = n;
  }
  settings.threads = options.threads;
  settings.labels = options.labels == segment_labels::classes ? segmentation_labels::classes
                                                              : segmentation_labels::spider_discs;
  settings.minimum_disc_voxels = options.min_disc_voxels;
  settings.keep_largest_component = options.cleanup;
  settings.fill_holes = options.cleanup;
  settings.smoothing_radius_mm = options.smooth_mm;
  segmentation_result result;
  try {
    result = segment(t1, model, settings);
  } catch (const precondition_error& e) {
    throw precondition_error(image_file.string() + ": " + e.what());
  } catch (const error&) {
    throw;
  } catch (const std::exception& e) {  // the model's own (LibTorch) error: its first line
    throw precondition_error(image_file.string() +
                             ": the model failed on it: " + detail::torch_error_message(e));
  }
  if (output.has_parent_path())
    fs::create_directories(output.parent_path());
  write_image(output, result.labels);  // through <case>.partial<ext>, checked, renamed
  segment_summary summary;
  summary.discs = result.discs;
  summary.windows = result.windows;
  summary.status = to_string(result.status);
  for (const auto v : result.labels.voxels)
    summary.foreground_voxels += v != 0 ? 1 : 0;
  return summary;
}

/// The pairs of train-seg: (case, image, mask), sorted by case.
struct training_pair {
  std::string name;
  fs::path image, mask;
};

std::vector<training_pair> find_pairs(const fs::path& images, const fs::path& masks,
                                      const std::string& suffix) {
  if (!fs::is_directory(images))
    throw io_error(images.string() + ": not a folder");
  if (!fs::is_directory(masks))
    throw io_error(masks.string() + ": not a folder");
  const bool same = fs::equivalent(images, masks);
  std::vector<training_pair> pairs;
  for (const auto& entry : fs::directory_iterator(images)) {
    if (!entry.is_regular_file() || !has_image_extension(entry.path()))
      continue;
    const std::string base = case_name(entry.path());
    const bool suffixed = !suffix.empty() && base.size() > suffix.size() &&
                          base.compare(base.size() - suffix.size(), suffix.size(), suffix) == 0;
    if (same && !suffixed)
      continue;  // a mask beside its image
    const std::string name = suffixed ? base.substr(0, base.size() - suffix.size()) : base;
    fs::path mask;
    for (const std::string ext : {".nii.gz", ".nii", ".mha", ".mhd", ".nrrd", ".nhdr"}) {
      if (fs::is_regular_file(masks / (name + ext))) {
        mask = masks / (name + ext);
        break;
      }
    }
    if (mask.empty())
      throw io_error(entry.path().string() + ": no mask " + name + ".nii.gz (or .nii, .mha, " +
                     ".mhd, .nrrd, .nhdr) in " + masks.string());
    pairs.push_back({name, entry.path(), mask});
  }
  std::sort(pairs.begin(), pairs.end(),
            [](const training_pair& a, const training_pair& b) { return a.name < b.name; });
  return pairs;
}

/// Progress per epoch (progress.hpp): on a terminal a redrawn line, plain lines otherwise.
class epoch_progress {
 public:
  epoch_progress(std::int64_t epochs, bool quiet) : log_("train-seg", epochs, quiet) {}
  void operator()(const segmentation_epoch& e) {
    char text[128];
    std::snprintf(text, sizeof text, "loss %.4f validation IoU %.4f Dice %.4f", e.loss,
                  e.validation_iou, e.validation_dice);
    log_.epoch(e.epoch, text);
  }

 private:
  epoch_log log_;
};

}  // namespace

segment_summary segment_file(const fs::path& model, const fs::path& image, const fs::path& output,
                             const segment_cli_options& options) {
  return segment_with(load_model(model, options), image, output, options);
}

int run_segment(const segment_settings& s) {
  segment_cli_options options = s.options;
  if (options.threads == 0)
    options.threads = default_threads();
  const fs::path out = s.out;
  // Before the model is loaded: no output over an input, no two images onto one output.
  const auto output_of = [&](const std::string& file) {
    return out / (image_case(file, s.image_suffix) + ".nii.gz");
  };
  refuse_shared_outputs(s.images, output_of);
  std::vector<fs::path> inputs{s.images.begin(), s.images.end()};
  inputs.emplace_back(s.model);
  std::vector<output_path> outputs;
  for (const std::string& file : s.images)
    outputs.push_back({"--out's labels of '" + file + "'", output_of(file)});
  refuse_output_over_input(outputs, inputs);
  const std::string labels(to_string(options.labels));

  segmentation_model model;
  try {
    model = load_model(s.model, options);
  } catch (const error& failure) {
    std::cerr << "discgeom segment: " << failure.what() << '\n';
    return 1;
  } catch (const usage_error&) {
    throw;                                   // exit 2, from the command's caller
  } catch (const std::exception& failure) {  // LibTorch's own: one line, no backtrace
    std::cerr << "discgeom segment: " << s.model << ": " << detail::torch_error_message(failure)
              << '\n';
    return 1;
  }
  table rows{
      {"case", "image", "output", "labels", "discs", "foreground_voxels", "windows", "status"}, {}};
  int status = 0;
  progress_bar progress("segment", s.images.size(), s.quiet);
  for (const std::string& file : s.images) {
    const std::string name = image_case(file, s.image_suffix);
    const fs::path output = output_of(file);
    try {
      const auto summary = segment_with(model, file, output, options);
      rows.rows.push_back({text(name), text(file), text(output.string()), text(labels),
                           number(static_cast<double>(summary.discs)),
                           number(static_cast<double>(summary.foreground_voxels)),
                           number(static_cast<double>(summary.windows)), text(summary.status)});
    } catch (const error& failure) {
      const std::string message = failure.what();
      std::cerr << "discgeom segment: "
                << (message.find(file) == std::string::npos ? file + ": " : std::string())
                << message << '\n';
      rows.rows.push_back(
          {text(name), text(file), cell{}, text(labels), cell{}, cell{}, cell{}, text("failed")});
      status = 1;
    }
    progress.step(name);
  }
  write_table_output("", rows, s.format);
  return status;
}

int run_train_seg(const train_seg_settings& s) {
  check_train_seg_settings(s);
  std::vector<fs::path> inputs;
  for (const std::string& folder : {s.images, s.masks}) {
    std::error_code unreadable;  // find_pairs reports a folder that cannot be listed
    for (const auto& entry : fs::directory_iterator(folder, unreadable))
      inputs.push_back(entry.path());
  }
  refuse_output_over_input({{"--out", s.out},
                            {"--out's training curve", s.out + ".training.csv"},
                            {"--out's split", s.out + ".split.csv"}},
                           inputs);
  const double fraction = s.validation_fraction;
  segmentation_training_options options;
  options.max_epochs = s.epochs;
  options.patience = s.patience;
  options.seed = s.seed;
  options.patch = s.patch;
  unet3d_config config;
  config.channels = s.channels;
  config.dimensions = s.dims;
  std::optional<slice_orientation> slices;
  if (s.dims == 2) {  // one slice per patch, the last two edges in plane
    slices = parse_slice_orientation(s.slice_plane, "train-seg");
    options.patch = {1, s.patch[1], s.patch[2]};
  }
  options.batch_size = s.batch;
  options.batches_per_epoch = s.batches_per_epoch;
  options.learning_rate = s.learning_rate;
  normalisation_options normalisation;
  normalisation.method = s.normalise;
  options.threads = s.threads == 0 ? default_threads() : s.threads;
  const std::optional<vec3>& model_spacing = s.model_spacing;
  const fs::path model_file = s.out;

  try {
    const auto started = std::chrono::steady_clock::now();
    const auto pairs = find_pairs(s.images, s.masks, s.image_suffix);
    if (pairs.size() < 2)
      throw io_error(s.images + ": holds " + std::to_string(pairs.size()) +
                     " image/mask pairs; train-seg needs at least 2 (training and validation)");
    // The split: a permutation drawn from the seed; the first ones validate.
    std::vector<std::size_t> order(pairs.size());
    for (std::size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    std::mt19937_64 generator(options.seed);
    std::shuffle(order.begin(), order.end(), generator);
    const auto validation_count = std::clamp<std::size_t>(
        static_cast<std::size_t>(std::llround(fraction * static_cast<double>(pairs.size()))), 1,
        pairs.size() - 1);
    std::vector<bool> validates(pairs.size(), false);
    for (std::size_t i = 0; i < validation_count; ++i)
      validates[order[i]] = true;

    std::vector<segmentation_volume> training, validation;
    table split{{"case", "set"}, {}};
    progress_bar reading("train-seg: reading", pairs.size(), s.quiet);
    vec3 spacing{};                         // 2D: (the first slices', in plane H, W)
    std::array<double, 2> plane_spacing{};  // 2D: the in-plane spacing to train at
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      const auto& pair = pairs[i];
      const auto t1 = read_3d<float>(pair.image, "train-seg");
      const auto mask = read_3d<std::uint16_t>(pair.mask, "train-seg");
      if (const auto difference = grid_difference("image", t1.shape(), t1.geometry, "mask",
                                                  mask.shape(), mask.geometry))
        throw io_error(pair.image.string() + " and " + pair.mask.string() +
                       " differ in shape or geometry (tolerance 1e-4 mm): " + *difference);
      if (i == 0)
        spacing = model_spacing ? *model_spacing : t1.geometry.spacing;
      try {
        if (slices) {
          // A 2D U-Net: in plane to the first image's (or --model-spacing's) in-plane spacing,
          // the slices kept; the slice axis moved to array axis 0, the U-Net's depth.
          const std::size_t axis = slices->axis(t1.geometry);
          const auto plane = detail::in_plane_axes(axis);
          if (i == 0) {
            plane_spacing = {spacing[plane[0]], spacing[plane[1]]};
            spacing = {t1.geometry.spacing[axis], plane_spacing[0], plane_spacing[1]};
          }
          vec3 volume_spacing = t1.geometry.spacing;
          volume_spacing[plane[0]] = plane_spacing[0];
          volume_spacing[plane[1]] = plane_spacing[1];
          auto volume = make_segmentation_volume(t1, mask, volume_spacing, normalisation);
          volume.image = volume.image.movedim(static_cast<std::int64_t>(axis) + 1, 1).contiguous();
          volume.target = volume.target.movedim(static_cast<std::int64_t>(axis), 0).contiguous();
          (validates[i] ? validation : training).push_back(std::move(volume));
        } else {
          auto volume = make_segmentation_volume(t1, mask, spacing, normalisation);
          (validates[i] ? validation : training).push_back(std::move(volume));
        }
      } catch (const precondition_error& e) {
        throw precondition_error(pair.image.string() + ": " + e.what());
      }
      split.rows.push_back({text(pair.name), text(validates[i] ? "validation" : "training")});
      reading.step(pair.name);
    }
    torch::manual_seed(options.seed);
    unet3d model(config);
    epoch_progress progress(options.max_epochs, s.quiet);
    options.on_epoch = [&](const segmentation_epoch& e) { progress(e); };
    const auto result = train_segmenter(model, training, validation, options);
    if (model_file.has_parent_path())
      fs::create_directories(model_file.parent_path());
    save_segmenter(model, model_file,
                   {.spacing = spacing,
                    .normalisation = normalisation,
                    .patch = options.patch,
                    .slices = slices});
    table curve{{"epoch", "loss", "validation_iou", "validation_dice", "improved"}, {}};
    for (const auto& e : result.history)
      curve.rows.push_back({number(static_cast<double>(e.epoch)), number(e.loss),
                            number(e.validation_iou), number(e.validation_dice),
                            number(e.improved ? 1.0 : 0.0)});
    write_table_atomically(model_file.string() + ".training.csv", curve);
    write_table_atomically(model_file.string() + ".split.csv", split);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf(
        "best epoch %lld of %lld%s: validation IoU %.4f, Dice %.4f; %zu training and %zu "
        "validation cases at spacing %g x %g x %g mm, %s, %.1f s on %d threads\n",
        static_cast<long long>(result.best_epoch), static_cast<long long>(result.epochs),
        result.stopped_early ? " (stopped early)" : "", result.best_iou, result.best_dice,
        training.size(), validation.size(), spacing[0], spacing[1], spacing[2],
        config.describe().c_str(), seconds, options.threads);
  } catch (const error& failure) {
    std::cerr << "discgeom train-seg: " << failure.what() << '\n';
    return 1;
  } catch (const usage_error&) {
    throw;                                   // exit 2, from the command's caller
  } catch (const std::exception& failure) {  // LibTorch's own: one line, no backtrace
    std::cerr << "discgeom train-seg: " << detail::torch_error_message(failure) << '\n';
    return 1;
  }
  return 0;
}

}  // namespace discgeom::cli
