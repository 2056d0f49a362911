# SPDX-License-Identifier: MIT
cmake_minimum_required(VERSION 3.21)
# Installs the discgeom build in BUILD_DIR into WORK_DIR/prefix, then configures, builds and runs
# the outside project CONSUMER_SOURCE_DIR against it with find_package(discgeom CONFIG). Also
# checks that an unknown component is refused with a message naming it.
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "failed (${result}): ${command}\n${output}")
  endif()
  set(last_output "${output}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
# Passed on as "a,b,c": a ';' would split the argument list of execute_process.
string(REPLACE ";" "," expected_components_csv "${EXPECTED_COMPONENTS}")
file(REMOVE_RECURSE ${WORK_DIR})
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
if(NOT EXISTS ${prefix}/share/cmake/discgeom/discgeomConfigVersion.cmake)
  message(FATAL_ERROR "the install has no discgeomConfigVersion.cmake")
endif()
# An installed package must not point back into the source or build tree, which may be gone.
file(GLOB installed_cmake_files ${prefix}/share/cmake/discgeom/*.cmake)
foreach(installed IN LISTS installed_cmake_files)
  file(READ ${installed} content)
  foreach(tree IN ITEMS "${SOURCE_DIR}/" "${BUILD_DIR}/")
    string(FIND "${content}" "${tree}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${installed} refers to ${tree}, which an installed package must not")
    endif()
  endforeach()
endforeach()

run(${CMAKE_COMMAND} -S ${CONSUMER_SOURCE_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_PREFIX_PATH=${prefix}
    "-DEXPECTED_COMPONENTS=${expected_components_csv}")
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/consumer)
message(STATUS "consumer output:\n${last_output}")
if(NOT last_output MATCHES "custom voxel type: ok")
  message(FATAL_ERROR "the consumer did not report success:\n${last_output}")
endif()
if("io" IN_LIST EXPECTED_COMPONENTS)
  run(${WORK_DIR}/build/consumer_io ${WORK_DIR}/consumer_io.nii.gz)
  if(NOT last_output MATCHES "io component: ok")
    message(FATAL_ERROR "the io consumer did not report success:\n${last_output}")
  endif()
endif()
if("torch" IN_LIST EXPECTED_COMPONENTS)
  run(${WORK_DIR}/build/consumer_torch)
  if(NOT last_output MATCHES "torch component: ok")
    message(FATAL_ERROR "the torch consumer did not report success:\n${last_output}")
  endif()
endif()

execute_process(COMMAND ${CMAKE_COMMAND} -S ${CONSUMER_SOURCE_DIR} -B ${WORK_DIR}/build-bogus
                -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_PREFIX_PATH=${prefix}
                -DREQUEST_UNKNOWN_COMPONENT=ON
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(result EQUAL 0 OR NOT output MATCHES "unknown discgeom component 'bogus'")
  message(FATAL_ERROR "an unknown component was not refused by name:\n${output}")
endif()
