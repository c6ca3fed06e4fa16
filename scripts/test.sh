#!/usr/bin/env bash
# test.sh: configure, build and run every test (ctest). Build folder: $HYMT_BUILD_DIR or build/.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${HYMT_BUILD_DIR:-build}
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release
cmake --build "$dir" -j"$(nproc)"
ctest --test-dir "$dir" --output-on-failure -j"$(nproc)"

# ThreadSanitizer over the multi-threaded code (engine, scheduler, translator, thread pool): its
# own build folder; HYMT_SKIP_TSAN=1 skips this step.
if [ "${HYMT_SKIP_TSAN:-0}" != 1 ]; then
  bash scripts/test-tsan.sh
fi

# ARM kernels: cross-built for aarch64 and tested under qemu-user when the cross compiler is
# installed (scripts/setup.sh installs it on x86-64 hosts). HYMT_SKIP_ARM=1 skips this step.
if [ "${HYMT_SKIP_ARM:-0}" != 1 ] && command -v aarch64-linux-gnu-g++-12 >/dev/null 2>&1 && command -v qemu-aarch64 >/dev/null 2>&1; then
  bash scripts/test-arm.sh
fi
