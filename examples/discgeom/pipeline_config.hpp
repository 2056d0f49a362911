// SPDX-License-Identifier: MIT
#pragma once
// The settings of `discgeom pipeline`: the reduced defaults that run a phantom cohort in minutes,
// the paper's configuration (--paper), and a `key = value` file (--config) over either.
//
// Each setting is a typed field of pipeline_config and one row of config_settings(): its key,
// the field, and the rule its value must meet. The rows serve the settings file (parsing and its
// messages), the run's record and the report (the text of each value), and the stages'
// fingerprints (the stage table in pipeline_command.cpp lists the keys each stage depends on).

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "arguments.hpp"
#include "discgeom/error.hpp"
#include "discgeom/geometry/disc_measures.hpp"
#include "discgeom/stats/correlation.hpp"
#include "discgeom/stats/multiple_testing.hpp"

namespace discgeom::cli {

/// The label schemes a cohort's masks may use.
enum class mask_labels { spider, ordinal };

}  // namespace discgeom::cli

template <>
struct discgeom::enum_names<discgeom::cli::mask_labels> {
  static constexpr std::array<enum_name<cli::mask_labels>, 2> table{{
      {cli::mask_labels::spider, "spider"},
      {cli::mask_labels::ordinal, "ordinal"},
  }};
};

namespace discgeom::cli {

struct pipeline_config {
  // Cohort and labels.
  std::uint64_t seed = 1;
  std::size_t threads = 2;
  mask_labels labels = mask_labels::spider;  ///< label scheme of the masks
  std::size_t min_voxels = 100;              ///< smaller labelled pieces are fragments, not discs
  std::string segmenter_model;  ///< TorchScript or native U-Net; empty: masks are given
  // Crops (the autoencoder's input).
  std::size_t crop_size = 32;
  vec3 crop_spacing{2.0, 1.6, 1.0};  ///< mm along L, P, S
  // Autoencoder.
  std::vector<std::int64_t> channels{8, 16, 32, 64};
  std::size_t bottleneck = 8;
  std::vector<std::int64_t> bottleneck_sweep{2, 4, 8};  ///< trained besides the main model
  std::size_t epochs = 50;
  std::size_t sweep_epochs = 12;
  double target_iou = 0.995;
  std::size_t batch = 4;
  double learning_rate = 1e-3;
  std::size_t checkpoint_every = 5;  ///< epochs between checkpoints (an interrupted run resumes)
  // Traversal and statistics.
  std::size_t traversal_steps = 6;
  correlation_method correlation = correlation_method::spearman;
  p_adjustment adjust = p_adjustment::holm;
  // Classification.
  std::size_t folds = 5;
  std::size_t trees = 200;
  std::size_t depth = 3;
  double boosting_learning_rate = 0.1;
  std::size_t boosting_threads = 1;  ///< XGBoost's threads: one is fastest for a few thousand discs
  std::string geometric_features =
      "height_mm,ap_width_mm,lateral_width_mm,sagittal_angle_deg,coronal_angle_deg,"
      "transverse_angle_deg";

  [[nodiscard]] disc_label_scheme disc_scheme() const {
    return labels == mask_labels::ordinal ? disc_label_scheme::ordinal : disc_label_scheme::spider;
  }
};

/// The paper's configuration (Perrone et al.): 64^3 crops at 1.4 x 1.2 x 1.5 mm, channels
/// 32..512, bottleneck 4 and the sweep 64, 8, 4, 3, up to 350 epochs.
inline pipeline_config paper_pipeline_config() {
  pipeline_config config;
  config.crop_size = 64;
  config.crop_spacing = {1.4, 1.2, 1.5};
  config.channels = {32, 64, 128, 256, 512};
  config.bottleneck = 4;
  config.bottleneck_sweep = {64, 8, 4, 3};
  config.epochs = 350;
  config.sweep_epochs = 350;
  return config;
}

namespace detail_config {

/// The largest value of T, as a count's bound.
template <class T>
inline constexpr auto largest = static_cast<std::size_t>(std::numeric_limits<T>::max());

/// The rules a setting's value meets, by its field's type.
struct count_rule {  ///< a whole number in [at_least, at_most]: what the stages' types take
  std::size_t pipeline_config::*field;
  std::size_t at_least = 0;
  std::size_t at_most = largest<std::int64_t>;
};
struct threads_rule {  ///< a number of threads in [1, max_threads()]
  std::size_t pipeline_config::*field;
};
struct seed_rule {  ///< at most the largest int64 (XGBoost's seed is signed)
  std::uint64_t pipeline_config::*field;
};
struct fraction_rule {  ///< a number in (0, 1]
  double pipeline_config::*field;
};
struct sizes_rule {  ///< sizes >= 1, comma-separated; `empty_or_two` for the sweep
  std::vector<std::int64_t> pipeline_config::*field;
  bool empty_or_two = false;
};
struct text_rule {
  std::string pipeline_config::*field;
  bool existing_file = false;  ///< empty, or a file that exists
};
struct spacing_rule {
  vec3 pipeline_config::*field;
};
template <named_enum E>
struct choice_rule {
  E pipeline_config::*field;
};

using setting_rule = std::variant<count_rule, threads_rule, seed_rule, fraction_rule, sizes_rule,
                                  text_rule, spacing_rule, choice_rule<mask_labels>,
                                  choice_rule<correlation_method>, choice_rule<p_adjustment>>;

inline std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos)
    return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

}  // namespace detail_config

