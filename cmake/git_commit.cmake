# git_commit.cmake: writes OUT (a header defining HYMT_GIT_COMMIT) from `git rev-parse` in SRC, at
# build time, rewriting it only when the commit changed, so `hymt bench` and `--version` name the
# commit actually built (a configure-time value goes stale after the next commit).
execute_process(COMMAND git rev-parse --short HEAD WORKING_DIRECTORY ${SRC}
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT commit)
  set(commit unknown)
endif()
set(text "#pragma once\n#define HYMT_GIT_COMMIT \"${commit}\"\n")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT "${old}" STREQUAL "${text}")
  file(WRITE ${OUT} "${text}")
endif()
