# Web page tests: tests/web/page_test.mjs drives `hymt serve`'s page in Debian's Chromium (headless,
# playwright-core) against servers on loopback with the demo model, runs an axe-core scan and writes
# screenshots to ${CMAKE_BINARY_DIR}/test-artifacts/web. Skipped (77) without npm's packages or
# /usr/bin/chromium, which scripts/setup.sh installs. Serial: it starts servers and a browser.
if(TARGET hymt_server)
  add_test(NAME web_page COMMAND node ${CMAKE_CURRENT_LIST_DIR}/page_test.mjs ${HYMT_BIN}
                                 ${CMAKE_BINARY_DIR}/test-artifacts/web)
  set_tests_properties(web_page PROPERTIES TIMEOUT 600 LABELS "server;web" RUN_SERIAL TRUE
                                           SKIP_RETURN_CODE ${HYMT_SKIP_CODE})
endif()