/// One setting: its key in the settings file and the field it sets.
struct pipeline_setting {
  std::string_view key;
  detail_config::setting_rule rule;
};

/// Every setting, in the order of the run's record and the report.
inline const std::vector<pipeline_setting>& config_settings() {
  using namespace detail_config;
  using c = pipeline_config;
  static const std::vector<pipeline_setting> settings{
      {"seed", seed_rule{&c::seed}},
      {"threads", threads_rule{&c::threads}},
      {"labels", choice_rule<mask_labels>{&c::labels}},
      {"min_voxels", count_rule{&c::min_voxels}},
      {"segmenter_model", text_rule{&c::segmenter_model, true}},
      {"crop_size", count_rule{&c::crop_size, 1}},
      {"crop_spacing", spacing_rule{&c::crop_spacing}},
      {"channels", sizes_rule{&c::channels}},
      {"bottleneck", count_rule{&c::bottleneck, 1}},
      {"bottleneck_sweep", sizes_rule{&c::bottleneck_sweep, true}},
      {"epochs", count_rule{&c::epochs, 1}},
      {"sweep_epochs", count_rule{&c::sweep_epochs}},
      {"target_iou", fraction_rule{&c::target_iou}},
      {"batch", count_rule{&c::batch, 1}},
      {"learning_rate", fraction_rule{&c::learning_rate}},
      {"checkpoint_every", count_rule{&c::checkpoint_every}},
      {"traversal_steps", count_rule{&c::traversal_steps, 2}},
      {"correlation_method", choice_rule<correlation_method>{&c::correlation}},
      {"adjust", choice_rule<p_adjustment>{&c::adjust}},
      {"folds", count_rule{&c::folds, 2}},
      {"trees", count_rule{&c::trees, 1}},
      {"depth", count_rule{&c::depth, 1, largest<int>}},
      {"boosting_learning_rate", fraction_rule{&c::boosting_learning_rate}},
      {"boosting_threads", threads_rule{&c::boosting_threads}},
      {"geometric_features", text_rule{&c::geometric_features}},
  };
  return settings;
}

/// The setting called `key`; nullptr when there is none.
inline const pipeline_setting* find_setting(std::string_view key) {
  for (const auto& setting : config_settings())
    if (setting.key == key)
      return &setting;
  return nullptr;
}

/// The value of a setting as text, exactly (settings are hashed into the stages' fingerprints).
inline std::string setting_text(const pipeline_config& config, const pipeline_setting& setting) {
  using namespace detail_config;
  return std::visit(
      [&](const auto& rule) -> std::string {
        using rule_type = std::decay_t<decltype(rule)>;
        const auto& value = config.*(rule.field);
        if constexpr (std::is_same_v<rule_type, count_rule> ||
                      std::is_same_v<rule_type, threads_rule> ||
                      std::is_same_v<rule_type, seed_rule>) {
          return std::to_string(value);
        } else if constexpr (std::is_same_v<rule_type, fraction_rule>) {
          return format_number(value);
        } else if constexpr (std::is_same_v<rule_type, sizes_rule>) {
          return join_sizes(value);
        } else if constexpr (std::is_same_v<rule_type, text_rule>) {
          return value;
        } else if constexpr (std::is_same_v<rule_type, spacing_rule>) {
          return format_number(value[0]) + "," + format_number(value[1]) + "," +
                 format_number(value[2]);
        } else {
          return std::string(to_string(value));
        }
      },
      setting.rule);
}

/// Every setting as (key, value text), in the table's order.
inline std::vector<std::pair<std::string, std::string>> config_entries(
    const pipeline_config& config) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& setting : config_settings())
    entries.emplace_back(std::string(setting.key), setting_text(config, setting));
  return entries;
}

