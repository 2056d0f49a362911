// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Reading and writing 3D images (NIfTI `.nii`/`.nii.gz`, MetaImage `.mha`/`.mhd`, NRRD
/// `.nrrd`/`.nhdr`) with their geometry, through ITK's ImageIO layer. Part of `discgeom::io`.
///
/// Geometry comes from the header as ITK interprets it: spacing per array axis, origin and
/// direction cosines in LPS millimetres (NIfTI's RAS qform/sform converted to LPS). Array axis d
/// of the returned image is the file's axis d (i, j, k).
///
/// Every file is checked before ITK sees it (image_check.hpp: sizes against the bytes present,
/// compressed data to their check values, finite geometry), and the voxel count against a
/// memory bound, so a broken or hostile file gives an io_error naming the file and the field,
/// never a crash, a hang or made-up voxels. Writing goes through a temporary file that is
/// checked the same way and then renamed, so no image is ever left cut off under its real name.
///
/// Voxel values are never converted silently: the file's own component type is read and each
/// value converted to the requested type only when it is represented exactly (a float file read
/// as labels must hold whole numbers in range); otherwise `io_error` names the value and voxel.

#include <unistd.h>

#include <array>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <new>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <itkImageIOBase.h>
#include <itkImageIOFactory.h>
#include <itkMetaImageIOFactory.h>
#include <itkNiftiImageIOFactory.h>
#include <itkNrrdImageIOFactory.h>

#include "discgeom/as_volume.hpp"
#include "discgeom/detail/atomic_file.hpp"
#include "discgeom/error.hpp"
#include "discgeom/image.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/io/image_check.hpp"

