# tests/formats/tests.cmake: the NumPy cross-check of every weight format (dequant_np.py):
# `hymt gen-model` + `hymt tensor` against an independent NumPy decoder of the raw bytes, and a
# GGUF written by NumPy with hand-built STQ1_0 (ids 42/43) and Q2_0C (id 40) blocks.
add_test(NAME formats.numpy_dequant
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/dequant_np.py --hymt ${HYMT_BIN}
                 --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/formats_np)
set_tests_properties(formats.numpy_dequant PROPERTIES TIMEOUT 300)
