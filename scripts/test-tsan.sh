#!/usr/bin/env bash
# test-tsan.sh: builds the test binary with ThreadSanitizer (-DHYMT_SANITIZE=thread) and runs the
# tests whose code runs on more than one thread: the engine (many submitting threads, cancel,
# shutdown), the scheduler, the translator over the engine, the forward pass on the thread pool and
# the pool itself; then the server (`hymt serve` built with the sanitizer) through the server checks
# with the most threads at once (tests/server/server_test.py). Any race report fails the run (the
# server exits 66, which its harness reports). Build folder: $HYMT_TSAN_DIR or build-tsan/.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${HYMT_TSAN_DIR:-build-tsan}
# Warnings are not errors here: GCC's flow analysis changes under the sanitizer's instrumentation.
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHYMT_SANITIZE=thread -DHYMT_WERROR=OFF >/dev/null
cmake --build "$dir" -j"$(nproc)" --target hymt_tests hymt
export TSAN_OPTIONS="halt_on_error=1 ${TSAN_OPTIONS:-}"
"$dir/bin/hymt_tests" \
  --gtest_filter='Engine.*:Scheduler.*:Kv*:PrefixCache.*:TranslatorOptions*:TranslatorEngine.*:BatchForward.*:ThreadPool.*'
if grep -q '^HYMT_BUILD_SERVER:BOOL=ON' "$dir/CMakeCache.txt" && [ -x "$dir/bin/hymt" ]; then
  for check in concurrency disconnect queue timeout streaming drain errors; do
    python3 tests/server/server_test.py --hymt "$dir/bin/hymt" --work "$dir/server-tests" --check "$check"
  done
fi
