// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Checks a NRRD header (.nrrd with its data, .nhdr naming a data file) and its voxel data
/// before ITK's NrrdIO reads them. Fields as in the NRRD format definition (teem, NRRD0005):
/// "field: value" lines after the NRRD000N magic, ended by an empty line.

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "discgeom/io/detail/byte_stream.hpp"
#include "discgeom/io/detail/header_check.hpp"
#include "discgeom/io/detail/metaimage_check.hpp"
#include "discgeom/io/detail/text_header.hpp"

namespace discgeom::detail {

/// A NRRD voxel type: its bytes (0 for a type discgeom does not read), and for text data the
/// values it holds exactly.
struct nrrd_type {
  std::uint64_t bytes = 0;
  bool integer = false;
  bool is_signed = false;
};

/// The NRRD type named `name` (the NRRD format's spellings, NRRD0005).
[[nodiscard]] inline nrrd_type nrrd_type_of(std::string_view name) {
  struct spelling {
    std::string_view name;
    nrrd_type type;
  };
  static constexpr nrrd_type i8{1, true, true}, u8{1, true, false}, i16{2, true, true},
      u16{2, true, false}, i32{4, true, true}, u32{4, true, false}, i64{8, true, true},
      u64{8, true, false}, f32{4, false, true}, f64{8, false, true};
  static constexpr spelling spellings[] = {{"signed char", i8},
                                           {"int8", i8},
                                           {"int8_t", i8},
                                           {"uchar", u8},
                                           {"unsigned char", u8},
                                           {"uint8", u8},
                                           {"uint8_t", u8},
                                           {"short", i16},
                                           {"short int", i16},
                                           {"signed short", i16},
                                           {"signed short int", i16},
                                           {"int16", i16},
                                           {"int16_t", i16},
                                           {"ushort", u16},
                                           {"unsigned short", u16},
                                           {"unsigned short int", u16},
                                           {"uint16", u16},
                                           {"uint16_t", u16},
                                           {"int", i32},
                                           {"signed int", i32},
                                           {"int32", i32},
                                           {"int32_t", i32},
                                           {"uint", u32},
                                           {"unsigned int", u32},
                                           {"uint32", u32},
                                           {"uint32_t", u32},
                                           {"longlong", i64},
                                           {"long long", i64},
                                           {"long long int", i64},
                                           {"signed long long", i64},
                                           {"signed long long int", i64},
                                           {"int64", i64},
                                           {"int64_t", i64},
                                           {"ulonglong", u64},
                                           {"unsigned long long", u64},
                                           {"unsigned long long int", u64},
                                           {"uint64", u64},
                                           {"uint64_t", u64},
                                           {"float", f32},
                                           {"double", f64}};
  for (const auto& s : spellings)
    if (s.name == name)
      return s.type;
  return {};
}

/// Counts the whitespace-separated numbers of text voxel data, refusing a word that is not a
/// number, or, for an integer type, not a whole number in its range: teem would convert it
/// silently (1000 into a uchar wraps, 1.7 into a short truncates).
inline std::uint64_t count_text_numbers(const header_context& file, byte_stream& data,
                                        const nrrd_type& type) {
  std::array<std::byte, 1 << 16> buffer;
  std::string word;
  std::uint64_t count = 0;
  const double top = std::ldexp(1.0, static_cast<int>(type.bytes * 8 - (type.is_signed ? 1 : 0)));
  const double bottom = type.is_signed ? -top : 0.0;
  const auto finish_word = [&] {
    if (word.empty())
      return;
    const auto value = parse_real(word);
    if (!value)
      file.refuse("encoding", "the text data hold '", text_excerpt(word, 40), "', not a number");
    if (type.integer && !(*value == std::floor(*value) && *value >= bottom && *value < top))
      file.refuse("encoding", "the text data hold ", text_excerpt(word, 40),
                  ", not a whole number that the type holds");
    ++count;
    word.clear();
  };
  for (;;) {
    const std::size_t got = data.read(buffer);
    for (std::size_t i = 0; i < got; ++i) {
      const char c = static_cast<char>(buffer[i]);
      if (std::isspace(static_cast<unsigned char>(c)) != 0) {
        finish_word();
      } else if (word.size() < 64) {
        word += c;
      } else {
        file.refuse("encoding", "the text data hold a word longer than 64 characters");
      }
    }
    if (got < buffer.size())
      break;
  }
  finish_word();
  return count;
}

/// The offset after `lines` line ends from `offset` on, read in blocks.
inline std::uint64_t skip_lines(const header_context& file, random_access_bytes& data,
                                std::uint64_t offset, std::int64_t lines) {
  std::array<std::byte, 1 << 16> buffer;
  std::int64_t skipped = 0;
  while (skipped < lines) {
    const std::size_t got = data.read_at(offset, buffer);
    if (got == 0)
      file.refuse("line skip", "the data end before line ", skipped + 1, " of ", lines);
    for (std::size_t i = 0; i < got && skipped < lines; ++i) {
      ++offset;
      if (buffer[i] == std::byte{'\n'})
        ++skipped;
    }
  }
  return offset;
}

/// A vector "(x,y,z)" of a NRRD header, each component checked.
inline std::vector<double> nrrd_vector(const header_context& file, const char* field,
                                       std::string_view text) {
  text = trim(text);
  if (text.size() < 2 || text.front() != '(' || text.back() != ')')
    file.refuse(field, "'", text_excerpt(text, 40), "' is not a vector (x,y,z)");
  text = text.substr(1, text.size() - 2);
  std::vector<double> result;
  for (std::size_t at = 0; at <= text.size();) {
    const auto comma = std::min(text.find(',', at), text.size());
    const auto number = parse_real(trim(text.substr(at, comma - at)));
    if (!number)
      file.refuse(field, "'", text_excerpt(text, 40), "' has a component that is not a number");
    check_coordinate(file, field, *number);
    result.push_back(*number);
    at = comma + 1;
  }
  if (result.size() < 2 || result.size() > 3)
    file.refuse(field, "a vector of ", result.size(), " components; 2 or 3 expected");
  return result;
}

/// Checks a NRRD file's header and data.
/// \throws io_error naming the file and the field
inline declared_image check_nrrd(const header_context& file, random_access_bytes& bytes,
                                 const open_data_file& open_detached) {
  std::vector<std::byte> head(
      static_cast<std::size_t>(std::min<std::uint64_t>(bytes.size(), max_text_header_bytes)));
  head.resize(bytes.read_at(0, head));
  const std::string_view text(reinterpret_cast<const char*>(head.data()), head.size());
  if (text.size() < 8 || text.substr(0, 7) != "NRRD000" || text[7] < '1' || text[7] > '5')
    file.refuse("magic", "the file does not start with NRRD0001 to NRRD0005");

  std::map<std::string, std::string, std::less<>> fields;
  std::size_t at = text.find('\n');
  at = at == std::string_view::npos ? text.size() : at + 1;
  std::size_t data_offset = 0;
  bool blank_line = false;
  while (at < text.size()) {
    const auto line_end = text.find('\n', at);
    std::string_view line =
        text.substr(at, line_end == std::string_view::npos ? text.size() - at : line_end - at);
    at = line_end == std::string_view::npos ? text.size() : line_end + 1;
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    if (line.empty()) {
      blank_line = true;
      data_offset = at;
      break;
    }
    if (line.front() == '#' || line.find(":=") != std::string_view::npos)
      continue;  // a comment or a key/value pair
    auto colon = line.find(": ");
    if (colon == std::string_view::npos && !line.empty() && line.back() == ':')
      colon = line.size() - 1;  // "field:" with an empty value
    if (colon == std::string_view::npos)
      file.refuse("header", "the line '", text_excerpt(line, 40), "' is not 'field: value'");
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    name.erase(std::remove(name.begin(), name.end(), ' '), name.end());  // "data file" = "datafile"
    if (!fields.emplace(name, std::string(trim(line.substr(std::min(colon + 2, line.size())))))
             .second)
      file.refuse(name.c_str(), "given twice");
  }
  const auto field = [&](std::string_view name) -> const std::string* {
    const auto found = fields.find(name);
    return found == fields.end() ? nullptr : &found->second;
  };
  const auto required = [&](const char* name) -> const std::string& {
    const std::string* value = field(name);
    if (value == nullptr)
      file.refuse(name, "missing");
    return *value;
  };

  const std::string& dimension_text = required("dimension");
  const auto dimension = parse_integer(dimension_text);
  if (!dimension || *dimension < 1 || *dimension > 16)
    file.refuse("dimension", "'", text_excerpt(dimension_text, 40), "' is not 1 to 16");
  const auto rank = static_cast<std::size_t>(*dimension);

  const std::string& type = required("type");
  const nrrd_type voxel_type = nrrd_type_of(type);
  const std::uint64_t element_bytes = voxel_type.bytes;
  if (element_bytes == 0)
    file.refuse("type", "'", text_excerpt(type, 40),
                "' is not a scalar integer or float type that discgeom reads");

  const auto extents = words(required("sizes"));
  if (extents.size() != rank)
    file.refuse("sizes", extents.size(), " extents for dimension ", rank);
  const std::uint64_t voxels = voxel_count(file, "sizes", extents);
  const std::uint64_t data_bytes = checked_product(file, "sizes", voxels, element_bytes);

  const std::string* directions = field("spacedirections");
  if (directions != nullptr) {
    std::size_t vectors = 0;
    std::string_view rest = *directions;
    while (!trim(rest).empty()) {
      rest = rest.substr(rest.find_first_not_of(" \t"));
      if (rest.substr(0, 4) == "none") {
        rest.remove_prefix(4);
      } else {
        const auto close = rest.find(')');
        if (close == std::string_view::npos)
          file.refuse("space directions", "'", text_excerpt(rest, 40), "' is not a vector");
        const auto vector = nrrd_vector(file, "space directions", rest.substr(0, close + 1));
        if (std::all_of(vector.begin(), vector.end(), [](double v) { return v == 0.0; }))
          file.refuse("space directions", "axis ", vectors, " has a zero vector");
        rest.remove_prefix(close + 1);
      }
      ++vectors;
    }
    if (vectors != rank)
      file.refuse("space directions", vectors, " entries for dimension ", rank);
  } else if (const std::string* spacings = field("spacings")) {
    const auto values = words(*spacings);
    if (values.size() != rank)
      file.refuse("spacings", values.size(), " values for dimension ", rank);
    for (const auto word : values) {
      const auto spacing = parse_real(word);
      if (!spacing)
        file.refuse("spacings", "'", text_excerpt(word, 40), "' is not a number");
      check_spacing(file, "spacings", *spacing);
    }
  }
  if (const std::string* origin = field("spaceorigin"))
    (void)nrrd_vector(file, "space origin", *origin);
  for (const auto& [key, shown] : {std::pair{"axismins", "axis mins"}, {"axismaxs", "axis maxs"}}) {
    if (const std::string* values = field(key)) {
      for (const auto word : words(*values)) {
        const auto value = parse_real(word);
        if (!value)
          file.refuse(shown, "'", text_excerpt(word, 40), "' is not a number");
        if (!std::isnan(*value))  // nan: no bound on that axis
          check_coordinate(file, shown, *value);
      }
    }
  }

  if (file.header_only)
    return {voxels, element_bytes};
  // Where the data are, and how they are encoded.
  const std::string* data_name = field("datafile");
  if (data_name == nullptr && !blank_line)
    file.refuse("header", "no blank line ends the header within ", max_text_header_bytes,
                " bytes, and no data file is named");
  std::unique_ptr<random_access_bytes> detached;
  random_access_bytes* data = &bytes;
  std::uint64_t offset = data_offset;
  if (data_name != nullptr) {
    if (data_name->empty() || data_name->find('%') != std::string::npos ||
        data_name->rfind("LIST", 0) == 0)
      file.refuse("data file", "'", text_excerpt(*data_name, 40), "': only one data file is read");
    detached = open_detached(*data_name);
    data = detached.get();
    offset = 0;
  }
  const auto skip_count = [&](const char* name, const char* shown, std::int64_t least) {
    const std::string* value = field(name);
    if (value == nullptr)
      return std::int64_t{0};
    const auto count = parse_integer(*value);
    if (!count || *count < least)
      file.refuse(shown, "'", text_excerpt(*value, 40), "' is not a count of at least ", least);
    return *count;
  };
  const std::int64_t line_skip = skip_count("lineskip", "line skip", 0);
  const std::int64_t byte_skip = skip_count("byteskip", "byte skip", -1);

  const std::string& encoding = required("encoding");
  range_stream file_data(*data, skip_lines(file, *data, offset, line_skip));
  const auto refuse_short = [&](std::uint64_t present, const char* what) {
    file.refuse("sizes", "the header declares ", voxels, " voxels of ", element_bytes, " bytes (",
                data_bytes, " bytes), but ", data->name(), " holds ", present, " ", what,
                " (truncated)");
  };
  if (encoding == "raw") {
    if (byte_skip == -1) {
      if (data->size() < data_bytes)
        refuse_short(data->size(), "bytes");
    } else {
      if (file_data.skip(static_cast<std::uint64_t>(byte_skip)) <
          static_cast<std::uint64_t>(byte_skip))
        file.refuse("byte skip", "the data end before the ", byte_skip, " bytes to skip");
      const std::uint64_t present = file_data.drain();
      if (present < data_bytes)
        refuse_short(present, "bytes of voxel data");
    }
  } else if (encoding == "gzip" || encoding == "gz") {
    if (byte_skip < 0)
      file.refuse("byte skip", "-1 is only for raw data");
    inflate_stream inflated(file_data, compressed_format::gzip, data->name(), file.function);
    const std::uint64_t needed = static_cast<std::uint64_t>(byte_skip) + data_bytes;
    const std::uint64_t present = inflated.skip(needed + max_bytes_after_data + 1);
    if (present < needed)
      refuse_short(present, "bytes once inflated");
    if (present > needed + max_bytes_after_data)
      file.refuse("sizes", "the compressed data hold more than ", max_bytes_after_data,
                  " bytes after the declared ", data_bytes, " bytes of voxel data");
  } else if (encoding == "ascii" || encoding == "text" || encoding == "txt") {
    if (byte_skip < 0)
      file.refuse("byte skip", "-1 is only for raw data");
    file_data.skip(static_cast<std::uint64_t>(byte_skip));
    const std::uint64_t present = count_text_numbers(file, file_data, voxel_type);
    if (present < voxels)
      refuse_short(present, "numbers");
  } else {
    file.refuse("encoding", "'", text_excerpt(encoding, 40),
                "' is not read (raw, gzip or ascii are); convert the file");
  }
  return {voxels, element_bytes};
}

}  // namespace discgeom::detail
