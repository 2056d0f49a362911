// SPDX-License-Identifier: MIT
// Writes the fuzz targets' seed corpus: valid inputs made by the library and the program's own
// writers, one folder per target (OUT/npy, OUT/csv, OUT/pipeline_config, OUT/pipeline_records,
// OUT/crop_index, OUT/image_header). scripts/fuzz.sh runs it into build/fuzz/seeds; nothing it writes is
// committed.
//
//   discgeom_fuzz_corpus OUT

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "crops.hpp"
#include "discgeom/image.hpp"
#include "discgeom/io/npy.hpp"
#include "gzip_bytes.hpp"
#include "pipeline_config.hpp"
#include "pipeline_records.hpp"
#include "table.hpp"

namespace fs = std::filesystem;
using namespace discgeom::cli;

namespace {

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const fs::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out)
    throw std::runtime_error("cannot write " + file.string());
}

/// An image of `shape` whose voxel (i, j, k) is f(i, j, k).
template <class T, class F>
discgeom::image<T> make_image(const std::array<std::size_t, 3>& shape, F f) {
  auto result = discgeom::image<T>::filled(shape, discgeom::image_geometry{});
  for (std::size_t i = 0; i < shape[0]; ++i)
    for (std::size_t j = 0; j < shape[1]; ++j)
      for (std::size_t k = 0; k < shape[2]; ++k)
        result.voxels(i, j, k) = static_cast<T>(f(i, j, k));
  return result;
}

void npy_seeds(const fs::path& out) {
  const auto ramp = [](std::size_t i, std::size_t j, std::size_t k) {
    return static_cast<double>(i * 100 + j * 10 + k) - 7.0;
  };
  // A disc crop: a uint8 ball in a 6^3 cube, as `discgeom crop` writes (smaller).
  discgeom::write_npy(
      out / "crop_u1.npy",
      make_image<std::uint8_t>({6, 6, 6}, [](std::size_t i, std::size_t j, std::size_t k) {
        const auto d = [](std::size_t x) { return (x - 2.5) * (x - 2.5); };
        return d(i) + d(j) + d(k) < 6.5 ? 1 : 0;
      }));
  discgeom::write_npy(out / "one_u1.npy", make_image<std::uint8_t>({1, 1, 1}, ramp));
  discgeom::write_npy(out / "empty_u1.npy", make_image<std::uint8_t>({0, 2, 3}, ramp));
  discgeom::write_npy(out / "i1.npy", make_image<std::int8_t>({1, 2, 3}, ramp));
  discgeom::write_npy(out / "u2.npy", make_image<std::uint16_t>({2, 1, 3}, ramp));
  discgeom::write_npy(out / "i2.npy", make_image<std::int16_t>({3, 2, 1}, ramp));
  discgeom::write_npy(out / "u4.npy", make_image<std::uint32_t>({1, 3, 2}, ramp));
  discgeom::write_npy(out / "i4.npy", make_image<std::int32_t>({2, 2, 2}, ramp));
  discgeom::write_npy(out / "i8.npy", make_image<std::int64_t>({2, 1, 2}, ramp));
  discgeom::write_npy(out / "f4.npy", make_image<float>({2, 3, 4}, ramp));
  discgeom::write_npy(out / "f8.npy", make_image<double>({3, 1, 2}, ramp));
  // The same array in Fortran order, and with the headers of format versions 2.0 and 3.0 (a
  // four-byte header length), which numpy writes for large headers and for UTF-8 in them.
  const std::string f4 = slurp(out / "f4.npy");
  std::string fortran = f4;
  const auto at = fortran.find("False");
  if (at != std::string::npos)
    fortran.replace(at, 5, "True ");
  spit(out / "f4_fortran.npy", fortran);
  for (const char version : {'\x02', '\x03'}) {
    std::string v =
        f4.substr(0, 6) + version + '\0' + f4.substr(8, 2) + std::string(2, '\0') + f4.substr(10);
    spit(out / ("f4_version" + std::to_string(static_cast<int>(version)) + ".npy"), v);
  }
}