namespace discgeom {

/// What a file's header says, without reading its voxels.
struct image_header {
  std::array<std::size_t, 3> shape{};  ///< extents in file order; 1 for missing axes of a 2D file
  image_geometry geometry;             ///< spacing, origin, direction (LPS mm)
  std::string component_type;  ///< ITK's name of the stored type: "unsigned_char", "float", ...
  std::size_t dimensions = 3;  ///< dimensions in the file: 2 or 3 (extent-1 axes beyond 3 dropped)
};

namespace detail {

inline void register_image_io_factories() {
  static const bool registered = [] {
    itk::Object::GlobalWarningDisplayOff();  // failures reach the caller as io_error instead
    itk::NiftiImageIOFactory::RegisterOneFactory();
    itk::MetaImageIOFactory::RegisterOneFactory();
    itk::NrrdImageIOFactory::RegisterOneFactory();
    return true;
  }();
  (void)registered;
}

/// An ImageIO for `path` whose file has been checked (check_image_file; what it declares goes to
/// `declared` when given) and whose header has been read and checked to be a 3D (or 2D) scalar
/// image.
inline itk::ImageIOBase::Pointer open_image(const char* function, const std::filesystem::path& path,
                                            checked_image_file* declared = nullptr,
                                            const image_check_options& check = {}) {
  register_image_io_factories();
  std::error_code ignored;
  if (!std::filesystem::is_regular_file(path, ignored)) {
    throw_error<io_error>(function, "cannot read '", path.string(), "': no such file");
  }
  const checked_image_file checked = check_image_file(path, function, check);
  if (declared != nullptr)
    *declared = checked;
  // When ITK refuses a file whose header alone was checked, the whole check names the reason
  // (a damaged compressed stream, say) better than ITK does.
  const auto check_data_too = [&] {
    if (check.header_only)
      (void)check_image_file(path, function, {.validate_geometry = check.validate_geometry});
  };
  auto io = itk::ImageIOFactory::CreateImageIO(path.c_str(), itk::IOFileModeEnum::ReadMode);
  if (!io) {
    check_data_too();
    throw_error<io_error>(function, "cannot read '", path.string(),
                          "': not a NIfTI, MetaImage or NRRD file that ITK can open");
  }
  io->SetFileName(path.string());
  try {
    io->ReadImageInformation();
  } catch (const itk::ExceptionObject& failure) {
    check_data_too();
    const std::string reason = failure.GetDescription();
    throw_error<io_error>(function, "cannot read the header of '", path.string(),
                          "': ", reason.substr(0, reason.find('\n')));
  }
  const unsigned dimensions = io->GetNumberOfDimensions();
  for (unsigned d = 3; d < dimensions; ++d) {
    if (io->GetDimensions(d) > 1) {
      throw_error<io_error>(function, "'", path.string(), "' is a ", dimensions,
                            "D image with extent ", io->GetDimensions(d), " on axis ", d,
                            "; only 2D and 3D images are supported");
    }
  }
  if (io->GetNumberOfComponents() != 1) {
    throw_error<io_error>(function, "'", path.string(), "' has ", io->GetNumberOfComponents(),
                          " components per voxel; only scalar images are supported");
  }
  return io;
}

inline image_header header_of(const itk::ImageIOBase& io) {
  image_header header;
  header.shape = {1, 1, 1};
  const unsigned dimensions = std::min(io.GetNumberOfDimensions(), 3u);
  header.dimensions = dimensions;
  for (unsigned d = 0; d < dimensions; ++d) {
    header.shape[d] = io.GetDimensions(d);
    header.geometry.spacing[d] = io.GetSpacing(d);
    header.geometry.origin[d] = io.GetOrigin(d);
    const std::vector<double> column = io.GetDirection(d);
    for (unsigned row = 0; row < dimensions && row < column.size(); ++row) {
      header.geometry.direction[row][d] = column[row];
    }
  }
  header.component_type = itk::ImageIOBase::GetComponentTypeAsString(io.GetComponentType());
  return header;
}

/// Converts one stored value to T, exactly or not at all.
template <class T, class Stored>
bool convert_exactly(Stored stored, T& out) {
  if constexpr (std::is_same_v<T, bool>) {
    if (stored == Stored{0} || stored == Stored{1}) {
      out = stored != Stored{0};
      return true;
    }
    return false;
  } else if constexpr (std::is_integral_v<T> && std::is_integral_v<Stored>) {
    if (!std::in_range<T>(stored)) {
      return false;
    }
    out = static_cast<T>(stored);
    return true;
  } else if constexpr (std::is_integral_v<T>) {  // floating value into an integer
    // T holds exactly the whole numbers in [-2^digits, 2^digits) (signed) or [0, 2^digits)
    // (unsigned); these bounds are powers of two, so comparing with them is exact in any float.
    const long double upper = std::ldexp(1.0L, std::numeric_limits<T>::digits);
    const long double lower = std::is_signed_v<T> ? -upper : 0.0L;
    const auto value = static_cast<long double>(stored);
    if (!std::isfinite(stored) || std::trunc(stored) != stored || value < lower || value >= upper) {
      return false;
    }
    out = static_cast<T>(stored);
    return true;
  } else {  // into a floating type: the nearest representable value, as any float read does
    out = static_cast<T>(stored);
    return true;
  }
}

template <class T, class Stored>
void convert_buffer(const std::filesystem::path& path, const std::vector<std::byte>& bytes,
                    image<T>& result) {
  const auto* stored = reinterpret_cast<const Stored*>(bytes.data());
  T* out = result.voxels.data();
  const std::size_t count = result.voxels.size();
  for (std::size_t n = 0; n < count; ++n) {
    if (!convert_exactly(stored[n], out[n])) {
      const auto shape = result.shape();
      const std::array<std::size_t, 3> index{n % shape[0], (n / shape[0]) % shape[1],
                                             n / (shape[0] * shape[1])};
      throw_error<io_error>("read_image", "'", path.string(), "' holds the value ", stored[n],
                            " at voxel ", index,
                            ", which the requested voxel type cannot "
                            "represent exactly; read it as a wider or floating-point type");
    }
  }
}

template <class Visitor>
void visit_component_type(const char* function, const std::filesystem::path& path,
                          itk::IOComponentEnum type, Visitor&& visit) {
  using C = itk::IOComponentEnum;
  switch (type) {
    case C::UCHAR:
      visit(std::uint8_t{});
      return;
    case C::CHAR:
      visit(std::int8_t{});
      return;
    case C::USHORT:
      visit(std::uint16_t{});
      return;
    case C::SHORT:
      visit(std::int16_t{});
      return;
    case C::UINT:
      visit(std::uint32_t{});
      return;
    case C::INT:
      visit(std::int32_t{});
      return;
    case C::ULONG:
      visit(static_cast<unsigned long>(0));
      return;
    case C::LONG:
      visit(0L);
      return;
    case C::ULONGLONG:
      visit(static_cast<unsigned long long>(0));
      return;
    case C::LONGLONG:
      visit(0LL);
      return;
    case C::FLOAT:
      visit(0.0f);
      return;
    case C::DOUBLE:
      visit(0.0);
      return;
    default:
      throw_error<io_error>(function, "'", path.string(), "' stores voxels as '",
                            itk::ImageIOBase::GetComponentTypeAsString(type),
                            "', which discgeom does not read");
  }
}

}  // namespace detail

/// Options of read_image.
struct image_read_options {
  /// Validate the header's geometry (spacing finite and > 0, direction orthonormal) and throw
  /// io_error when it is not. Turn off only to repair the geometry yourself (e.g. a spacing
  /// override), then call geometry.validate().
  bool validate_geometry = true;
  /// The most voxels a file may declare; 0 (the default) bounds them by the memory available
  /// (MemAvailable, and the address-space limit when one is set), counting the file's stored
  /// bytes and the returned image's. A file over the bound is refused before anything is
  /// allocated.
  std::uint64_t max_voxels = 0;
};

namespace detail {

/// Bytes this process can still allocate: the smaller of the system's available memory
/// (/proc/meminfo's MemAvailable, else the physical pages free) and the room left under an
/// address-space limit (RLIMIT_AS, e.g. `ulimit -v`).
[[nodiscard]] inline std::uint64_t allocatable_bytes() {
  std::uint64_t available = 0;
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit) {
    if (key == "MemAvailable:") {
      available = kib * 1024;
      break;
    }
  }
  if (available == 0) {
    const long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0)
      available = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
  }
  std::uint64_t limit = ~std::uint64_t{0};
  std::ifstream limits("/proc/self/limits");
  std::string line;
  while (std::getline(limits, line)) {
    if (line.rfind("Max address space", 0) == 0) {
      std::istringstream fields(line.substr(17));
      std::string soft;
      fields >> soft;
      if (soft != "unlimited") {
        std::uint64_t bytes = 0;
        std::uint64_t used_pages = 0;
        std::ifstream statm("/proc/self/statm");
        statm >> used_pages;
        std::istringstream(soft) >> bytes;
        const std::uint64_t used = used_pages * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
        limit = bytes > used ? bytes - used : 0;
      }
    }
  }
  return available == 0 ? limit : std::min(available, limit);
}

