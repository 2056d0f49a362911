# SPDX-License-Identifier: MIT
# Finding the optional dependencies of discgeom's components, shared by the build and by the
# installed discgeomConfig.cmake so both agree on what "found" means.

set(DISCGEOM_ITK_MODULES ITKCommon ITKIOImageBase ITKIONIFTI ITKIOMeta ITKIONRRD ITKIOPNG)

# discgeom_find_itk(<result-var>): finds ITK 5 with the image I/O modules discgeom::io uses.
# Sets <result-var> TRUE/FALSE and DISCGEOM_ITK_LIBRARIES. ITK's own config runs checks written
# in C (HDF5), so C is enabled first.
macro(discgeom_find_itk result)
  set(${result} FALSE)
  if(NOT DEFINED DISCGEOM_WITH_ITK OR DISCGEOM_WITH_ITK)
    if(NOT CMAKE_C_COMPILER_LOADED)
      enable_language(C)
    endif()
    if(DISCGEOM_REQUIRE_OPTIONAL)
      find_package(ITK 5 REQUIRED COMPONENTS ${DISCGEOM_ITK_MODULES})
    else()
      find_package(ITK 5 QUIET COMPONENTS ${DISCGEOM_ITK_MODULES})
    endif()
    if(ITK_FOUND)
      set(${result} TRUE)
      set(DISCGEOM_ITK_LIBRARIES ${ITK_LIBRARIES})
    else()
      message(STATUS "discgeom: ITK not found; discgeom::io (NIfTI/MetaImage/NRRD) is unavailable")
    endif()
  endif()
endmacro()

# discgeom_find_torch(<result-var>): finds LibTorch (Debian's libtorch-dev, or any Torch config).
macro(discgeom_find_torch result)
  set(${result} FALSE)
  if(NOT DEFINED DISCGEOM_WITH_TORCH OR DISCGEOM_WITH_TORCH)
    if(DISCGEOM_REQUIRE_OPTIONAL)
      find_package(Torch REQUIRED)
    else()
      find_package(Torch QUIET)
    endif()
    if(Torch_FOUND OR TORCH_FOUND)
      set(${result} TRUE)
    else()
      message(STATUS "discgeom: LibTorch not found; discgeom::torch is unavailable")
    endif()
  endif()
endmacro()
