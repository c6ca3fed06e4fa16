# NumPy reference checks of the engine's numerics (tests/reference/test_forward.py): one ctest entry per
# check, each in its own scratch folder. The reference (hunyuan_ref.py, gguf_np.py) is independent of
# src/: it reads and writes GGUF itself and computes the forward pass in float64 from the spec.
set(HYMT_REFERENCE_CHECKS
    independent_writer_f32 independent_writer_mixed independent_writer_q8_0
    genmodel_F32 genmodel_F16 genmodel_BF16 genmodel_Q8_0
    tensor_dequant incremental threads generate gguf_value_types)
foreach(check ${HYMT_REFERENCE_CHECKS})
  add_test(NAME reference.${check}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/test_forward.py
                   --hymt ${HYMT_BIN} --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/ref_${check} ${check})
  set_tests_properties(reference.${check} PROPERTIES
                       TIMEOUT 120 LABELS reference SKIP_RETURN_CODE ${HYMT_SKIP_CODE}
                       ENVIRONMENT "HYMT_SHARED_DATA=${HYMT_SHARED_DATA}")
endforeach()
