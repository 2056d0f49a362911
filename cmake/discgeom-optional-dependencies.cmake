# SPDX-License-Identifier: MIT
# Finding the optional dependencies of discgeom's components, shared by the build and by the
# installed discgeomConfig.cmake so both agree on what "found" means.

set(DISCGEOM_ITK_MODULES ITKCommon ITKIOImageBase ITKIONIFTI ITKIOMeta ITKIONRRD ITKIOPNG ITKIOBMP)

# discgeom_find_itk(<result-var>): finds ITK 5 with the image I/O modules discgeom::io uses, and
# zlib (discgeom::io checks compressed data itself before ITK reads them). Sets <result-var>
# TRUE/FALSE and DISCGEOM_ITK_LIBRARIES. ITK's own config runs checks written
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
      if(DISCGEOM_REQUIRE_OPTIONAL)
        find_package(ZLIB REQUIRED)
      else()
        find_package(ZLIB QUIET)
      endif()
    endif()
    if(ITK_FOUND AND ZLIB_FOUND)
      set(${result} TRUE)
      set(DISCGEOM_ITK_LIBRARIES ${ITK_LIBRARIES} ZLIB::ZLIB)
    else()
      message(STATUS "discgeom: ITK or zlib not found; discgeom::io (NIfTI/MetaImage/NRRD) is unavailable")
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

# discgeom_find_xgboost(<result-var>): finds the XGBoost C API (Debian's libxgboost-dev:
# xgboost/c_api.h and libxgboost) and provides it as the imported target xgboost::xgboost (the
# name XGBoost's own CMake package uses; an existing target of that name is reused).
macro(discgeom_find_xgboost result)
  set(${result} FALSE)
  if(NOT DEFINED DISCGEOM_WITH_XGBOOST OR DISCGEOM_WITH_XGBOOST)
    if(NOT TARGET xgboost::xgboost)
      find_path(DISCGEOM_XGBOOST_INCLUDE_DIR xgboost/c_api.h)
      find_library(DISCGEOM_XGBOOST_LIBRARY xgboost)
      if(DISCGEOM_XGBOOST_INCLUDE_DIR AND DISCGEOM_XGBOOST_LIBRARY)
        add_library(xgboost::xgboost UNKNOWN IMPORTED)
        set_target_properties(xgboost::xgboost PROPERTIES
          IMPORTED_LOCATION "${DISCGEOM_XGBOOST_LIBRARY}"
          INTERFACE_INCLUDE_DIRECTORIES "${DISCGEOM_XGBOOST_INCLUDE_DIR}")
      endif()
    endif()
    if(TARGET xgboost::xgboost)
      set(${result} TRUE)
    elseif(DISCGEOM_REQUIRE_OPTIONAL)
      message(FATAL_ERROR "discgeom: the XGBoost C API (xgboost/c_api.h, libxgboost) was not found")
    else()
      message(STATUS "discgeom: XGBoost not found; discgeom::xgboost is unavailable")
    endif()
  endif()
endmacro()
