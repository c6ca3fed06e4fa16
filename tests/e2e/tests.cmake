# End-to-end CLI tests on generated models (tests/e2e).
foreach(case tiny full_shape translate cli_edges)
  add_test(NAME e2e.${case}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/cli_core_test.py
                   --hymt ${HYMT_BIN} --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/e2e_${case} ${case})
endforeach()
set_tests_properties(e2e.full_shape PROPERTIES TIMEOUT 900 RUN_SERIAL TRUE)

# Issue 23: SIGINT/SIGTERM during file-writing commands, `hymt quantize` warnings (cli_signals_test.py).
foreach(case interrupt quantize_warnings)
  add_test(NAME e2e.signals_${case}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/cli_signals_test.py
                   --hymt ${HYMT_BIN} --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/e2e_signals_${case} ${case})
  set_tests_properties(e2e.signals_${case} PROPERTIES TIMEOUT 300)
endforeach()
