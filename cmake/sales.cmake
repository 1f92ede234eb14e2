# sales_unit_test(NAME [PREFIX prefix] SOURCES... LIBS ...): a GoogleTest binary labelled "unit"
# (no servers needed); PREFIX goes before each test's name (ctest -R prefix runs them).
function(sales_unit_test name)
  cmake_parse_arguments(T "" "PREFIX" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${name} TEST_PREFIX "${T_PREFIX}" PROPERTIES LABELS unit
                       DISCOVERY_TIMEOUT 30)
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

# sales_service(NAME [DOMAIN_LIBS ...]): the service in services/NAME laid out as ARCHITECTURE.md
# says. src/domain/*.cpp → library NAME_domain (pure: sales::common and DOMAIN_LIBS only);
# src/main.cpp, src/app/*.cpp and src/adapters/*.cpp → executable NAME over sales::service, with
# SERVICE_MIGRATIONS_DIR pointing at migrations/. A new file in those folders needs no edit here.
# Its tests: NAME_domain_tests from tests/*_test.cpp that are not *_api_test.cpp (unit), and
# NAME_api_tests from tests/*_api_test.cpp (integration, over support/stack.hpp).
function(sales_service name)
  cmake_parse_arguments(S "" "" "DOMAIN_LIBS" ${ARGN})
  set(dir ${CMAKE_CURRENT_SOURCE_DIR})
  file(GLOB domain_sources CONFIGURE_DEPENDS ${dir}/src/domain/*.cpp)
  file(GLOB service_sources CONFIGURE_DEPENDS ${dir}/src/app/*.cpp ${dir}/src/adapters/*.cpp)
  add_library(${name}_domain ${domain_sources})
  target_include_directories(${name}_domain PUBLIC ${dir}/src)
  target_link_libraries(${name}_domain PUBLIC sales::common ${S_DOMAIN_LIBS})

  add_executable(${name} ${dir}/src/main.cpp ${service_sources})
  target_link_libraries(${name} PRIVATE ${name}_domain sales::service)
  # Batches of 8 files compile as one: each file instantiates nlohmann/json and the runtime's
  # templates again, so a first build of the services takes half the time (10.7 → 5.4 min on
  # 2 cores); a one-file change recompiles its batch. Names in anonymous namespaces of one
  # service's files must therefore differ. Off with -DSALES_UNITY_BUILD=OFF.
  if(SALES_UNITY_BUILD)
    set_target_properties(${name} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  endif()
  target_compile_definitions(${name} PRIVATE SERVICE_MIGRATIONS_DIR="${dir}/migrations")

  file(GLOB unit_tests CONFIGURE_DEPENDS ${dir}/tests/*_test.cpp)
  file(GLOB api_tests CONFIGURE_DEPENDS ${dir}/tests/*_api_test.cpp)
  list(REMOVE_ITEM unit_tests ${api_tests})
  if(unit_tests)
    sales_unit_test(${name}_domain_tests SOURCES ${unit_tests} LIBS ${name}_domain)
  endif()
  if(api_tests)
    sales_integration_test(${name}_api_tests SOURCES ${api_tests}
      LIBS ${name}_domain sales::test_stack)
    add_dependencies(${name}_api_tests ${name})
  endif()
endfunction()
