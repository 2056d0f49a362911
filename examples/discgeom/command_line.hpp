// SPDX-License-Identifier: MIT
#pragma once
// The command line of the discgeom program, parsed once, at the edge, with CLI11.
//
// A command is three things: a settings struct (`discs_settings`, ...), a function that binds
// its options to the struct's fields (`add_discs_options`: names, help, type, checks), and a run
// function over the struct (`run_discs(const discs_settings&)`), which other code (the pipeline)
// calls directly; the run function checks the rules that join several settings first, so they
// hold however the struct was filled. CLI11 writes each command's --help from the bindings. Every value is checked
// when it is parsed, by the same functions as the pipeline's settings file (arguments.hpp), so a
// bad value is named the same way wherever it comes from: "--folds must be at least 2".

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "arguments.hpp"
#include "discgeom/enum_names.hpp"

namespace discgeom::cli {

/// The usage line lists the required options by name and type before [OPTIONS] and the
/// positional arguments: "usage: discgeom phantom --out DIR [OPTIONS]".
class usage_formatter : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App* app, std::string name) const override {
    std::string usage = "usage: " + name;
    bool optional = false;
    for (const CLI::Option* option : app->get_options()) {
      if (option->get_positional())
        continue;
      if (option->get_required())
        usage += " " + option->get_name() + " " + option->get_type_name();
      else
        optional = true;
    }
    if (optional)
      usage += " [OPTIONS]";
    for (const CLI::Option* option : app->get_options()) {
      if (!option->get_positional())
        continue;
      const std::string word =
          option->get_type_name().empty() ? option->get_name() : option->get_type_name();
      const bool many = option->get_items_expected_max() > 1;
      usage += option->get_required() ? " " + word + (many ? "..." : "")
                                      : " [" + word + (many ? "..." : "") + "]";
    }
    return usage + "\n";
  }
};

/// A command's CLI11 application: "discgeom NAME" with its summary at the top of --help; unknown
/// words are kept, for parse_command_line to report in the program's own words.
class command_app : public CLI::App {
 public:
  command_app(std::string_view name, std::string_view summary)
      : CLI::App(std::string(summary), "discgeom " + std::string(name)) {
    formatter(std::make_shared<usage_formatter>());
    allow_extras();
  }
};

/// An option whose text is turned into `target` by `parse(option_name, text)`, which throws
/// usage_error naming the option. The value is parsed once, when the command line is.
template <class T, class Parse>
CLI::Option* add_parsed(CLI::App& app, const std::string& name, T& target, Parse parse,
                        const std::string& help, const std::string& type_name) {
  const std::string option_name = name.substr(0, name.find(','));
  auto* option = app.add_option_function<std::string>(
      name,
      [&target, parse, option_name](const std::string& text) { target = parse(option_name, text); },
      help);
  option->type_name(type_name);
  return option;
}

/// A text option (a path, a column name): taken as given.
inline CLI::Option* add_text(CLI::App& app, const std::string& name, std::string& target,
                             const std::string& help, const std::string& type_name) {
  auto* option = app.add_option(name, target, help);
  option->type_name(type_name);
  if (!target.empty())
    option->default_str(target);
  return option;
}

/// A whole number in [at_least, the largest T]: "--folds '1' must be a whole number >= 2".
template <std::integral T>
CLI::Option* add_count(CLI::App& app, const std::string& name, T& target, const std::string& help,
                       std::size_t at_least = 0) {
  auto* option = add_parsed(
      app, name, target,
      [at_least](const std::string& option, const std::string& text) {
        const std::size_t value = parse_count(option, text, at_least);
        const auto largest = static_cast<unsigned long long>(std::numeric_limits<T>::max());
        if (static_cast<unsigned long long>(value) > largest)
          throw usage_error(option + " '" + text + "' must be at most " + std::to_string(largest));
        return static_cast<T>(value);
      },
      help, "N");
  option->default_str(std::to_string(target));
  return option;
}

/// An optional whole number: unset unless given; `unset_means` says in --help what applies then.
template <std::integral T>
CLI::Option* add_count(CLI::App& app, const std::string& name, std::optional<T>& target,
                       const std::string& help, const std::string& unset_means) {
  auto* option = add_parsed(
      app, name, target,
      [](const std::string& option, const std::string& text) {
        const std::size_t value = parse_count(option, text, 0);
        const auto largest = static_cast<unsigned long long>(std::numeric_limits<T>::max());
        if (static_cast<unsigned long long>(value) > largest)
          throw usage_error(option + " '" + text + "' must be at most " + std::to_string(largest));
        return std::optional<T>(static_cast<T>(value));
      },
      help, "N");
  option->default_str(unset_means);
  return option;
}

/// A finite number in [low, high]; with `above_low` the bound low itself is refused too.
inline CLI::Option* add_number(CLI::App& app, const std::string& name, double& target,
                               const std::string& help, double low, double high,
                               bool above_low = false) {
  auto* option = add_parsed(
      app, name, target,
      [low, high, above_low](const std::string& option, const std::string& text) {
        const double value = parse_number(option, text, low, high);
        if (above_low && value <= low)
          throw usage_error(option + " must be more than " + format_number(low));
        return value;
      },
      help, "X");
  option->default_str(format_number(target));
  return option;
}

