# Fails when a source under DIR includes a header under one of the FORBID prefixes
# ("|"-separated, e.g. core/engine/|core/backend/local). Run by the build before the
# folder's library compiles (cmake/InvokeIncludeRules.cmake): a header-only include
# never fails a link, so the link rules alone would let one through.
#   cmake -DDIR=<folder> -DFORBID=<prefixes> [-DNAMES=<globs>] [-DREASON=<why>] [-DSTAMP=<file>]
#         -P CheckIncludes.cmake
# NAMES ("|"-separated file-name globs without the extension, e.g. remote*) narrows the
# check to some files of DIR; all of them by default.
if(NOT DIR OR NOT FORBID)
  message(FATAL_ERROR "CheckIncludes.cmake: give -DDIR=<folder> and -DFORBID=<prefix>|<prefix>")
endif()
string(REPLACE "|" ";" prefixes "${FORBID}")
if(NOT NAMES)
  set(NAMES "*")
endif()
string(REPLACE "|" ";" names "${NAMES}")
set(sources "")
foreach(name IN LISTS names)
  file(GLOB_RECURSE found ${DIR}/${name}.cpp ${DIR}/${name}.h)
  list(APPEND sources ${found})
endforeach()
list(REMOVE_DUPLICATES sources)
set(offences "")
foreach(source IN LISTS sources)
  file(STRINGS "${source}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]")
  foreach(line IN LISTS includes)
    string(REGEX MATCH "[\"<]([^\">]+)" quoted "${line}")
    foreach(prefix IN LISTS prefixes)
      string(FIND "${CMAKE_MATCH_1}" "${prefix}" at)
      if(at EQUAL 0)
        file(RELATIVE_PATH shown "${DIR}/.." "${source}")
        string(STRIP "${line}" line)
        string(APPEND offences "\n  ${shown}: ${line}")
      endif()
    endforeach()
  endforeach()
endforeach()
if(offences)
  string(REPLACE "|" ", " listed "${FORBID}")
  message(FATAL_ERROR "${DIR} must not include headers under ${listed}${REASON}:${offences}")
endif()
if(STAMP)
  file(TOUCH "${STAMP}")
endif()
