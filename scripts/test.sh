#!/usr/bin/env bash
# test.sh: configure, build and run every test (ctest). Build folder: $HYMT_BUILD_DIR or build/.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${HYMT_BUILD_DIR:-build}
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release
cmake --build "$dir" -j"$(nproc)"
ctest --test-dir "$dir" --output-on-failure -j"$(nproc)"