/// Sets one setting from its text; everything a later stage would refuse is refused here,
/// before hours of training. \throws usage_error naming the key and the value
inline void set_config_entry(pipeline_config& config, const std::string& key,
                             const std::string& value) {
  using namespace detail_config;
  const pipeline_setting* setting = find_setting(key);
  if (setting == nullptr)
    throw usage_error("unknown setting '" + key + "'");
  std::visit(
      [&](const auto& rule) {
        using rule_type = std::decay_t<decltype(rule)>;
        auto& field = config.*(rule.field);
        if constexpr (std::is_same_v<rule_type, count_rule>) {
          field = parse_count(key, value);
          if (field < rule.at_least)
            throw usage_error(key + " must be at least " + std::to_string(rule.at_least));
          if (field > rule.at_most)
            throw usage_error(key + " '" + value + "' must be at most " +
                              std::to_string(rule.at_most));
        } else if constexpr (std::is_same_v<rule_type, threads_rule>) {
          field = parse_threads(key, value);
        } else if constexpr (std::is_same_v<rule_type, seed_rule>) {
          field = parse_count(key, value);
          if (field > largest<std::int64_t>)
            throw usage_error(key + " '" + value + "' must be at most " +
                              std::to_string(largest<std::int64_t>));
        } else if constexpr (std::is_same_v<rule_type, fraction_rule>) {
          field = parse_number(key, value, 0.0, 1.0);
          if (field <= 0.0)
            throw usage_error(key + " must be more than 0");
        } else if constexpr (std::is_same_v<rule_type, sizes_rule>) {
          std::vector<std::int64_t> sizes;
          if (!value.empty()) {
            for (const auto& size : split_commas(value)) {
              const std::size_t parsed = parse_count(key, size);
              if (parsed == 0 || parsed > 1u << 20)
                throw usage_error(key + " '" + value + "': every size must be at least 1");
              sizes.push_back(static_cast<std::int64_t>(parsed));
            }
          }
          if (!rule.empty_or_two && sizes.empty())
            throw usage_error(key + " '" + value + "' needs one size or more");
          if (rule.empty_or_two && sizes.size() == 1)
            throw usage_error(key + " '" + value +
                              "' needs two sizes or more (or nothing for no sweep)");
          field = std::move(sizes);
        } else if constexpr (std::is_same_v<rule_type, text_rule>) {
          // The error_code overload: a name the system refuses (longer than NAME_MAX) is no
          // such file, not a filesystem_error.
          std::error_code error;
          if (rule.existing_file && !value.empty() &&
              !std::filesystem::is_regular_file(value, error))
            throw usage_error(key + " '" + value + "': no such file");
          field = value;
        } else if constexpr (std::is_same_v<rule_type, spacing_rule>) {
          field = parse_spacing(value, key);
        } else {
          field = parse_choice<std::decay_t<decltype(field)>>(key, value);
        }
      },
      setting->rule);
}

/// Reads `key = value` lines (`#` starts a comment) from `text` over `config`; `name` (the
/// file's) starts every message. Safe for any bytes (a fuzzing entry point): whatever is not
/// such a settings text throws usage_error.
/// \throws usage_error "NAME:LINE: ..." for a line without '=', an unknown key, a bad value
inline void read_config_text(std::string_view text, const std::string& name,
                             pipeline_config& config) {
  std::size_t number = 1;
  for (std::size_t start = 0; start < text.size(); ++number) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string line(text.substr(start, end - start));
    start = end + 1;
    line = detail_config::trim(line.substr(0, line.find('#')));
    if (line.empty())
      continue;
    const auto equals = line.find('=');
    if (equals == std::string::npos)
      throw usage_error(name + ":" + std::to_string(number) + ": '" + line +
                        "' is not key = value");
    try {
      set_config_entry(config, detail_config::trim(line.substr(0, equals)),
                       detail_config::trim(line.substr(equals + 1)));
    } catch (const usage_error& e) {
      throw usage_error(name + ":" + std::to_string(number) + ": " + e.what());
    }
  }
}

/// Reads a settings file (see read_config_text) over `config`.
/// \throws usage_error naming the file: it cannot be read, or as read_config_text
inline void read_config_file(const std::filesystem::path& file, pipeline_config& config) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw usage_error("--config " + file.string() + ": cannot be read");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad())
    throw usage_error("--config " + file.string() + ": read failed");
  read_config_text(text, file.string(), config);
}

}  // namespace discgeom::cli
