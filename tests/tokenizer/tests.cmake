# Tokenizer differential tests (tokenizer_diff.py): hymt against Hugging Face's Rust tokenizers, its
# JavaScript port and @huggingface/jinja (npm packages installed into tests/tokenizer/node_modules
# by scripts/setup.sh). Each check is its own ctest entry; they share nothing but read-only inputs.
# Without ../shared/data or the npm packages a check is skipped (exit ${HYMT_SKIP_CODE}), not failed.
foreach(check rust js gguf hunyuan special chat classes train)
  add_test(NAME tokenizer_diff_${check}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/tokenizer_diff.py --hymt ${HYMT_BIN}
                   --data ${HYMT_SHARED_DATA} --work ${CMAKE_CURRENT_BINARY_DIR}/tokenizer_diff --check ${check})
  set_tests_properties(tokenizer_diff_${check} PROPERTIES TIMEOUT 900 LABELS tokenizer
                       SKIP_RETURN_CODE ${HYMT_SKIP_CODE})
endforeach()
