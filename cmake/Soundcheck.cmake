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

# sc_test(NAME SOURCES x_test.cpp DEPS sc_core ... [LABEL unit|api|e2e|pg] [ENV K=V] [PREFIX p])
# One label and at most one environment variable per executable: gtest_discover_tests cannot
# carry list-valued properties. Tests find the source tree through SC_SOURCE_DIR (a macro).
# One executable per call; every GoogleTest case becomes its own ctest entry.
function(sc_test name)
  cmake_parse_arguments(ARG "" "LABEL;ENV;PREFIX" "SOURCES;DEPS" ${ARGN})
  if(NOT SC_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_options(${name} PRIVATE ${SC_WARNINGS})
  target_compile_definitions(${name} PRIVATE SC_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  if(NOT ARG_ENV)
    set(ARG_ENV "SC_TEST_SUITE=${name}")
  endif()
  # PREFIX keeps names unique when one suite is built twice (e.g. for PostgreSQL).
  gtest_discover_tests(${name}
    TEST_PREFIX "${ARG_PREFIX}"
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES LABELS ${ARG_LABEL} ENVIRONMENT ${ARG_ENV}
    DISCOVERY_TIMEOUT 60)
endfunction()
