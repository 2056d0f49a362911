// SPDX-License-Identifier: MIT
// Every bad image file of the reliability checks, made from files that write_image writes plus
// byte edits: each must be refused by check_image_file and read_image with one line naming the
// file and the field, and never read as numbers.
#include "discgeom/io/image_check.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "discgeom/io/image_io.hpp"
#include "gzip_bytes.hpp"

namespace fs = std::filesystem;
using bytes = std::vector<std::byte>;

namespace {

fs::path scratch_dir() {
  const fs::path dir = fs::temp_directory_path() / "discgeom_image_check_tests";
  fs::create_directories(dir);
  return dir;
}

bytes read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> chars((std::istreambuf_iterator<char>(in)), {});
  bytes result(chars.size());
  std::memcpy(result.data(), chars.data(), chars.size());
  return result;
}

void write_bytes(const fs::path& path, const bytes& content) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(content.data()),
             static_cast<std::streamsize>(content.size()));
}

bytes text_bytes(const std::string& text) {
  bytes result(text.size());
  std::memcpy(result.data(), text.data(), text.size());
  return result;
}

template <class T>
void put(bytes& content, std::size_t offset, T value) {
  std::memcpy(content.data() + offset, &value, sizeof(T));
}

bytes gzip(const bytes& plain) {
  return discgeom_test::compress_bytes(plain);
}
bytes gunzip(const bytes& compressed) {
  return discgeom_test::gunzip_bytes(compressed);
}

discgeom::image<std::uint8_t> small_mask() {
  const discgeom::image_geometry geometry{.spacing = {0.5, 0.75, 4.0},
                                          .origin = {-10.0, 20.0, 30.0}};
  auto mask = discgeom::image<std::uint8_t>::filled({9, 7, 5}, geometry, 0);
  for (std::size_t k = 1; k < 4; ++k)
    for (std::size_t j = 2; j < 5; ++j)
      for (std::size_t i = 1; i < 8; ++i)
        mask.voxels(i, j, k) = 1;
  return mask;
}

// A file written by write_image, as bytes.
bytes written(const std::string& name) {
  const fs::path path = scratch_dir() / ("valid_" + name);
  discgeom::write_image(path, small_mask());
  return read_bytes(path);
}

// The file `name` holding `content` is refused by the check and by read_image, with one line
// that names the file and contains every part of `expected`.
void require_refused(const std::string& name, const bytes& content,
                     const std::vector<std::string>& expected) {
  const fs::path path = scratch_dir() / name;
  write_bytes(path, content);
  INFO(name);
  for (int reader = 0; reader < 3; ++reader) {
    std::string message;
    try {
      if (reader == 0)
        (void)discgeom::check_image_file(path);
      else if (reader == 1)
        (void)discgeom::read_image<std::uint8_t>(path);
      else
        (void)discgeom::check_image_bytes(content, path.string());
      FAIL("accepted: " << name);
    } catch (const discgeom::io_error& e) {
      message = e.what();
    }
    INFO(message);
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.find(path.string()) != std::string::npos);
    for (const auto& part : expected)
      CHECK(message.find(part) != std::string::npos);
  }
}

// NIfTI-1 field offsets.
constexpr std::size_t dim_at = 40, datatype_at = 70, bitpix_at = 72, pixdim_at = 76,
                      vox_offset_at = 108, scl_slope_at = 112, qform_code_at = 252,
                      sform_code_at = 254, quatern_b_at = 256, srow_x_at = 280;

}  // namespace

TEST_CASE("image check: every format write_image writes passes and reads back") {
  for (const char* name : {"a.nii", "a.nii.gz", "a.mha", "a.nrrd", "a.mhd", "a.nhdr"}) {
    INFO(name);
    const fs::path path = scratch_dir() / name;
    discgeom::write_image(path, small_mask());
    const auto checked = discgeom::check_image_file(path);
    CHECK(checked.voxels == 9 * 7 * 5);
    CHECK(checked.bytes_per_voxel == 1);
    const auto back = discgeom::read_image<std::uint8_t>(path);
    CHECK(back.voxels == small_mask().voxels);
  }
  for (const auto& entry : fs::directory_iterator(scratch_dir()))
    CHECK(entry.path().string().find(".partial") == std::string::npos);
}

