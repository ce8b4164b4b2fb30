# One INTERFACE target carries the flags every target of ours shares.
add_library(invoke_flags INTERFACE)
target_compile_features(invoke_flags INTERFACE cxx_std_20)
target_compile_definitions(invoke_flags INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_USE_QSTRINGBUILDER
  QT_NO_URL_CAST_FROM_STRING
  QT_DISABLE_DEPRECATED_BEFORE=0x060400
  QT_NO_FOREACH)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(invoke_flags INTERFACE -Wall -Wextra -Wno-missing-field-initializers)
endif()

# Adds a static library made of every source in the calling folder (not recursing into
# folders that are libraries of their own), so that adding a file needs no CMake edit.
function(invoke_add_folder_library name)
  cmake_parse_arguments(ARG "" "" "DIRS;LINKS" ${ARGN})
  set(sources)
  foreach(dir IN LISTS ARG_DIRS)
    file(GLOB found CONFIGURE_DEPENDS ${dir}/*.cpp ${dir}/*.h)
    list(APPEND sources ${found})
  endforeach()
  add_library(${name} STATIC ${sources})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC invoke_flags ${ARG_LINKS})
endfunction()

# The ThreadSanitizer build (preset tsan): every executable carries tests/tsan/qtsyncmodel.cpp,
# which tells TSan the orderings the uninstrumented Qt makes between threads (posted events,
# a thread's end, the functors Qt calls, thread-pool tasks; docs/hardening.md).
if(CMAKE_CXX_FLAGS MATCHES "-fsanitize=thread")
  target_sources(invoke_flags INTERFACE
    $<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:${PROJECT_SOURCE_DIR}/tests/tsan/qtsyncmodel.cpp>)
endif()
