# tests/kernels/tests.cmake: whole-model logits on every kernel path this CPU runs against the
# reference path, for every weight format (isa_logits.py; the per-kernel checks are KernelIsa.*).
add_test(NAME kernels.isa_logits
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/isa_logits.py --hymt ${HYMT_BIN}
                 --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/isa_logits)
set_tests_properties(kernels.isa_logits PROPERTIES TIMEOUT 300)
