# The bundled trained demo model (models/demo) and `hymt convert` (tests/demo). The demo tests use
# the committed GGUF and the golden files written at training time, so CI needs neither torch nor
# node; the converter tests build their Hugging Face checkpoints with NumPy.
set(HYMT_DEMO_DIR ${CMAKE_SOURCE_DIR}/models/demo)
set(HYMT_DEMO_MODEL ${HYMT_DEMO_DIR}/hy-mt-demo.gguf)

add_test(NAME demo.chrf COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/chrf_test.py ${HYMT_SHARED_DATA})
set_tests_properties(demo.chrf PROPERTIES SKIP_RETURN_CODE ${HYMT_SKIP_CODE})  # no shared data

foreach(case roundtrip safetensors_errors config_errors)
  add_test(NAME demo.convert_${case}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/convert_test.py
                   --hymt ${HYMT_BIN} --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/demo_convert_${case} ${case})
  set_tests_properties(demo.convert_${case} PROPERTIES TIMEOUT 300 LABELS demo SKIP_RETURN_CODE ${HYMT_SKIP_CODE})
endforeach()

foreach(case golden_logits metadata greedy_f32 greedy_q8_0 tokenizer translate_f32 translate_q8_0 documents batch)
  add_test(NAME demo.${case}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/demo_test.py
                   --hymt ${HYMT_BIN} --model ${HYMT_DEMO_MODEL} --golden ${HYMT_DEMO_DIR}
                   --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/demo_${case} ${case})
  set_tests_properties(demo.${case} PROPERTIES TIMEOUT 300 LABELS demo)
endforeach()

# Every weight format on the trained weights, against per-format thresholds (tests/demo/quality.py).
add_test(NAME demo.quality
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/quality.py --mode check
                 --hymt ${HYMT_BIN} --model ${HYMT_DEMO_MODEL} --golden ${HYMT_DEMO_DIR}
                 --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/demo_quality)
set_tests_properties(demo.quality PROPERTIES TIMEOUT 900 LABELS demo)
