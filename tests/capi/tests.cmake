# The C API (src/capi, include/hymt/hymt.h) from C: capi_test.c is compiled as C99 against libhymt.so
# and driven by capi_test.py, which compares its translations of the demo model's test sentences
# with `hymt translate` and its token ids with `hymt tokenize`; install_test.py installs the build
# into a temporary prefix and builds examples/translate.c through pkg-config (shared and static) and
# a CMake project through find_package(hymt), and checks the exported symbols and the SONAME.
if(TARGET hymt_c)
  add_executable(capi_test ${CMAKE_CURRENT_LIST_DIR}/capi_test.c)
  set_target_properties(capi_test PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
  target_link_libraries(capi_test PRIVATE hymt_c Threads::Threads)
  target_compile_options(capi_test PRIVATE -Wpedantic)

  foreach(case translate tokenize)
    add_test(NAME capi.${case}
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/capi_test.py --case ${case}
                     --capi-test $<TARGET_FILE:capi_test> --hymt ${HYMT_BIN}
                     --model ${CMAKE_SOURCE_DIR}/models/demo/hy-mt-demo.gguf
                     --golden ${CMAKE_SOURCE_DIR}/models/demo/golden.json
                     --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/capi_${case})
    set_tests_properties(capi.${case} PROPERTIES TIMEOUT 600 LABELS capi)
  endforeach()

  add_test(NAME capi.install
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/install_test.py --build ${CMAKE_BINARY_DIR}
                   --source ${CMAKE_SOURCE_DIR} --hymt ${HYMT_BIN} --lib $<TARGET_FILE:hymt_c>
                   --static-lib $<TARGET_FILE:hymt_c_static>
                   --model ${CMAKE_SOURCE_DIR}/models/demo/hy-mt-demo.gguf
                   --golden ${CMAKE_SOURCE_DIR}/models/demo/golden.json
                   --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/capi_install)
  set_tests_properties(capi.install PROPERTIES TIMEOUT 600 LABELS capi)
endif()
