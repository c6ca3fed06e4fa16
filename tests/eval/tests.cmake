# `hymt eval` (tests/eval): sacreBLEU 2.6.0's vectors, every row (sacrebleu_vectors_test.py), and
# the command's behaviour, reports, model comparison and instruction-following checks on the demo
# model and generated models (eval_cli_test.py).
foreach(case corpus sentence edge tokenizer)
  add_test(NAME eval.sacrebleu_${case}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/sacrebleu_vectors_test.py
                   --hymt ${HYMT_BIN} --data ${HYMT_SHARED_DATA} --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/eval_${case} ${case})
  set_tests_properties(eval.sacrebleu_${case} PROPERTIES TIMEOUT 120 LABELS eval SKIP_RETURN_CODE ${HYMT_SKIP_CODE})
endforeach()
foreach(case errors run compare instruct)
  add_test(NAME eval.cli_${case}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/eval_cli_test.py
                   --hymt ${HYMT_BIN} --data ${HYMT_SHARED_DATA} --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/eval_cli_${case} ${case})
  set_tests_properties(eval.cli_${case} PROPERTIES TIMEOUT 120 LABELS eval SKIP_RETURN_CODE ${HYMT_SKIP_CODE})
endforeach()
# --paired-bs against numpy at test time: the resample indices, and sacreBLEU's mean, interval and
# p recomputed from hymt's sentence statistics (paired_bs_test.py; skipped without numpy).
foreach(case indices bleu)
  add_test(NAME eval.paired_bs_${case}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/paired_bs_test.py
                   --hymt ${HYMT_BIN} --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/eval_paired_bs_${case} ${case})
  set_tests_properties(eval.paired_bs_${case} PROPERTIES TIMEOUT 120 LABELS eval SKIP_RETURN_CODE ${HYMT_SKIP_CODE})
endforeach()
