# SPDX-License-Identifier: MIT
# ctest python_install: installs the python component into a scratch prefix and imports the
# package from there (not from the build tree).
#   cmake -DBUILD_DIR=... -DPREFIX=... -DPYTHON=... -DPACKAGE_DIR=... -P install_test.cmake
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --component python
                        --prefix ${PREFIX}
                RESULT_VARIABLE result)
if(result)
  message(FATAL_ERROR "cmake --install --component python failed: ${result}")
endif()
set(ENV{PYTHONPATH} ${PREFIX}/${PACKAGE_DIR})
execute_process(
  COMMAND ${PYTHON} -c
    "import discgeom, numpy; p = discgeom.__file__; assert p.startswith('${PREFIX}/'), p; \
a = numpy.zeros((4, 4, 4), numpy.uint8); a[1:3, 1:3, 1:3] = 1; \
t = discgeom.overlap(a, a, spacing=(1, 1, 1)); assert t['dice'][0] == 1.0, t; print(p)"
  WORKING_DIRECTORY ${PREFIX}  # not the build tree's python/, which holds a discgeom/ too
  RESULT_VARIABLE result)
file(REMOVE_RECURSE ${PREFIX})
if(result)
  message(FATAL_ERROR "import discgeom from the installed prefix failed: ${result}")
endif()
