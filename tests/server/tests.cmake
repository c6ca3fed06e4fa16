# Server tests: `hymt serve` driven from outside over loopback (ports the kernel picks), one ctest
# entry per check of server_test.py (raw HTTP: limits, faults, concurrency, prefix reuse, streaming,
# disconnects, timeouts, the SIGTERM drain, metrics), the soak (RSS over time, measured, not
# asserted), and the real npm clients in tests/server/node (the OpenAI SDK, LibreTranslate's client).
# They run one at a time (RUN_SERIAL): each starts servers that use both cores.
if(TARGET hymt_server)
  foreach(check errors queue timeout disconnect drain concurrency prefix streaming native loading metrics)
    add_test(NAME server_${check}
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/server_test.py --hymt ${HYMT_BIN}
                     --work ${CMAKE_CURRENT_BINARY_DIR}/server --check ${check})
    set_tests_properties(server_${check} PROPERTIES TIMEOUT 600 LABELS server RUN_SERIAL TRUE)
  endforeach()
  add_test(NAME server_soak
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/soak.py --hymt ${HYMT_BIN} --seconds 120)
  set_tests_properties(server_soak PROPERTIES TIMEOUT 600 LABELS server RUN_SERIAL TRUE)
  foreach(client openai_sdk libretranslate_client)
    if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/node/${client}.mjs)
      add_test(NAME server_node_${client}
               COMMAND node ${CMAKE_CURRENT_LIST_DIR}/node/${client}.mjs ${HYMT_BIN})
      set_tests_properties(server_node_${client} PROPERTIES TIMEOUT 600 LABELS server RUN_SERIAL TRUE
                           SKIP_RETURN_CODE ${HYMT_SKIP_CODE})
    endif()
  endforeach()
endif()
