# invoke_forbid_includes(<target> DIR <folder> [NAMES <glob>...] FORBID <prefix>...
#                        [REASON <why>]):
# before <target> compiles, checks that no source under <folder> (subfolders included;
# only the files named like one of NAMES, e.g. remote*, when given) includes a header
# whose path starts with one of the prefixes; the build fails naming the file and the
# include. Checked again whenever a watched file changes.
set(INVOKE_CHECK_INCLUDES_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/CheckIncludes.cmake)

function(invoke_forbid_includes target)
  cmake_parse_arguments(ARG "" "DIR;REASON" "FORBID;NAMES" ${ARGN})
  if(NOT ARG_NAMES)
    set(ARG_NAMES "*")
  endif()
  set(watched "")
  foreach(name IN LISTS ARG_NAMES)
    file(GLOB_RECURSE found CONFIGURE_DEPENDS ${ARG_DIR}/${name}.cpp ${ARG_DIR}/${name}.h)
    list(APPEND watched ${found})
  endforeach()
  string(REPLACE ";" "|" forbid "${ARG_FORBID}")
  string(REPLACE ";" "|" names "${ARG_NAMES}")
  string(REPLACE ";" ", " shown_forbid "${ARG_FORBID}")
  string(REPLACE ";" ", " shown_names "${ARG_NAMES}")
  set(reason "")
  if(ARG_REASON)
    set(reason " (${ARG_REASON})")
  endif()
  set(stamp ${CMAKE_CURRENT_BINARY_DIR}/${target}_includes.stamp)
  add_custom_command(OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -DDIR=${ARG_DIR} -DNAMES=${names} -DFORBID=${forbid} -DREASON=${reason} -DSTAMP=${stamp}
            -P ${INVOKE_CHECK_INCLUDES_SCRIPT}
    DEPENDS ${watched} ${INVOKE_CHECK_INCLUDES_SCRIPT}
    COMMENT "Checking that ${ARG_DIR} (${shown_names}) includes nothing under ${shown_forbid}"
    VERBATIM)
  add_custom_target(${target}_includes DEPENDS ${stamp})
  add_dependencies(${target} ${target}_includes)
  # For tests/CMakeLists.txt: the same check as a ctest test.
  set_property(GLOBAL APPEND PROPERTY INVOKE_INCLUDE_RULES "${target}@${ARG_DIR}@${forbid}@${reason}@${names}")
endfunction()