TEST_CASE("image check: the real masks pass", "[real]") {
  const fs::path folder = fs::path(DISCGEOM_REAL_DATA_DIR);
  if (!fs::is_directory(folder))
    return;  // the shared data are absent
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().string().ends_with(".nii.gz"))
      CHECK(discgeom::check_image_file(entry.path()).voxels > 0);
  }
}

TEST_CASE("image check: NIfTI headers with impossible fields are refused, naming the field") {
  const bytes nii = written("h.nii");
  REQUIRE(nii.size() == 352 + 9 * 7 * 5);

  auto edited = nii;
  edited.resize(nii.size() - 100);
  require_refused("truncated.nii", edited, {"dim", "truncated", "315 bytes"});
  // The header alone is sound: reading the header only checks the header.
  CHECK(discgeom::read_image_header(scratch_dir() / "truncated.nii").shape ==
        std::array<std::size_t, 3>{9, 7, 5});
  CHECK(discgeom::check_image_file(scratch_dir() / "truncated.nii", "f", {.header_only = true})
            .voxels == 315);

  for (const float bad : {0.0f, -1.0f, std::numeric_limits<float>::quiet_NaN(),
                          std::numeric_limits<float>::infinity()}) {
    edited = nii;
    put<float>(edited, pixdim_at + 4, bad);
    require_refused("pixdim.nii", edited, {"pixdim[1]", "not a positive number"});
  }
  edited = nii;
  put<std::int16_t>(edited, qform_code_at, 1);
  put<float>(edited, quatern_b_at, std::numeric_limits<float>::quiet_NaN());
  require_refused("quaternion.nii", edited, {"quatern_b", "not finite"});

  for (const float bad :
       {std::numeric_limits<float>::infinity(), 1.0e30f, std::numeric_limits<float>::quiet_NaN()}) {
    edited = nii;
    put<std::int16_t>(edited, sform_code_at, 1);
    put<float>(edited, srow_x_at, bad);
    require_refused("srow.nii", edited, {"srow_x"});
  }
  edited = nii;
  put<std::int16_t>(edited, datatype_at, 128);  // RGB24
  put<std::int16_t>(edited, bitpix_at, 24);
  require_refused("rgb.nii", edited, {"datatype", "code 128"});

  edited = nii;
  put<std::int16_t>(edited, bitpix_at, 16);
  require_refused("bitpix.nii", edited, {"bitpix", "16 bits"});

  edited = nii;
  put<std::int16_t>(edited, dim_at + 2, 0);
  require_refused("zero_extent.nii", edited, {"dim", "extent 0"});

  edited = nii;
  for (std::size_t d = 1; d <= 7; ++d)
    put<std::int16_t>(edited, dim_at + 2 * d, 32767);
  put<std::int16_t>(edited, dim_at, 7);
  require_refused("overflow.nii", edited, {"dim", "overflows"});

  edited = nii;
  put<float>(edited, vox_offset_at, 100.0f);
  require_refused("offset.nii", edited, {"vox_offset"});

  edited = nii;
  put<float>(edited, scl_slope_at, std::numeric_limits<float>::quiet_NaN());
  require_refused("slope.nii", edited, {"scl_slope"});

  edited = nii;
  put<std::int32_t>(edited, 0, 1234);
  require_refused("size.nii", edited, {"sizeof_hdr"});
}

