// SPDX-License-Identifier: MIT
// `discgeom train-ae`, `encode` and `traverse`: the only translation unit of the program that
// compiles against LibTorch (docs/cli.md).
#include "autoencoder_commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "crops.hpp"
#include "discgeom/geometry/disc_measures.hpp"
#include "discgeom/io/csv.hpp"
#include "discgeom/io/png.hpp"
#include "discgeom/latent/decode_and_measure.hpp"
#include "discgeom/mask/structures.hpp"
#include "discgeom/nn/archive_file.hpp"
#include "discgeom/nn/autoencoder.hpp"
#include "discgeom/nn/autoencoder_io.hpp"
#include "discgeom/nn/bottleneck_sweep.hpp"
#include "discgeom/nn/latent_codec.hpp"
#include "discgeom/nn/train_autoencoder.hpp"
#include "discgeom/stats/correlation_matrix.hpp"
#include "discgeom/stats/summary.hpp"
#include "outputs.hpp"
#include "progress.hpp"
#include "table.hpp"

namespace discgeom::cli {

namespace {

/// The crops as one (N, 1, S, S, S) float tensor of 0 and 1.
torch::Tensor crops_tensor(const crop_folder& folder) {
  const auto s = static_cast<std::int64_t>(folder.size);
  auto masks = torch::zeros({static_cast<std::int64_t>(folder.crops.size()), 1, s, s, s});
  auto access = masks.accessor<float, 5>();
  for (std::size_t n = 0; n < folder.crops.size(); ++n) {
    const auto& voxels = folder.crops[n].mask.voxels;
    for (std::int64_t i = 0; i < s; ++i)
      for (std::int64_t j = 0; j < s; ++j)
        for (std::int64_t k = 0; k < s; ++k)
          access[static_cast<std::int64_t>(n)][0][i][j][k] = voxels(i, j, k) != 0 ? 1.0f : 0.0f;
  }
  return masks;
}

/// Progress per epoch (progress.hpp): "train-ae [###...] epoch 12/200 loss 0.0123 IoU 0.9876"
/// on a terminal, plain lines otherwise.
class training_progress {
 public:
  training_progress(std::int64_t epochs, bool quiet) : log_("train-ae", epochs, quiet) {}
  void operator()(const autoencoder_epoch& e) {
    char numbers[96];
    std::snprintf(numbers, sizeof numbers, "loss %.4g IoU %.4f", e.loss, e.mean_iou);
    log_.epoch(e.epoch, numbers);
  }