/// Refuses a declared voxel count over `max_voxels`, or, when that is 0, one whose stored and
/// returned bytes exceed the memory this process can allocate.
inline void check_voxel_bound(const std::filesystem::path& path, const checked_image_file& declared,
                              std::uint64_t returned_bytes_per_voxel, std::uint64_t max_voxels) {
  if (max_voxels != 0) {
    if (declared.voxels > max_voxels) {
      throw_error<io_error>("read_image", "'", path.string(), "': the header declares ",
                            declared.voxels, " voxels, more than the bound of ", max_voxels,
                            " (raise it with max_voxels, or --max-voxels)");
    }
    return;
  }
  const long double needed =
      static_cast<long double>(declared.voxels) *
      static_cast<long double>(declared.bytes_per_voxel + returned_bytes_per_voxel);
  const std::uint64_t room = allocatable_bytes();
  if (needed > static_cast<long double>(room)) {
    throw_error<io_error>("read_image", "'", path.string(), "': the header declares ",
                          declared.voxels, " voxels, ", static_cast<double>(needed) / 1.0e9,
                          " GB to read, more than the ", static_cast<double>(room) / 1.0e9,
                          " GB of memory available (set max_voxels, or --max-voxels, to read it "
                          "anyway)");
  }
}

}  // namespace detail