TEST_CASE("image check: corrupt gzip streams in .nii.gz are refused") {
  const bytes gz = written("g.nii.gz");
  const bytes plain = gunzip(gz);

  auto edited = gz;
  edited.resize(gz.size() - 20);
  require_refused("cut.nii.gz", edited, {"compressed data are corrupt", "truncated"});

  edited = gz;
  put<std::uint32_t>(edited, gz.size() - 8, 0x12345678u);  // CRC-32
  require_refused("crc.nii.gz", edited, {"compressed data are corrupt", "incorrect data check"});

  edited = gz;
  put<std::uint32_t>(edited, gz.size() - 4, 7u);  // ISIZE
  require_refused("length.nii.gz", edited,
                  {"compressed data are corrupt", "incorrect length check"});

  edited = gz;
  edited[gz.size() / 2] ^= std::byte{0x10};  // a bit flip inside the deflate blocks
  require_refused("flip.nii.gz", edited, {"compressed data are corrupt"});

  edited = gz;
  edited.push_back(std::byte{'x'});
  require_refused("trailing.nii.gz", edited, {"bytes follow the end"});

  auto short_plain = plain;
  short_plain.resize(plain.size() - 40);  // a valid stream around a cut-off image
  require_refused("short.nii.gz", gzip(short_plain), {"dim", "truncated"});

  auto nan_pixdim = plain;
  put<float>(nan_pixdim, pixdim_at + 8, std::numeric_limits<float>::quiet_NaN());
  require_refused("nan_pixdim.nii.gz", gzip(nan_pixdim), {"pixdim[2]"});

  // Two gzip members are one valid file (gzip -c a b), and read back whole.
  bytes first(plain.begin(), plain.begin() + 200), second(plain.begin() + 200, plain.end());
  auto members = gzip(first);
  const auto tail = gzip(second);
  members.insert(members.end(), tail.begin(), tail.end());
  write_bytes(scratch_dir() / "members.nii.gz", members);
  const auto whole = discgeom::read_image<std::uint8_t>(scratch_dir() / "members.nii.gz");
  CHECK(whole.voxels == small_mask().voxels);
}

TEST_CASE("image check: broken MetaImage files are refused") {
  const std::string header =
      "ObjectType = Image\nNDims = 3\nDimSize = 4 3 2\nElementSpacing = 1 1 2\n"
      "ElementType = MET_UCHAR\n";
  const auto with_data = [](const std::string& text, std::size_t data_bytes) {
    auto content = text_bytes(text);
    content.resize(content.size() + data_bytes, std::byte{1});
    return content;
  };
  write_bytes(scratch_dir() / "raw.mha", with_data(header + "ElementDataFile = LOCAL\n", 24));
  CHECK(discgeom::read_image<std::uint8_t>(scratch_dir() / "raw.mha").voxels(3, 2, 1) == 1);

  require_refused("short.mha", with_data(header + "ElementDataFile = LOCAL\n", 23),
                  {"DimSize", "truncated"});
  require_refused("string.mha",
                  with_data("ObjectType = Image\nNDims = 3\nDimSize = 4 3 2\nBinaryData = False\n"
                            "ElementType = MET_STRING\nElementDataFile = LOCAL\n",
                            24),
                  {"ElementType", "MET_STRING"});
  require_refused("ascii.mha",
                  with_data(header + "BinaryData = False\nElementDataFile = LOCAL\n", 24),
                  {"BinaryData"});
  require_refused("nan_spacing.mha",
                  with_data("NDims = 3\nDimSize = 4 3 2\nElementSpacing = 1 nan 2\n"
                            "ElementType = MET_UCHAR\nElementDataFile = LOCAL\n",
                            24),
                  {"ElementSpacing"});
  require_refused("huge_offset.mha",
                  with_data(header + "Offset = 0 1e300 0\nElementDataFile = LOCAL\n", 24),
                  {"Offset"});
  require_refused("no_end.mha", text_bytes(header), {"ElementDataFile"});

  // ITK's own compressed .mha with its zlib data damaged.
  const bytes mha = written("c.mha");
  auto edited = mha;
  edited[mha.size() - 3] ^= std::byte{0xff};
  require_refused("corrupt.mha", edited, {"compressed data are corrupt"});
  edited = mha;
  edited.resize(mha.size() - 5);
  require_refused("cut.mha", edited, {"CompressedDataSize", "not a byte count within the file"});
}

