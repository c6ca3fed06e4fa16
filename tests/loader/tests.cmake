# CLI error paths on bad model files, bad ids and unwritable outputs (tests/loader/cli_errors.py).
add_test(NAME loader.cli_errors
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/cli_errors.py ${HYMT_BIN}
                 ${CMAKE_CURRENT_BINARY_DIR}/tmp/loader_cli)