/// Reads the header of an image file: shape, geometry and stored component type. The header's
/// fields are checked as check_image_file checks them (header_only: the data are not read).
/// \throws io_error when the file is missing, unreadable, refused by the check, not 2D/3D or
///         not scalar.
[[nodiscard]] inline image_header read_image_header(const std::filesystem::path& path) {
  return detail::header_of(
      *detail::open_image("read_image_header", path, nullptr, {.header_only = true}));
}

/// Reads a 2D or 3D scalar image into an `image<T>` (a 2D file gets extent 1 on axis 2).
///
/// \tparam T  an arithmetic voxel type (bool, integers, float, double). Each stored value must be
///            represented exactly in T when T is an integer or bool (see the file comment).
/// \throws io_error naming the file: missing, unreadable, not 2D/3D, not scalar, truncated,
///         holding a value T cannot represent (the message names the value and the voxel), or,
///         unless `options.validate_geometry` is false, with an invalid geometry.
///
///   auto mask = discgeom::read_image<std::uint16_t>("case_01.nii.gz");
template <class T>
[[nodiscard]] image<T> read_image(const std::filesystem::path& path,
                                  const image_read_options& options = {}) {
  static_assert(std::is_arithmetic_v<T> && !std::is_same_v<T, char>,
                "read_image<T>(): T must be bool, an integer or a floating-point type; read the "
                "file into its integer label type and wrap the values in your own voxel type");
  checked_image_file declared;
  const auto io = detail::open_image("read_image", path, &declared,
                                     {.validate_geometry = options.validate_geometry});
  detail::check_voxel_bound(path, declared, sizeof(T), options.max_voxels);
  const image_header header = detail::header_of(*io);
  if (options.validate_geometry) {
    try {
      header.geometry.validate("read_image");
    } catch (const precondition_error& invalid) {
      detail::throw_error<io_error>("read_image", "'", path.string(),
                                    "' has an invalid geometry: ", invalid.what());
    }
  }
  itk::ImageIORegion region(io->GetNumberOfDimensions());
  for (unsigned d = 0; d < io->GetNumberOfDimensions(); ++d) {
    region.SetIndex(d, 0);
    region.SetSize(d, io->GetDimensions(d));
  }
  io->SetIORegion(region);
  try {
    std::vector<std::byte> bytes(io->GetImageSizeInBytes());
    try {
      io->Read(bytes.data());
    } catch (const itk::ExceptionObject& failure) {
      const std::string reason = failure.GetDescription();
      detail::throw_error<io_error>("read_image", "cannot read the voxels of '", path.string(),
                                    "': ", reason.substr(0, reason.find('\n')));
    }
    auto result = image<T>::filled(header.shape, header.geometry);
    detail::visit_component_type("read_image", path, io->GetComponentType(), [&](auto stored) {
      using Stored = decltype(stored);
      if (bytes.size() != result.voxels.size() * sizeof(Stored)) {
        detail::throw_error<io_error>("read_image", "'", path.string(), "' holds ", bytes.size(),
                                      " bytes of voxels, expected ",
                                      result.voxels.size() * sizeof(Stored));
      }
      detail::convert_buffer<T, Stored>(path, bytes, result);
    });
    return result;
  } catch (const std::bad_alloc&) {
    detail::throw_error<io_error>("read_image", "'", path.string(),
                                  "': not enough memory to read its ", declared.voxels, " voxels");
  }
}

