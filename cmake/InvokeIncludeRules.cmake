# invoke_forbid_includes(<target> DIR <folder> FORBID <prefix>... [REASON <why>]):
# before <target> compiles, checks that no source under <folder> (subfolders included)
# includes a header whose path starts with one of the prefixes; the build fails naming
# the file and the include. Checked again whenever a watched file changes.
set(INVOKE_CHECK_INCLUDES_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/CheckIncludes.cmake)

function(invoke_forbid_includes target)
  cmake_parse_arguments(ARG "" "DIR;REASON" "FORBID" ${ARGN})
  file(GLOB_RECURSE watched CONFIGURE_DEPENDS ${ARG_DIR}/*.cpp ${ARG_DIR}/*.h)
  string(REPLACE ";" "|" forbid "${ARG_FORBID}")
  set(reason "")
  if(ARG_REASON)
    set(reason " (${ARG_REASON})")
  endif()
  set(stamp ${CMAKE_CURRENT_BINARY_DIR}/${target}_includes.stamp)
  add_custom_command(OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -DDIR=${ARG_DIR} -DFORBID=${forbid} -DREASON=${reason} -DSTAMP=${stamp}
            -P ${INVOKE_CHECK_INCLUDES_SCRIPT}
    DEPENDS ${watched} ${INVOKE_CHECK_INCLUDES_SCRIPT}
    COMMENT "Checking that ${ARG_DIR} includes nothing under ${ARG_FORBID}"
    VERBATIM)
  add_custom_target(${target}_includes DEPENDS ${stamp})
  add_dependencies(${target} ${target}_includes)
  # For tests/CMakeLists.txt: the same check as a ctest test.
  set_property(GLOBAL APPEND PROPERTY INVOKE_INCLUDE_RULES "${target}@${ARG_DIR}@${forbid}@${reason}")
endfunction()
