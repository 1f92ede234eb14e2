# sales_unit_test(NAME SOURCES... LIBS ...): a GoogleTest binary labelled "unit" (no servers needed).
function(sales_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${name} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)
endfunction()

# sales_integration_test(NAME SOURCES... LIBS ...): needs the PostgreSQL and NATS that
# scripts/test.sh starts (SALES_TEST_* variables); labelled "integration", run serially.
function(sales_integration_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${name} PROPERTIES LABELS integration RUN_SERIAL TRUE TIMEOUT 300
                       DISCOVERY_TIMEOUT 30)
endfunction()