/// One of E's names (its table in enum_names.hpp), listed in --help as a|b|c.
template <named_enum E>
CLI::Option* add_choice(CLI::App& app, const std::string& name, E& target,
                        const std::string& help) {
  auto* option = add_parsed(
      app, name, target,
      [](const std::string& option, const std::string& text) {
        return parse_choice<E>(option, text);
      },
      help, enum_choices<E>());
  option->default_str(std::string(to_string(target)));
  return option;
}

/// A flag (no value).
inline CLI::Option* add_switch(CLI::App& app, const std::string& name, bool& target,
                               const std::string& help) {
  return app.add_flag(name, target, help);
}

/// --quiet, common to every command: no progress and no warnings on stderr.
inline CLI::Option* add_quiet(CLI::App& app, bool& quiet) {
  return add_switch(app, "--quiet", quiet, "no progress lines on stderr");
}

/// Positional input files, one or more, shown as NAME... in --help.
inline CLI::Option* add_inputs(CLI::App& app, const std::string& name,
                               std::vector<std::string>& files, const std::string& help) {
  auto* option = app.add_option(name, files, help);
  option->type_name("")->required()->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  return option;
}

/// One positional input file, shown as NAME in --help.
inline CLI::Option* add_input(CLI::App& app, const std::string& name, std::string& file,
                              const std::string& help) {
  auto* option = app.add_option(name, file, help);
  option->type_name("")->required();
  return option;
}

/// A repeatable option: every value, in order.
inline CLI::Option* add_repeated(CLI::App& app, const std::string& name,
                                 std::vector<std::string>& values, const std::string& help,
                                 const std::string& type_name) {
  auto* option = app.add_option(name, values, help);
  option->type_name(type_name)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  option->expected(1);              // one value per occurrence: "--features a=x --features b=y"
  option->allow_extra_args(false);  // the words after that value are not its values
  return option;
}

/// --orientation: the axes' anatomical directions over every input's header.
inline void add_orientation_override(CLI::App& app, geometry_overrides& overrides) {
  add_parsed(
      app, "--orientation", overrides.direction,
      [](const std::string& option, const std::string& text) {
        try {
          return std::optional<mat3>(direction_from_orientation(text));
        } catch (const precondition_error& e) {
          throw usage_error(option + ": " + e.what());
        }
      },
      "the axes' anatomical directions (e.g. RAS, LPS, PIL), instead of the header's", "CODE");
}

/// --max-voxels: the most voxels an input image may declare (read_image's max_voxels).
inline void add_max_voxels(CLI::App& app, geometry_overrides& overrides) {
  add_parsed(
      app, "--max-voxels", overrides.max_voxels,
      [](const std::string& option, const std::string& text) {
        return static_cast<std::uint64_t>(parse_count(option, text, 1));
      },
      "refuse an image declaring more voxels (default: as many as the free memory holds)", "N");
}

/// --spacing, --orientation and --max-voxels: how every input image is read.
inline void add_geometry_overrides(CLI::App& app, geometry_overrides& overrides) {
  add_parsed(
      app, "--spacing", overrides.spacing,
      [](const std::string& option, const std::string& text) {
        return std::optional<vec3>(parse_spacing(text, option));
      },
      "voxel size in mm along the image axes, instead of the header's", "SX,SY,SZ");
  add_orientation_override(app, overrides);
  add_max_voxels(app, overrides);
}

/// --format csv|json and --out FILE (stdout without it).
inline void add_table_output(CLI::App& app, table_format& format, std::string& out) {
  add_choice(app, "--format", format, "the table's format");
  add_text(app, "--out", out, "write the table to FILE instead of stdout", "FILE");
}

/// Parses `args` into the bound settings. Returns false when --help was asked for (the help is
/// then on stdout). \throws usage_error in the program's words: "unknown option --bogus",
/// "unexpected argument 'x'", "--features needs a value", "phantom needs --out DIR"
inline bool parse_command_line(CLI::App& app, std::vector<std::string> args) {
  std::reverse(args.begin(), args.end());  // CLI11 takes the words last first
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return false;
  } catch (const CLI::RequiredError&) {
    const std::string command = app.get_name().substr(app.get_name().find(' ') + 1);
    for (const CLI::Option* option : app.get_options()) {
      if (option->get_required() && option->count() == 0)
        throw usage_error(command + " needs " +
                          (option->get_positional()
                               ? option->get_name()
                               : option->get_name() + " " + option->get_type_name()));
    }
    throw;
  } catch (const CLI::ArgumentMismatch& e) {
    const std::string what = e.what();
    const auto colon = what.find(':');
    if (what.find("required") != std::string::npos && what.find("missing") != std::string::npos &&
        colon != std::string::npos)
      throw usage_error(what.substr(0, colon) + " needs a value");
    if (what.find("At Most") != std::string::npos && colon != std::string::npos)
      throw usage_error(what.substr(0, colon) + " is given more than once");
    throw usage_error(what);
  } catch (const CLI::ParseError& e) {
    throw usage_error(e.what());
  }
  for (const std::string& word : app.remaining()) {
    if (word.size() > 1 && word[0] == '-')
      throw usage_error("unknown option " + word.substr(0, word.find('=')));
  }
  if (const auto extra = app.remaining(); !extra.empty())
    throw usage_error("unexpected argument '" + extra.front() + "'");
  return true;
}

}  // namespace discgeom::cli