void csv_seeds(const fs::path& out) {
  // A discs table as `discgeom discs` writes it (the case, then the columns of rows/discs.hpp),
  // a measured disc, a disc without a height and a case that failed.
  table discs{{"case", "level", "label", "voxels", "volume_mm3", "centroid_x_mm", "centroid_y_mm",
               "centroid_z_mm", "height_mm", "ap_width_mm", "lateral_width_mm",
               "sagittal_angle_deg", "coronal_angle_deg", "transverse_angle_deg",
               "minrect_height_mm", "touches_border", "status"},
              {}};
  discs.rows.push_back({text("1_t1"), text("L4/L5"), number(204.0), number(5123.0), number(7212.5),
                        number(-1.25), number(30.5), number(-112.0625), number(9.75), number(35.2),
                        number(48.1), number(-3.5), number(0.25), number(12.0), number(9.1),
                        number(0.0), text("ok")});
  discs.rows.push_back({text("1_t1"), text("L5/S1"), number(205.0), number(812.0), number(1000.0),
                        number(0.5), number(1e-3), number(2.5e10), cell{}, number(3.0), number(4.0),
                        cell{}, cell{}, cell{}, cell{}, number(1.0),
                        text("touches the border, \"cut\"")});
  discs.rows.push_back({text("2_t1"), cell{}, cell{}, cell{}, cell{}, cell{}, cell{}, cell{},
                        cell{}, cell{}, cell{}, cell{}, cell{}, cell{}, cell{}, cell{},
                        text("error: read_image(): cannot read '2_t1.mha'")});
  write_table_atomically(out / "discs.csv", discs);
  // Latent codes as `discgeom encode` writes them.
  table latents{{"case", "level", "z0", "z1", "z2"}, {}};
  latents.rows.push_back({text("a"), text("L1/L2"), number(0.125), number(-2.5), number(1e-7)});
  latents.rows.push_back({text("b"), text("L2/L3"), number(3.0), number(0.0), number(-0.75)});
  write_table_atomically(out / "latents.csv", latents);
  // What spreadsheets write: a byte-order mark, CRLF, NA cells, a line break inside a cell.
  spit(out / "spreadsheet.csv",
       "\xEF\xBB\xBF"
       "case,level,narrowed,note\r\n1,L4/L5,1,\"two\r\nlines\"\r\n2,L5/S1,NA,\r\n3,L3/L4, +0.5 "
       ",\"\"\r\n");
}

void config_seeds(const fs::path& out) {
  for (const auto& [name, config] :
       {std::pair{"reduced.conf", pipeline_config{}}, {"paper.conf", paper_pipeline_config()}}) {
    std::string text;
    for (const auto& [key, value] : config_entries(config))
      text += key + " = " + value + "\n";
    spit(out / name, text);
  }
  // As docs/pipeline.md shows: comments, a changed subset, an empty sweep.
  spit(out / "commented.conf",
       "# a quicker run on real data\n"
       "labels = ordinal\n"
       "crop_size = 48      # voxels\n"
       "crop_spacing = 1.4,1.2,1.5\n"
       "channels = 16,32,64\n"
       "bottleneck_sweep =\n"
       "epochs = 20\r\n"
       "target_iou = 0.99\n"
       "correlation_method = kendall\n"
       "adjust = bh\n"
       "folds = 3\n"
       "geometric_features = height_mm,ap_width_mm\n");
}

void records_seeds(const fs::path& out) {
  // Records written by stage_records::finished over a small run folder: one output file, and
  // a file and a folder.
  const fs::path run = out / "run.tmp";
  fs::create_directories(run / "crops");
  spit(run / "discs.csv", "case,level\na,L1/L2\n");
  spit(run / "crops" / "index.csv", "case,level,file\na,L1/L2,a_L1-L2.npy\n");
  spit(run / "crops" / "a_L1-L2.npy", "not really a crop");
  const stage_records records(run);
  records.finished("cases", fingerprint().add("labels=spider;").add_file(run / "discs.csv").hex(),
                   {"discs.csv", "crops"});
  records.finished("correlate", fingerprint().add("adjust=holm;").hex(), {"discs.csv"});
  for (const auto* stage : {"cases", "correlate"})
    fs::copy_file(run / "records" / (std::string(stage) + ".json"),
                  out / (std::string(stage) + ".json"), fs::copy_options::overwrite_existing);
  fs::remove_all(run);
}

void crop_index_seeds(const fs::path& out) {
  // An index as `discgeom crop` writes it (crop_command.hpp's rows).
  table index{crop_index_columns, {}};
  const auto row = [](const std::string& c, const std::string& level, double label, double fits,
                      double spacing_z) {
    return std::vector<cell>{
        text(c),      text(level),    number(label),    text(c + "_" + file_safe(level) + ".npy"),
        number(fits), number(5120.0), number(5100.0),   number(20.0),
        number(2.0),  number(1.6),    number(spacing_z)};
  };
  index.rows.push_back(row("1_t1", "L4/L5", 204, 1, 1.0));
  index.rows.push_back(row("1_t1", "L5/S1", 205, 0, 1.0));
  index.rows.push_back(row("2_t1", "L4/L5", 204, 1, 1.0));
  write_table_atomically(out / "index.csv", index);
}