 private:
  epoch_log log_;
};

/// The files of a crops folder that a command reads: DIR/index.csv and the crops it lists, as
/// far as the index can be read (a broken index is reported when the folder is read).
std::vector<std::filesystem::path> crop_folder_files(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files{folder / "index.csv"};
  try {
    const csv_table index = read_csv(folder / "index.csv");
    const auto column = index.column("file");
    for (const auto& row : index.rows)
      files.push_back(folder / row[column]);
  } catch (const error&) {
  }
  return files;
}

/// The model file, with an error naming it when its input size is not the crops'.
autoencoder_file load_model_for(const std::filesystem::path& model_file, std::size_t crop_size,
                                const std::string& crops_name) {
  auto loaded = load_autoencoder_file(model_file);
  if (static_cast<std::size_t>(loaded.model->config().input_size) != crop_size) {
    throw io_error(model_file.string() + ": the model takes " +
                   std::to_string(loaded.model->config().input_size) + "^3 crops, " + crops_name +
                   " holds " + std::to_string(crop_size) + "^3");
  }
  return loaded;
}

/// train-ae with several bottleneck sizes: DIR/bottleneck_<B>.pt for each and DIR/sweep.csv.
int sweep(const torch::Tensor& masks, const autoencoder_config& config,
          const std::vector<std::int64_t>& sizes, autoencoder_training_options training,
          const std::filesystem::path& folder, const vec3& crop_spacing, bool quiet) {
  std::filesystem::create_directories(folder);
  training.checkpoint.clear();
  std::unique_ptr<training_progress> progress;
  bottleneck_sweep_options options{
      .training = training,
      .initialisation_seed = training.seed,
      .folder = folder,
      .crop_spacing = crop_spacing,
      .on_size = [&](std::int64_t b) {
        progress.reset();
        if (!quiet && isatty(STDERR_FILENO) != 0)
          std::fprintf(stderr, "bottleneck %lld\n", static_cast<long long>(b));
        progress = std::make_unique<training_progress>(training.max_epochs, quiet);
      }};
  options.training.on_epoch = [&](const autoencoder_epoch& e) { (*progress)(e); };
  const auto results = sweep_bottlenecks(masks, config, sizes, options);
  progress.reset();
  table summary{
      {"bottleneck", "converged", "epochs", "mean_iou", "sd_iou", "ci_low", "ci_high", "discs"},
      {}};
  for (const auto& r : results) {
    summary.rows.push_back({number(static_cast<double>(r.bottleneck)),
                            number(r.converged ? 1.0 : 0.0), number(static_cast<double>(r.epochs)),
                            number(r.iou.mean), number(r.iou.sd), number(r.iou.t_low),
                            number(r.iou.t_high), number(static_cast<double>(r.iou.n))});
  }
  write_table_atomically(folder / "sweep.csv", summary);
  write_table_output("", summary, table_format::csv);
  return 0;
}

}  // namespace

int run_train_ae(const train_ae_settings& s) {
  check_train_ae_settings(s);
  refuse_output_over_input({{"--out", s.out},
                            {"--out's training curve", s.out + ".training.csv"},
                            {"--out's checkpoint", s.out + ".checkpoint"}},
                           crop_folder_files(s.crops));
  autoencoder_config config;
  config.bottleneck = s.bottlenecks.front();
  config.channels = s.channels;
  autoencoder_training_options options;
  options.max_epochs = s.epochs;
  options.target_iou = s.target_iou;
  options.batch_size = s.batch;
  options.learning_rate = s.learning_rate;
  options.seed = s.seed;
  options.threads =
      s.threads ? *s.threads : static_cast<int>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
  options.checkpoint_every = s.checkpoint_every;
  try {
    options.device = torch::Device(s.device);
  } catch (const std::exception&) {
    throw usage_error("--device '" + s.device + "' must be cpu or cuda[:N]");
  }
  const std::filesystem::path model_file = s.out;
  if (model_file.has_parent_path())
    std::filesystem::create_directories(model_file.parent_path());
  options.checkpoint = model_file.string() + ".checkpoint";
  options.resume = s.resume;

  try {
    const auto folder = read_crop_folder(s.crops);
    config.input_size = static_cast<std::int64_t>(folder.size);
    try {
      config.validate("train-ae");
    } catch (const precondition_error& e) {
      throw usage_error(std::string(e.what()) + " (the crops are " + std::to_string(folder.size) +
                        "^3; choose --channels accordingly)");
    }
    const auto masks = crops_tensor(folder);
    if (s.bottlenecks.size() > 1)
      return sweep(masks, config, s.bottlenecks, options, model_file, folder.spacing, s.quiet);
    torch::manual_seed(options.seed);
    autoencoder3d model(config);
    training_progress progress(options.max_epochs, s.quiet);
    options.on_epoch = [&](const autoencoder_epoch& e) { progress(e); };
    const auto result = train_autoencoder(model, masks, options);
    save_autoencoder(model, model_file, folder.spacing);
    table curve{{"epoch", "loss", "mean_iou"}, {}};
    for (const auto& e : result.history)
      curve.rows.push_back(
          {number(static_cast<double>(e.epoch)), number(e.loss), number(e.mean_iou)});
    write_table_atomically(model_file.string() + ".training.csv", curve);
    const auto iou = summarise_mean(result.per_mask_iou, {.seed = options.seed});
    std::printf("%s after %lld epochs: mean IoU %.4f (95%% CI %.4f-%.4f over %zu discs), %s\n",
                result.converged ? "converged" : "not converged",
                static_cast<long long>(result.epochs), iou.mean, iou.t_low, iou.t_high, iou.n,
                config.describe().c_str());
  } catch (const error& failure) {
    std::cerr << "discgeom train-ae: " << failure.what() << '\n';
    return 1;
  } catch (const usage_error&) {
    throw;                                   // exit 2, from the command's caller
  } catch (const std::exception& failure) {  // LibTorch's own: one line, no backtrace
    std::cerr << "discgeom train-ae: " << detail::torch_error_message(failure) << '\n';
    return 1;
  }
  return 0;
}

int run_encode(const encode_settings& s) {
  auto inputs = crop_folder_files(s.crops);
  inputs.emplace_back(s.model);
  refuse_output_over_input({{"--out", s.out}}, inputs);
  try {
    const auto folder = read_crop_folder(s.crops);
    auto loaded = load_model_for(s.model, folder.size, s.crops);
    const auto columns = encode_masks(loaded.model, crops_tensor(folder));
    table latents{{"case", "level"}, {}};
    for (std::size_t f = 0; f < columns.size(); ++f)
      latents.columns.push_back("z" + std::to_string(f));
    for (std::size_t n = 0; n < folder.crops.size(); ++n) {
      std::vector<cell> row{text(folder.crops[n].case_name), text(folder.crops[n].level)};
      for (const auto& column : columns)
        row.push_back(number(column[n]));
      latents.rows.push_back(std::move(row));
    }
    write_table_atomically(s.out, latents);
  } catch (const error& failure) {
    std::cerr << "discgeom encode: " << failure.what() << '\n';
    return 1;
  } catch (const usage_error&) {
    throw;                                   // exit 2, from the command's caller
  } catch (const std::exception& failure) {  // LibTorch's own: one line, no backtrace
    std::cerr << "discgeom encode: " << detail::torch_error_message(failure) << '\n';
    return 1;
  }
  return 0;
}

namespace {

/// Mid-sagittal (fixed L index; anterior left, superior up) and mid-transverse (fixed S index;
/// patient's right left, anterior up) slices of a decoded crop, side by side.
gray_picture middle_slices(const image<std::uint8_t>& mask) {
  const auto shape = mask.shape();
  const std::size_t s = shape[0];
  auto tile = gray_picture::filled(2 * s + 1, s, 32);
  for (std::size_t y = 0; y < s; ++y) {
    for (std::size_t x = 0; x < s; ++x) {
      tile.at(x, y) = mask.voxels(s / 2, x, s - 1 - y) != 0 ? 255 : 0;
      tile.at(s + 1 + x, y) = mask.voxels(x, y, s / 2) != 0 ? 255 : 0;
    }
  }
  return tile;
}

}  // namespace

int run_traverse(const traverse_settings& s) {
  check_traverse_settings(s);
  traversal_study_options options;
  options.traversal.steps = s.steps;
  options.traversal.anchor = s.fix;
  options.plausibility = plausibility_options{.k = s.neighbours};
  const correlation_method method = s.method;

  const std::filesystem::path out = s.out;
  auto inputs = s.crops.empty() ? std::vector<std::filesystem::path>{} : crop_folder_files(s.crops);
  inputs.insert(inputs.end(), {s.model, s.latents});
  refuse_output_over_input({{"--out's grid", out / "grid.csv"},
                            {"--out's montage", out / "traversal.png"},
                            {"--out's correlations", out / "correlations.csv"}},
                           inputs);
  try {
    const std::filesystem::path model_file = s.model;
    auto loaded = load_autoencoder_file(model_file);
    if (!loaded.crop_spacing) {
      throw io_error(model_file.string() +
                     ": holds no crop spacing (save it with discgeom "
                     "train-ae) to measure decoded discs in mm");
    }
    const std::int64_t b = loaded.model->config().bottleneck;
    const std::string& latents_file = s.latents;
    const csv_table latents = read_csv(latents_file);
    std::vector<std::vector<double>> columns;
    for (std::int64_t f = 0; f < b; ++f)
      columns.push_back(latents.numeric_column("z" + std::to_string(f)));
    if (latents.header.size() != static_cast<std::size_t>(b) + 2) {
      throw io_error(latents_file + ": has " + std::to_string(latents.header.size() - 2) +
                     " latent columns, the model's bottleneck is " + std::to_string(b));
    }
    if (latents.rows.empty())
      throw io_error(latents_file + ": holds no code (write it with discgeom encode)");
    for (std::size_t f = 0; f < columns.size(); ++f) {
      for (std::size_t r = 0; r < columns[f].size(); ++r) {
        if (std::isnan(columns[f][r])) {
          throw io_error(latents_file + ": row " + std::to_string(r + 1) + " (line " +
                         std::to_string(latents.line_of(r)) + "), column 'z" + std::to_string(f) +
                         "': no value; every disc needs its whole code");
        }
      }
    }
    std::filesystem::create_directories(out);

    autoencoder_decoder decoder(loaded.model, image_geometry{.spacing = *loaded.crop_spacing});
    std::vector<gray_picture> tiles;
    auto decode_and_keep = [&](std::span<const double> code) {
      auto mask = decoder(code);
      tiles.push_back(middle_slices(mask));
      return mask;
    };
    const auto study = study_traversal(columns, decode_and_keep, options);

    table grid{{"feature", "step"}, {}};
    for (std::int64_t f = 0; f < b; ++f)
      grid.columns.push_back("z" + std::to_string(f));
    for (const auto& g : disc_geometric_features)
      grid.columns.emplace_back(g.name);
    grid.columns.insert(grid.columns.end(), {"status", "plausibility"});
    for (std::size_t p = 0; p < study.traversal.points.size(); ++p) {
      const auto& point = study.traversal.points[p];
      std::vector<cell> row{number(static_cast<double>(point.feature)),
                            number(static_cast<double>(point.step))};
      for (double z : point.latent)
        row.push_back(number(z));
      for (const auto& g : disc_geometric_features)
        row.push_back(number(g.value(study.measures[p])));
      row.push_back(text(study.measures[p].status));
      row.push_back(number(study.plausibility[p]));
      grid.rows.push_back(std::move(row));
    }
    write_table_atomically(out / "grid.csv", grid);
    const std::size_t size = static_cast<std::size_t>(loaded.model->config().input_size);
    write_png(out / "traversal.png",
              montage(tiles, options.traversal.steps, std::max<std::size_t>(1, 96 / size)));

    if (!s.crops.empty()) {
      // Latent against geometry over the real discs: the crops' own geometry at the crop spacing.
      const auto folder = read_crop_folder(s.crops);
      std::map<std::pair<std::string, std::string>, disc_measures> measured;
      for (const auto& crop : folder.crops)
        measured[{crop.case_name, crop.level}] =
            measure_disc(collect_foreground_voxels(crop.mask, crop.mask.geometry));
      const auto case_column = latents.column("case");
      const auto level_column = latents.column("level");
      std::vector<std::vector<double>> geometry(disc_geometric_features.size());
      for (const auto& row : latents.rows) {
        const auto found = measured.find({row[case_column], row[level_column]});
        if (found == measured.end()) {
          throw io_error(latents_file + ": " + row[case_column] + " " + row[level_column] +
                         " has no crop in " + s.crops);
        }
        for (std::size_t g = 0; g < disc_geometric_features.size(); ++g) {
          const auto v = disc_geometric_features[g].value(found->second);
          geometry[g].push_back(v ? *v : std::nan(""));
        }
      }
      const auto matrix = correlation_matrix(
          columns, geometry, {.correlation = {.method = method}, .adjustment = p_adjustment::holm});
      table correlations{{"x", "y", "method", "n", "r", "p", "ci_low", "ci_high", "p_adjusted"},
                         {}};
      for (std::size_t f = 0; f < columns.size(); ++f) {
        for (std::size_t g = 0; g < geometry.size(); ++g) {
          const auto& c = matrix(f, g);
          correlations.rows.push_back(
              {text("z" + std::to_string(f)), text(std::string(disc_geometric_features[g].name)),
               text(std::string(to_string(method))), number(static_cast<double>(c.n)), number(c.r),
               number(c.p), number(c.ci_low), number(c.ci_high), number(matrix.adjusted_p(f, g))});
        }
      }
      write_table_atomically(out / "correlations.csv", correlations);
    } else {
      std::cerr << "discgeom traverse: no --crops: correlations.csv (latent vs the real discs' "
                   "geometry) is not written\n";
    }
  } catch (const error& failure) {
    std::cerr << "discgeom traverse: " << failure.what() << '\n';
    return 1;
  } catch (const usage_error&) {
    throw;                                   // exit 2, from the command's caller
  } catch (const std::exception& failure) {  // LibTorch's own: one line, no backtrace
    std::cerr << "discgeom traverse: " << detail::torch_error_message(failure) << '\n';
    return 1;
  }
  return 0;
}

}  // namespace discgeom::cli