TEST_CASE("image check: broken NRRD files are refused") {
  const std::string header =
      "NRRD0004\ntype: uchar\ndimension: 3\nsizes: 4 3 2\n"
      "spacings: 1 1 2\n";
  auto binary = text_bytes(header + "encoding: ascii\n\n");
  binary.resize(binary.size() + 24, std::byte{0xfe});
  require_refused("ascii_over_binary.nrrd", binary, {"encoding", "not a number"});

  require_refused("few_numbers.nrrd", text_bytes(header + "encoding: ascii\n\n1 2 3\n"),
                  {"sizes", "3 numbers"});

  auto raw = text_bytes(header + "encoding: raw\n\n");
  raw.resize(raw.size() + 20, std::byte{1});
  require_refused("short.nrrd", raw, {"sizes", "truncated"});

  require_refused("bzip.nrrd", text_bytes(header + "encoding: bzip2\n\n"), {"encoding", "bzip2"});
  require_refused("vector.nrrd",
                  text_bytes("NRRD0004\ntype: uchar\ndimension: 3\nsizes: 4 3 2\n"
                             "space directions: (1,0,0) (0,inf,0) (0,0,1)\nencoding: raw\n\n"),
                  {"space directions"});

  const bytes nrrd = written("c.nrrd");  // ITK writes gzip-encoded NRRD
  auto edited = nrrd;
  put<std::uint32_t>(edited, nrrd.size() - 8, 0u);
  require_refused("crc.nrrd", edited, {"compressed data are corrupt"});
}

TEST_CASE("image check: a declared size over the bound is refused before anything is read") {
  const fs::path path = scratch_dir() / "bounded.nii.gz";
  discgeom::write_image(path, small_mask());
  CHECK_THROWS_WITH(discgeom::read_image<std::uint8_t>(path, {.max_voxels = 100}),
                    Catch::Contains(path.string()) && Catch::Contains("315 voxels") &&
                        Catch::Contains("bound of 100"));
  CHECK(discgeom::read_image<std::uint8_t>(path, {.max_voxels = 315}).voxels.size() == 315);
  CHECK(discgeom::detail::allocatable_bytes() > 0);
}

TEST_CASE("image check: detached data files are checked too") {
  const fs::path header = scratch_dir() / "detached.mhd";
  discgeom::write_image(header, small_mask());
  // write_image's .mhd names its data file; cut that file short.
  for (const auto& entry : fs::directory_iterator(scratch_dir())) {
    const auto name = entry.path().filename().string();
    if (name.starts_with("detached.") && name != "detached.mhd") {
      auto data = read_bytes(entry.path());
      data.resize(data.size() / 2);
      write_bytes(entry.path(), data);
    }
  }
  CHECK_THROWS_AS(discgeom::check_image_file(header), discgeom::io_error);
  CHECK_THROWS_WITH(discgeom::check_image_bytes(read_bytes(header), "detached.mhd"),
                    Catch::Contains("is not in memory"));
}

TEST_CASE("image check: the temporary name keeps a double extension") {
  using discgeom::detail::partial_name_keeping_extension;
  CHECK(partial_name_keeping_extension("d/case.nii.gz") == fs::path("d/case.partial.nii.gz"));
  CHECK(partial_name_keeping_extension("d/case.01.mha") == fs::path("d/case.01.partial.mha"));
  CHECK(partial_name_keeping_extension("case") == fs::path("case.partial"));
  CHECK(partial_name_keeping_extension(".hidden") == fs::path(".hidden.partial"));
}

