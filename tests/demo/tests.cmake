# The bundled trained demo model (models/demo) and `hymt convert` (tests/demo). The demo tests use
# the committed GGUF and the golden files written at training time, so CI needs neither torch nor
# node; the converter tests build their Hugging Face checkpoints with NumPy.
set(HYMT_DEMO_DIR ${CMAKE_SOURCE_DIR}/models/demo)
set(HYMT_DEMO_MODEL ${HYMT_DEMO_DIR}/hy-mt-demo.gguf)

add_test(NAME demo.chrf COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/chrf_test.py ${HYMT_SHARED_DATA})

foreach(case roundtrip safetensors_errors config_errors)
  add_test(NAME demo.convert_${case}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/convert_test.py
                   --hymt ${HYMT_BIN} --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/demo_convert_${case} ${case})
  set_tests_properties(demo.convert_${case} PROPERTIES TIMEOUT 300 LABELS demo)
endforeach()
