// SPDX-License-Identifier: MIT
#pragma once
// What each stage of `discgeom pipeline` was run on: a fingerprint of its inputs (file contents
// and settings) and of its outputs, kept in DIR/records/<stage>.json. With --resume a stage whose
// record matches its current inputs, and whose outputs are still those it wrote, is skipped.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "discgeom/detail/atomic_file.hpp"
#include "discgeom/error.hpp"

namespace discgeom::cli {

/// A 64-bit FNV-1a hash, fed with texts and file contents (not a cryptographic hash: it detects
/// changed inputs, not forged ones).
class fingerprint {
 public:
  fingerprint& add(const std::string& text) {
    add_bytes(text.data(), text.size());
    const char separator = '\0';
    add_bytes(&separator, 1);
    return *this;
  }
  /// The file's name (relative to nothing: its full path as given) is not added, only its
  /// bytes; a missing file adds a marker.
  fingerprint& add_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
      return add("<missing>");
    char buffer[1 << 16];
    while (in) {
      in.read(buffer, sizeof buffer);
      add_bytes(buffer, static_cast<std::size_t>(in.gcount()));
    }
    return add("<end>");
  }
  /// An image file; for a detached header (.mhd, .nhdr) also the data files beside it that
  /// share its stem (.raw, .zraw, .img, ...), whose bytes the header alone does not show.
  fingerprint& add_image_file(const std::filesystem::path& file) {
    add_file(file);
    const auto extension = file.extension().string();
    if ((extension == ".mhd" || extension == ".nhdr") && file.has_parent_path()) {
      std::vector<std::filesystem::path> data;
      for (const auto& entry : std::filesystem::directory_iterator(file.parent_path())) {
        if (entry.is_regular_file() && entry.path() != file && entry.path().stem() == file.stem())
          data.push_back(entry.path());
      }
      std::sort(data.begin(), data.end());
      for (const auto& d : data)
        add(d.filename().string()).add_file(d);
    }
    return *this;
  }
  /// Every regular file under `folder` (recursively), in name order, with its relative name.
  fingerprint& add_folder(const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> files;
    std::error_code error;
    if (std::filesystem::is_directory(folder, error)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
        if (entry.is_regular_file() && entry.path().extension() != ".partial")
          files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files)
      add(std::filesystem::relative(file, folder).string()).add_file(file);
    return add("<folder end>");
  }
  [[nodiscard]] std::string hex() const {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(state_));
    return text;
  }

 private:
  void add_bytes(const char* bytes, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      state_ ^= static_cast<unsigned char>(bytes[i]);
      state_ *= 0x100000001b3ULL;
    }
  }
  std::uint64_t state_ = 0xcbf29ce484222325ULL;
};

/// The hash of a stage's output: a file's bytes, or a folder's files.
inline std::string output_hash(const std::filesystem::path& output) {
  fingerprint f;
  // The error_code overload: a path the system refuses (a name longer than NAME_MAX) hashes as
  // a missing file instead of throwing filesystem_error.
  std::error_code error;
  if (std::filesystem::is_directory(output, error))
    f.add_folder(output);
  else
    f.add_file(output);
  return f.hex();
}

/// A stage's record as read back from DIR/records/<stage>.json.
struct stage_record {
  std::string inputs;  ///< the fingerprint of the stage's inputs
  std::vector<std::pair<std::string, std::string>> outputs;  ///< (path in the run folder, hash)
};

/// Parses the text of a stage's record: {"inputs": HASH, "outputs": {RELATIVE_PATH: HASH, ...}}
/// with at least one output. Nothing when the text is not such a record: not JSON, cut off,
/// another layout, or an output path that is empty, absolute, holds a NUL byte or a ".."
/// component (stage_records::finished writes none of these, and hashing one would read outside
/// the run folder: "/" is the whole file system). Safe for any bytes (a fuzzing entry point).
[[nodiscard]] inline std::optional<stage_record> parse_stage_record(std::string_view text) {
  const auto json = nlohmann::json::parse(text.begin(), text.end(), nullptr,
                                          /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("inputs") || !json.contains("outputs"))
    return std::nullopt;
  const auto& inputs = json["inputs"];
  const auto& outputs = json["outputs"];
  if (!inputs.is_string() || !outputs.is_object() || outputs.empty())
    return std::nullopt;
  stage_record record{inputs.get<std::string>(), {}};
  for (const auto& [path, hash] : outputs.items()) {
    const std::filesystem::path relative(path);
    if (!hash.is_string() || path.empty() || path.find('\0') != std::string::npos ||
        relative.has_root_path() ||
        std::find(relative.begin(), relative.end(), std::filesystem::path("..")) != relative.end())
      return std::nullopt;
    record.outputs.emplace_back(path, hash.get<std::string>());
  }
  return record;
}

/// DIR/records/<stage>.json: {"inputs": HASH, "outputs": {RELATIVE_PATH: HASH, ...}}.
class stage_records {
 public:
  explicit stage_records(std::filesystem::path run_folder) : run_(std::move(run_folder)) {}

  /// True when the stage's record has these inputs and every output it lists still has the
  /// hash it had when the stage finished. A record that cannot be read (missing, cut off, not
  /// this layout: see parse_stage_record) is not up to date: the stage runs again.
  [[nodiscard]] bool up_to_date(const std::string& stage, const std::string& inputs) const {
    std::ifstream in(file_of(stage), std::ios::binary);
    if (!in)
      return false;
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const auto record = parse_stage_record(text);
    if (!record || record->inputs != inputs)
      return false;
    for (const auto& [path, hash] : record->outputs) {
      if (output_hash(run_ / path) != hash)
        return false;
    }
    return true;
  }

  /// Records that the stage finished on `inputs`, writing `outputs` (relative to the run folder).
  void finished(const std::string& stage, const std::string& inputs,
                const std::vector<std::string>& outputs) const {
    std::filesystem::create_directories(run_ / "records");
    nlohmann::ordered_json record = {{"inputs", inputs},
                                     {"outputs", nlohmann::ordered_json::object()}};
    for (const auto& output : outputs)
      record["outputs"][output] = output_hash(run_ / output);
    detail::write_atomically(file_of(stage), "pipeline", [&](const std::filesystem::path& temp) {
      std::ofstream out(temp);
      out << record.dump(2) << '\n';
      out.close();
      if (!out)
        throw std::runtime_error(detail::stream_failure_reason());
    });
  }

  /// Forgets a stage (it ran again and failed, or its inputs changed).
  void forget(const std::string& stage) const {
    std::error_code ignored;
    std::filesystem::remove(file_of(stage), ignored);
  }

 private:
  [[nodiscard]] std::filesystem::path file_of(const std::string& stage) const {
    return run_ / "records" / (stage + ".json");
  }
  std::filesystem::path run_;
};

}  // namespace discgeom::cli