TEST_CASE("image check: the check agrees with what ITK's readers do with edge cases") {
  // Accepted, and read back as the file says.
  const bytes nii = written("e.nii");
  auto edited = nii;
  put<float>(edited, vox_offset_at, 348.0f);  // data right after the header, no extension flag
  edited.erase(edited.begin() + 348, edited.begin() + 352);
  write_bytes(scratch_dir() / "offset348.nii", edited);
  CHECK(discgeom::read_image<std::uint8_t>(scratch_dir() / "offset348.nii").voxels(1, 2, 1) == 1);
  auto padded = written("p.nii.gz");
  padded.resize(padded.size() + 512, std::byte{0});  // zero padding after the gzip stream
  write_bytes(scratch_dir() / "padded.nii.gz", padded);
  CHECK(discgeom::read_image<std::uint8_t>(scratch_dir() / "padded.nii.gz").voxels(1, 2, 1) == 1);
  const std::string meta = "NDims = 3\nDimSize = 4 3 2\n";
  // A comment line runs into the next line's key (MetaIO's parser): here ObjectType's.
  auto commented = text_bytes("# made by hand\nObjectType = Image\n" + meta +
                              "ElementSpacing = 1 1 2 9\n"
                              "ElementType = MET_UCHAR_ARRAY\nElementDataFile = LOCAL\n");
  commented.resize(commented.size() + 24, std::byte{1});
  write_bytes(scratch_dir() / "commented.mha", commented);
  CHECK(discgeom::read_image<std::uint8_t>(scratch_dir() / "commented.mha").voxels(3, 2, 1) == 1);

  // Refused: what ITK would read as other voxels than the file's, or at great cost.
  edited = nii;
  put<float>(edited, vox_offset_at, 4294967296.0f);
  require_refused("offset_int.nii", edited, {"vox_offset", "2^31 - 1"});
  edited = nii;
  put<float>(edited, vox_offset_at, 352.0f + 100.0f * 1024 * 1024);
  require_refused("extensions.nii", edited, {"vox_offset", "bytes of extensions"});
  auto plain = gunzip(written("b.nii.gz"));
  plain.resize(plain.size() + (2u << 20), std::byte{0});  // 2 MiB of zeros after the voxels
  require_refused("bomb.nii.gz", gzip(plain), {"more than 1048576 bytes after"});
  auto sized = text_bytes(meta +
                          "ElementType = MET_UCHAR\nHeaderSize = 100000\n"
                          "ElementDataFile = LOCAL\n");
  sized.resize(sized.size() + 24, std::byte{1});
  require_refused("header_size.mha", sized, {"DimSize", "truncated"});
  const bytes mha = written("z.mha");  // ITK's compressed .mha, CompressedDataSize removed
  std::string text(reinterpret_cast<const char*>(mha.data()), mha.size());
  const auto size_line = text.find("CompressedDataSize");
  REQUIRE(size_line != std::string::npos);
  text.erase(size_line, text.find('\n', size_line) + 1 - size_line);
  require_refused("no_size.mha", text_bytes(text), {"CompressedDataSize", "missing"});
  require_refused("comment.mha",
                  text_bytes("# made by hand\n" + meta +
                             "ElementType = MET_UCHAR\n"
                             "ElementDataFile = LOCAL\n" +
                             std::string(24, '\1')),
                  {"NDims", "missing"});
  require_refused("order.mha",
                  text_bytes("DimSize = 4 3 2\nNDims = 3\nElementType = MET_UCHAR\n"
                             "ElementDataFile = LOCAL\n" +
                             std::string(24, '\1')),
                  {"DimSize", "before NDims"});
  require_refused("wraps.nrrd",
                  text_bytes("NRRD0004\ntype: uchar\ndimension: 1\nsizes: 3\nencoding: ascii\n\n"
                             "1 1000 2\n"),
                  {"encoding", "1000", "not a whole number"});
  require_refused("axis_maxs.nrrd",
                  text_bytes("NRRD0004\ntype: uchar\ndimension: 1\nsizes: 3\naxis mins: 0\n"
                             "axis maxs: 1e300\nencoding: raw\n\n\1\1\1"),
                  {"axis maxs", "beyond"});
  edited = nii;
  put<std::int32_t>(edited, 0, 540);
  require_refused("nifti2.nii", edited, {"sizeof_hdr", "NIfTI-2"});
}
