# Helpers that keep each module's CMakeLists.txt to a few lines. One library per module;
# the DEPS a module names are the edges the architecture table allows.

# sc_module(NAME SOURCES a.cpp b.cpp DEPS other_module Boost::json ...)
function(sc_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(sc_${name} STATIC ${ARG_SOURCES})
  target_include_directories(sc_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(sc_${name} PUBLIC ${ARG_DEPS})
  target_compile_options(sc_${name} PRIVATE ${SC_WARNINGS})
endfunction()

# sc_test(NAME SOURCES x_test.cpp DEPS sc_core ... [LABELS unit|pg|api|...])
# One executable per call; every GoogleTest case becomes its own ctest entry.
function(sc_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT SC_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_options(${name} PRIVATE ${SC_WARNINGS})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  gtest_discover_tests(${name}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES LABELS "${ARG_LABELS}" ENVIRONMENT "SC_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
    DISCOVERY_TIMEOUT 60)
endfunction()
