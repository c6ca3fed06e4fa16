# End-to-end `hymt translate` runs on documents with a generated model (tests/documents): structure
# of SRT/VTT/HTML/Markdown/JSON/YAML outputs judged by Python's own parsers, and the error paths.
foreach(case srt formats errors srt_large)
  add_test(NAME documents.${case}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/documents_cli_test.py
                   --hymt ${HYMT_BIN} --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/documents_${case}
                   --data ${HYMT_SHARED_DATA} ${case})
  set_tests_properties(documents.${case} PROPERTIES SKIP_RETURN_CODE ${HYMT_SKIP_CODE})  # no shared data
endforeach()
# The two 1,332-cue films: one model call per cue.
set_tests_properties(documents.srt_large PROPERTIES TIMEOUT 1200 RUN_SERIAL TRUE)
