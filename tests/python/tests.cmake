# Python binding tests (tests/python/python_test.py): python.install installs python/ with pip,
# offline, into a venv under the build tree (the fixture); every other case re-runs itself with
# that venv's interpreter, imports hymt from there and loads the built libhymt through
# HYMT_LIBRARY, and compares with the hymt CLI on the demo model. Skipped (77) without Debian's
# python3-venv/pip/setuptools/wheel. Registered only when the C library target (hymt_c) exists.
if(TARGET hymt_c)
  set(HYMT_PY_WORK ${CMAKE_CURRENT_BINARY_DIR}/tmp/python)
  # The C compiler's layout of hymt.h's structs, which the ctypes Structures must match.
  add_executable(hymt_python_layout ${CMAKE_CURRENT_LIST_DIR}/layout.c)
  target_include_directories(hymt_python_layout PRIVATE ${CMAKE_SOURCE_DIR}/include)
  set(HYMT_PY_ARGS --hymt ${HYMT_BIN} --library $<TARGET_FILE:hymt_c> --layout $<TARGET_FILE:hymt_python_layout>
                   --model ${CMAKE_SOURCE_DIR}/models/demo/hy-mt-demo.gguf --work ${HYMT_PY_WORK})
  add_test(NAME python.install COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/python_test.py ${HYMT_PY_ARGS} install)
  set_tests_properties(python.install PROPERTIES TIMEOUT 300 LABELS python FIXTURES_SETUP hymt_python_venv
                                                 SKIP_RETURN_CODE ${HYMT_SKIP_CODE})
  foreach(case layout library translate threads stream cancel errors tokenize files example)
    add_test(NAME python.${case} COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/python_test.py ${HYMT_PY_ARGS} ${case})
    set_tests_properties(python.${case} PROPERTIES TIMEOUT 300 LABELS python FIXTURES_REQUIRED hymt_python_venv
                                                   SKIP_RETURN_CODE ${HYMT_SKIP_CODE})
  endforeach()
endif()
