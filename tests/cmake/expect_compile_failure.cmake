# SPDX-License-Identifier: MIT
# Builds TARGET in BUILD_DIR and passes only when the build fails with output matching every
# regular expression in the list PATTERNS, which the file PATTERNS_FILE sets.
include(${PATTERNS_FILE})
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${TARGET}
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(result EQUAL 0)
  message(FATAL_ERROR "${TARGET} compiled, but it must not")
endif()
foreach(pattern IN LISTS PATTERNS)
  if(NOT output MATCHES "${pattern}")
    message(FATAL_ERROR "${TARGET} failed to compile without the expected diagnostic "
                        "'${pattern}':\n${output}")
  endif()
endforeach()
message(STATUS "${TARGET} failed to compile, as it must, with diagnostics matching ${PATTERNS}")
