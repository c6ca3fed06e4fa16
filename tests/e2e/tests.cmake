# End-to-end CLI tests on generated models (tests/e2e).
foreach(case tiny full_shape translate cli_edges)
  add_test(NAME e2e.${case}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/cli_core_test.py
                   --hymt ${HYMT_BIN} --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/e2e_${case} ${case})
endforeach()
set_tests_properties(e2e.full_shape PROPERTIES TIMEOUT 900 RUN_SERIAL TRUE)
