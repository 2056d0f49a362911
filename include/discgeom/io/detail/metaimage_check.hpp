// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Checks a MetaImage header (.mha with its data, .mhd naming a data file) and its voxel data
/// before ITK's MetaIO reads them. The header is "Key = Value" lines ending with
/// ElementDataFile; the keys are those of MetaIO (Kitware, metaImage.cxx).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "discgeom/io/detail/byte_stream.hpp"
#include "discgeom/io/detail/header_check.hpp"
#include "discgeom/io/detail/text_header.hpp"

namespace discgeom::detail {

/// Opens a detached data file named in a header (relative to the header's folder).
using open_data_file = std::function<std::unique_ptr<random_access_bytes>(const std::string&)>;

/// The longest text header read (MetaImage, NRRD): a real one is under 1 KiB.
inline constexpr std::size_t max_text_header_bytes = 1 << 20;

/// The bytes of a MetaIO element type discgeom reads, or 0. An `_ARRAY` type (of one channel,
/// checked apart) is read as its scalar type, as MetaIO does.
[[nodiscard]] inline std::uint64_t metaimage_element_bytes(std::string_view type) {
  static const std::map<std::string_view, std::uint64_t> sizes{
      {"MET_CHAR", 1},      {"MET_UCHAR", 1},      {"MET_SHORT", 2}, {"MET_USHORT", 2},
      {"MET_INT", 4},       {"MET_UINT", 4},       {"MET_LONG", 4},  {"MET_ULONG", 4},
      {"MET_LONG_LONG", 8}, {"MET_ULONG_LONG", 8}, {"MET_FLOAT", 4}, {"MET_DOUBLE", 8}};
  if (type.ends_with("_ARRAY"))
    type.remove_suffix(6);
  const auto found = sizes.find(type);
  return found == sizes.end() ? 0 : found->second;
}

/// Checks a MetaImage file's header and data.
/// \throws io_error naming the file and the key
inline declared_image check_metaimage(const header_context& file, random_access_bytes& bytes,
                                      const open_data_file& open_detached) {
  std::vector<std::byte> head(
      static_cast<std::size_t>(std::min<std::uint64_t>(bytes.size(), max_text_header_bytes)));
  head.resize(bytes.read_at(0, head));
  const std::string_view text(reinterpret_cast<const char*>(head.data()), head.size());

  std::map<std::string, std::string, std::less<>> keys;
  std::map<std::string, std::size_t, std::less<>> order;  // the key's line among the keys
  std::size_t at = 0, data_offset = 0;
  bool ended = false;
  bool merged = false;  // the last line had no '=': MetaIO reads it and this one as one key
  while (at < text.size() && !ended) {
    const auto line_end = text.find('\n', at);
    const std::string_view line =
        text.substr(at, line_end == std::string_view::npos ? text.size() - at : line_end - at);
    at = line_end == std::string_view::npos ? text.size() : line_end + 1;
    if (trim(line).empty())
      continue;
    const auto equals = line.find('=');
    if (equals == std::string_view::npos) {
      merged = true;  // a comment: MetaIO's key runs on to the next '=', losing that line's key
      continue;
    }
    if (merged) {
      merged = false;
      continue;
    }
    const std::string key(trim(line.substr(0, equals)));
    keys[key] = std::string(trim(line.substr(equals + 1)));
    order.emplace(key, order.size());
    if (key == "ElementDataFile") {
      ended = true;
      data_offset = at;
    }
  }
  if (!ended)
    file.refuse("ElementDataFile", "no such key in the first ", max_text_header_bytes,
                " bytes: the header does not end");
  const auto value = [&](std::string_view key) -> const std::string* {
    const auto found = keys.find(key);
    return found == keys.end() ? nullptr : &found->second;
  };
  const auto numbers = [&](const char* key, std::size_t count) {
    std::vector<double> result;
    const std::string* text_value = value(key);
    if (text_value == nullptr)
      return result;
    for (const auto word : words(*text_value)) {
      const auto number = parse_real(word);
      if (!number)
        file.refuse(key, "'", text_excerpt(word, 40), "' is not a number");
      result.push_back(*number);
    }
    if (result.size() < count)  // MetaIO reads the first `count` and ignores the rest
      file.refuse(key, result.size(), " values, expected ", count);
    result.resize(count);
    return result;
  };

  const std::string* ndims_text = value("NDims");
  if (ndims_text == nullptr)
    file.refuse("NDims", "missing");
  for (const char* key :
       {"DimSize", "ElementSpacing", "ElementSize", "Offset", "Position", "Origin",
        "TransformMatrix", "Rotation", "Orientation", "CenterOfRotation"}) {
    const auto at = order.find(std::string_view(key));
    if (at != order.end() && at->second < order.find(std::string_view("NDims"))->second)
      file.refuse(key, "given before NDims, which MetaIO needs first");
  }
  const auto ndims = parse_integer(*ndims_text);
  if (!ndims || *ndims < 1 || *ndims > 10)
    file.refuse("NDims", "'", text_excerpt(*ndims_text, 40),
                "' is not a number of axes from 1 to 10");
  const auto rank = static_cast<std::size_t>(*ndims);

  const std::string* dim_text = value("DimSize");
  if (dim_text == nullptr)
    file.refuse("DimSize", "missing");
  const auto extents = words(*dim_text);
  if (extents.size() != rank)
    file.refuse("DimSize", extents.size(), " extents for NDims = ", rank);
  const std::uint64_t voxels = voxel_count(file, "DimSize", extents);

  const std::string* type = value("ElementType");
  if (type == nullptr)
    file.refuse("ElementType", "missing");
  const std::uint64_t element_bytes = metaimage_element_bytes(*type);
  if (element_bytes == 0)
    file.refuse("ElementType", "'", text_excerpt(*type, 40),
                "' is not a scalar integer or float type that discgeom reads");
  if (const std::string* channels = value("ElementNumberOfChannels");
      channels != nullptr && *channels != "1")
    file.refuse("ElementNumberOfChannels", "'", text_excerpt(*channels, 40),
                "': only scalar images (1 channel) are read");
  if (const std::string* binary = value("BinaryData"); binary != nullptr && *binary != "True")
    file.refuse("BinaryData", "'", text_excerpt(*binary, 40),
                "': voxel data written as text are not read; write the image as binary");

  for (const char* key : {"ElementSpacing", "ElementSize"})
    for (const double spacing : numbers(key, rank))
      check_spacing(file, key, spacing);
  for (const char* key : {"Offset", "Position", "Origin", "CenterOfRotation"})
    for (const double coordinate : numbers(key, rank))
      check_coordinate(file, key, coordinate);
  for (const char* key : {"TransformMatrix", "Rotation", "Orientation"})
    for (const double entry : numbers(key, rank * rank))
      check_coordinate(file, key, entry);

  const std::uint64_t data_bytes = checked_product(file, "DimSize", voxels, element_bytes);
  const std::string* compressed_text = value("CompressedData");
  const bool compressed = compressed_text != nullptr && *compressed_text == "True";
  if (compressed_text != nullptr && !compressed && *compressed_text != "False")
    file.refuse("CompressedData", "'", text_excerpt(*compressed_text, 40),
                "' is not True or False");

  if (file.header_only)
    return {voxels, element_bytes};
  // Where the data are: after the header (LOCAL) or in one named file, after HeaderSize bytes
  // (-1: the last bytes of the file).
  const std::string& data_name = *value("ElementDataFile");
  if (data_name.empty() || data_name == "LIST" || data_name.find('%') != std::string::npos)
    file.refuse("ElementDataFile", "'", text_excerpt(data_name, 40),
                "': only LOCAL or one data file is read");
  std::unique_ptr<random_access_bytes> detached;
  random_access_bytes* data = &bytes;
  std::uint64_t offset = data_offset;
  if (data_name != "LOCAL") {
    detached = open_detached(data_name);
    data = detached.get();
    offset = 0;
  }
  if (const std::string* header_size_text = value("HeaderSize")) {
    const auto header_size = parse_integer(*header_size_text);
    if (!header_size || *header_size < -1)
      file.refuse("HeaderSize", "'", text_excerpt(*header_size_text, 40),
                  "' is not -1 or a byte count");
    if (*header_size == -1) {
      if (compressed)
        file.refuse("HeaderSize", "-1 (data at the end) with compressed data");
      offset = data->size() >= data_bytes ? data->size() - data_bytes : 0;
    } else if (*header_size > 0) {
      offset = static_cast<std::uint64_t>(*header_size);  // from the data file's start, LOCAL too
    }
  }

  std::uint64_t present = 0;
  if (compressed) {
    std::uint64_t end = data->size();
    if (data_name == "LOCAL" && value("CompressedDataSize") == nullptr)
      file.refuse("CompressedDataSize",
                  "missing: MetaIO inflates data after the header only when "
                  "their size is given");
    if (const std::string* size_text = value("CompressedDataSize")) {
      const auto size = parse_integer(*size_text);
      if (!size || *size < 1 ||
          static_cast<std::uint64_t>(*size) > data->size() - std::min(offset, data->size()))
        file.refuse("CompressedDataSize", "'", text_excerpt(*size_text, 40),
                    "' is not a byte count within the file");
      end = offset + static_cast<std::uint64_t>(*size);
    }
    range_stream compressed_data(*data, offset, end);
    inflate_stream inflated(compressed_data, compressed_format::single_zlib_or_gzip, data->name(),
                            file.function);
    present = inflated.skip(data_bytes + 1);
    if (present == data_bytes)
      (void)inflated.skip(1);  // to the stream's end: its check value, nothing after it
    if (present != data_bytes)
      file.refuse("DimSize", "the header declares ", voxels, " voxels of ", element_bytes,
                  " bytes (", data_bytes, " bytes), but the compressed data hold ", present,
                  " bytes");
  } else {
    present = data->size() > offset ? data->size() - offset : 0;
    if (present < data_bytes)
      file.refuse("DimSize", "the header declares ", voxels, " voxels of ", element_bytes,
                  " bytes (", data_bytes, " bytes), but ", data->name(), " holds ", present,
                  " bytes of voxel data (truncated)");
  }
  return {voxels, element_bytes};
}

}  // namespace discgeom::detail
