// SPDX-License-Identifier: MIT
// Fuzzes the image file check (check_image_bytes) that runs before ITK reads a file: NIfTI-1/-2
// (plain and gzip), MetaImage and NRRD headers with their attached data. The first byte picks the
// format, the rest is the file. Expected: a declared size, or io_error naming the file. A
// finding: any other exception, a crash, a hang, or an accepted file whose declared data do not
// fit in the bytes given (uncompressed formats).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "discgeom/error.hpp"
#include "discgeom/io/image_check.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace discgeom_fuzz;
  if (size < 1)
    return 0;
  static constexpr std::array<const char*, 4> names{"fuzz.nii", "fuzz.nii.gz", "fuzz.mha",
                                                    "fuzz.nrrd"};
  const std::string name = names[data[0] % names.size()];
  const auto bytes = as_bytes(data + 1, size - 1);
  for (const bool header_only : {false, true}) {
    try {
      const auto declared =
          discgeom::check_image_bytes(bytes, name, "read_image", {.header_only = header_only});
      require(declared.bytes_per_voxel >= 1 && declared.bytes_per_voxel <= 8,
              "an accepted file with an impossible voxel size");
      if (!header_only && name == "fuzz.nii")
        require(declared.voxels * declared.bytes_per_voxel <= bytes.size(),
                "an accepted .nii whose declared data do not fit in the file");
    } catch (const discgeom::io_error& e) {
      require_names(e, "read_image(): '" + name + "'");
    } catch (const discgeom::error& e) {
      finding("the image check threw a discgeom::error other than io_error", e.what());
    }
  }
  return 0;
}