/// Writes a 3D view with its geometry. The format follows the extension (`.nii.gz` is
/// compressed); bool voxels are written as unsigned 8-bit. A single-file format (.nii, .nii.gz,
/// .mha, .nrrd) is written as `name.partial.ext`, checked, and renamed, so the real name never
/// holds a cut-off image; a header with a separate data file (.hdr, .mhd, .nhdr) is written in
/// place and removed if its check fails.
/// \throws precondition_error when the geometry is invalid; io_error when the file cannot be
/// written, with the reason.
template <volume_like Volume>
void write_image(const std::filesystem::path& path, Volume&& voxels,
                 const image_geometry& geometry) {
  const auto view = as_volume<3>(voxels);
  using T = typename decltype(view)::value_type;
  static_assert(std::is_arithmetic_v<T>,
                "write_image(): voxels must be bool, integers or floating point");
  using Stored = std::conditional_t<std::is_same_v<T, bool>, std::uint8_t, T>;
  geometry.validate("write_image");
  detail::register_image_io_factories();
  auto io = itk::ImageIOFactory::CreateImageIO(path.c_str(), itk::IOFileModeEnum::WriteMode);
  if (!io) {
    detail::throw_error<io_error>(
        "write_image", "cannot write '", path.string(),
        "': the extension is not one of .nii, .nii.gz, .mha, .mhd, .nrrd, .nhdr");
  }
  io->SetNumberOfDimensions(3);
  itk::ImageIORegion region(3);
  for (unsigned d = 0; d < 3; ++d) {
    io->SetDimensions(d, view.shape(d));
    io->SetSpacing(d, geometry.spacing[d]);
    io->SetOrigin(d, geometry.origin[d]);
    io->SetDirection(d, std::vector<double>{geometry.direction[0][d], geometry.direction[1][d],
                                            geometry.direction[2][d]});
    region.SetIndex(d, 0);
    region.SetSize(d, view.shape(d));
  }
  io->SetIORegion(region);
  io->SetPixelType(itk::IOPixelEnum::SCALAR);
  io->SetNumberOfComponents(1);
  io->SetComponentType(itk::ImageIOBase::MapPixelType<Stored>::CType);
  io->SetUseCompression(true);

  std::vector<Stored> buffer;  // column-major, the file order
  buffer.reserve(view.size());
  for (std::size_t k = 0; k < view.shape(2); ++k)
    for (std::size_t j = 0; j < view.shape(1); ++j)
      for (std::size_t i = 0; i < view.shape(0); ++i)
        buffer.push_back(static_cast<Stored>(view(i, j, k)));
  // Written under a temporary name with the same extension, read back whole by
  // check_image_file (a full disk can leave a short file without ITK noticing), then renamed.
  const auto write_and_check = [&](const std::filesystem::path& file) {
    io->SetFileName(file.string());
    try {
      io->WriteImageInformation();
      io->Write(buffer.data());
    } catch (const itk::ExceptionObject& failure) {
      const std::string reason = failure.GetDescription();
      throw io_error(reason.substr(0, reason.find('\n')));
    }
    (void)check_image_file(file, "write_image");
  };
  const image_file_format format = image_format_of(path, "write_image");
  std::string extension = path.extension().string();
  for (char& c : extension)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (format == image_file_format::nifti_pair || extension == ".mhd" || extension == ".nhdr") {
    // A header and a data file that names it: written in place, and both removed on failure.
    try {
      write_and_check(path);
    } catch (const std::exception& failure) {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
      for (const char* data : {".img", ".img.gz", ".raw", ".zraw", ".raw.gz"}) {
        std::filesystem::path data_file = path;
        std::filesystem::remove(data_file.replace_extension(data), ignored);
      }
      detail::throw_error<io_error>("write_image", path.string(),
                                    ": cannot be written: ", failure.what());
    }
    return;
  }
  detail::write_atomically(path, "write_image", write_and_check,
                           detail::partial_name_keeping_extension(path));
}

/// Writes an image with its own geometry.
template <class T>
void write_image(const std::filesystem::path& path, const image<T>& img) {
  write_image(path, img.view(), img.geometry);
}

}  // namespace discgeom