/// gzip (RFC 1952) or zlib (RFC 1950) compression of `plain`.
std::string compressed(const std::string& plain, bool gzip_wrapper) {
  return discgeom_test::compress_bytes(
      plain, gzip_wrapper ? discgeom_test::wrapper::gzip : discgeom_test::wrapper::zlib);
}

/// Image files as the image-check target takes them: one byte picking the format (0 .nii,
/// 1 .nii.gz, 2 .mha, 3 .nrrd; tests/fuzz/image_header.cpp), then the file. The writers here are
/// ITK's layouts written by hand (the fuzz build has no ITK): a NIfTI-1 single file with qform
/// and sform, MetaImage and NRRD raw and compressed, 4 x 3 x 2 uint8 voxels.
void image_seeds(const fs::path& out) {
  std::string voxels;
  for (int v = 0; v < 24; ++v)
    voxels += static_cast<char>(v % 3);
  std::string nifti(352, '\0');
  const auto put = [&](std::size_t offset, auto value) {
    std::memcpy(nifti.data() + offset, &value, sizeof(value));
  };
  put(0, std::int32_t{348});
  const std::int16_t dims[8] = {3, 4, 3, 2, 1, 1, 1, 1};
  for (std::size_t d = 0; d < 8; ++d)
    put(40 + 2 * d, dims[d]);
  put(70, std::int16_t{2});  // uint8
  put(72, std::int16_t{8});
  const float pixdim[4] = {1.0f, 0.5f, 0.75f, 4.0f};
  for (std::size_t d = 0; d < 4; ++d)
    put(76 + 4 * d, pixdim[d]);
  put(108, 352.0f);
  put(252, std::int16_t{1});
  put(254, std::int16_t{1});
  const float srow[12] = {-0.5f, 0, 0, 10, 0, -0.75f, 0, 20, 0, 0, 4.0f, 30};
  for (std::size_t e = 0; e < 12; ++e)
    put(280 + 4 * e, srow[e]);
  put(256 + 12, 10.0f);  // qoffset_x, y, z with the identity quaternion
  put(256 + 16, 20.0f);
  put(256 + 20, 30.0f);
  std::memcpy(nifti.data() + 344, "n+1", 4);
  nifti += voxels;
  spit(out / "nifti", '\0' + nifti);
  spit(out / "nifti_gz", '\1' + compressed(nifti, true));
  const std::string mha =
      "ObjectType = Image\nNDims = 3\nBinaryData = True\n"
      "TransformMatrix = 1 0 0 0 1 0 0 0 1\nOffset = 10 20 30\n"
      "ElementSpacing = 0.5 0.75 4\nDimSize = 4 3 2\nElementType = MET_UCHAR\n";
  spit(out / "mha_raw", '\2' + mha + "ElementDataFile = LOCAL\n" + voxels);
  const std::string zlib_data = compressed(voxels, false);
  spit(out / "mha_zlib", '\2' + mha + "CompressedData = True\nCompressedDataSize = " +
                             std::to_string(zlib_data.size()) + "\nElementDataFile = LOCAL\n" +
                             zlib_data);
  const std::string nrrd =
      "NRRD0004\ntype: unsigned char\ndimension: 3\nspace: left-posterior-"
      "superior\nsizes: 4 3 2\nspace directions: (0.5,0,0) (0,0.75,0) "
      "(0,0,4)\nkinds: domain domain domain\nspace origin: (10,20,30)\n";
  spit(out / "nrrd_raw", '\3' + nrrd + "encoding: raw\n\n" + voxels);
  spit(out / "nrrd_gzip", '\3' + nrrd + "encoding: gzip\n\n" + compressed(voxels, true));
  spit(out / "nrrd_ascii", '\3' + nrrd +
                               "encoding: ascii\n\n0 1 2 0 1 2 0 1 2 0 1 2\n"
                               "0 1 2 0 1 2 0 1 2 0 1 2\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: discgeom_fuzz_corpus OUT\n";
    return 2;
  }
  const fs::path out = argv[1];
  try {
    for (const auto* target :
         {"npy", "csv", "pipeline_config", "pipeline_records", "crop_index", "image_header"})
      fs::create_directories(out / target);
    npy_seeds(out / "npy");
    csv_seeds(out / "csv");
    config_seeds(out / "pipeline_config");
    records_seeds(out / "pipeline_records");
    crop_index_seeds(out / "crop_index");
    image_seeds(out / "image_header");
  } catch (const std::exception& e) {
    std::cerr << "discgeom_fuzz_corpus: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
