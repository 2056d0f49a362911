// SPDX-License-Identifier: MIT
// Fuzzes the .npy reader from memory: read_npy_header_bytes, and read_npy_bytes<T> for every
// dtype discgeom writes (so that a header of one dtype is also read as every other). Expected:
// an image, or io_error naming the source. A finding: any other exception, a header accepted by
// one reader and refused by the other, an image whose shape or voxels are not the bytes' own.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

#include "discgeom/error.hpp"
#include "discgeom/io/npy.hpp"
#include "fuzz_check.hpp"

namespace {

using namespace discgeom_fuzz;
constexpr const char* source = "fuzz.npy";

void expected_error(const discgeom::error& e) {
  require(dynamic_cast<const discgeom::io_error*>(&e) != nullptr,
          "the .npy reader threw a discgeom::error other than io_error");
  require_names(e, "read_npy(): fuzz.npy");
}

template <class T>
void read_as(std::span<const std::byte> bytes, const std::optional<discgeom::npy_header>& header) {
  try {
    const auto image = discgeom::read_npy_bytes<T>(bytes, source);
    require(header.has_value(), "read_npy_bytes accepted a header read_npy_header_bytes refused");
    require(header->dtype == discgeom::detail::npy_dtype<T>(), "an array read as another dtype");
    const auto& s = header->shape;
    require(image.shape() == s, "the image's shape is not the header's");
    require(bytes.size() - header->data_offset == s[0] * s[1] * s[2] * sizeof(T),
            "an array read from data of another length than its shape needs");
    // Element n of the data, in the file's order, is the voxel it names.
    const std::byte* data = bytes.data() + header->data_offset;
    std::size_t n = 0;
    for (std::size_t a = 0; a < s[0] * s[1] * s[2]; ++a, ++n) {
      const std::size_t i = header->fortran_order ? a % s[0] : a / (s[1] * s[2]);
      const std::size_t j = header->fortran_order ? a / s[0] % s[1] : a / s[2] % s[1];
      const std::size_t k = header->fortran_order ? a / (s[0] * s[1]) : a % s[2];
      const T voxel = image.voxels(i, j, k);
      require(std::memcmp(&voxel, data + n * sizeof(T), sizeof(T)) == 0,
              "a voxel is not the element of the data it stands for");
    }
  } catch (const discgeom::error& e) {
    expected_error(e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = as_bytes(data, size);
  std::optional<discgeom::npy_header> header;
  try {
    header = discgeom::read_npy_header_bytes(bytes, source);
    require(header->data_offset <= size, "a header that ends past the bytes");
  } catch (const discgeom::error& e) {
    expected_error(e);
  }
  read_as<std::uint8_t>(bytes, header);
  read_as<std::int8_t>(bytes, header);
  read_as<std::uint16_t>(bytes, header);
  read_as<std::int16_t>(bytes, header);
  read_as<std::uint32_t>(bytes, header);
  read_as<std::int32_t>(bytes, header);
  read_as<std::int64_t>(bytes, header);
  read_as<float>(bytes, header);
  read_as<double>(bytes, header);
  return 0;
}
