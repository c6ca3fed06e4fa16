# CLI error paths on bad model files, bad ids and unwritable outputs (tests/loader/cli_errors.py).
add_test(NAME loader.cli_errors
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/cli_errors.py ${HYMT_BIN}
                 ${CMAKE_CURRENT_BINARY_DIR}/tmp/loader_cli)

# STQ1_0 lane layout decided from the weights when a file does not name it (tests/loader/stq_layout.py):
# NumPy- and hymt-written demo files in both layouts, random weights (weak evidence), precedence.
foreach(check independent quantized weak precedence)
  add_test(NAME loader.stq_layout_${check}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/stq_layout.py --hymt ${HYMT_BIN}
                   --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/stq_layout_${check} ${check})
  set_tests_properties(loader.stq_layout_${check} PROPERTIES TIMEOUT 300 LABELS loader SKIP_RETURN_CODE ${HYMT_SKIP_CODE})
endforeach()
