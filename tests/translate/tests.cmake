# `hymt translate` prompts, decoding, glossary, context and output checks through the CLI on a
# generated model (tests/translate/translate_flags_test.py).
foreach(case errors prompt sampling checks)
  add_test(NAME translate.flags_${case}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/translate_flags_test.py
                   --hymt ${HYMT_BIN} --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/translate_flags_${case} ${case})
  set_tests_properties(translate.flags_${case} PROPERTIES TIMEOUT 300)
endforeach()

# `hymt detect`: input forms, JSON, bad input; held-out FLORES accuracy; the generated detection and
# Thai segmentation tables match their generators (tests/translate/detect_cli_test.py).
foreach(case cli eval tables)
  add_test(NAME translate.detect_${case}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/detect_cli_test.py
                   --hymt ${HYMT_BIN} --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/detect_${case} ${case})
  set_tests_properties(translate.detect_${case} PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE ${HYMT_SKIP_CODE})
endforeach()

# Garbage checks, --min-confidence and the rolling context of a masked document through the CLI.
add_test(NAME translate.garbage
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/translate_garbage_test.py
                 --hymt ${HYMT_BIN} --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/translate_garbage)
set_tests_properties(translate.garbage PROPERTIES TIMEOUT 300)
