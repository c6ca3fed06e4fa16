#!/usr/bin/env bash
# test-arm.sh: cross-builds the test binary for aarch64 (cmake/aarch64-linux-gnu.cmake) and runs the
# kernel and format tests under qemu-user twice: on `-cpu max` (NEON + dotprod: both ARM kernel
# paths are compared with the scalar references) and on a Cortex-A53 model (no dotprod: dispatch
# must fall back to NEON). GoogleTest is compiled for aarch64 from Debian's /usr/src/googletest, so
# only apt packages are needed (scripts/setup.sh installs them). Exits non-zero on any failure.
# Env: HYMT_ARM_BUILD (build dir, default build-arm), HYMT_JOBS (default 2), HYMT_ARM_FILTER.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HYMT_ARM_BUILD:-$root/build-arm}
jobs=${HYMT_JOBS:-2}
filter=${HYMT_ARM_FILTER:-'KernelIsa*:HandBuilt*:RoundTrip*:VecDot*:Half*:ThreadPool*:Attention*:RowOps*:BatchForward*:PackedKernels*'}
toolchain=$root/cmake/aarch64-linux-gnu.cmake
sysroot=/usr/aarch64-linux-gnu

for tool in aarch64-linux-gnu-g++-12 qemu-aarch64 cmake; do
  command -v "$tool" >/dev/null || { echo "test-arm: $tool not found (run scripts/setup.sh)" >&2; exit 1; }
done
[ -f /usr/src/googletest/CMakeLists.txt ] || { echo "test-arm: /usr/src/googletest missing (apt: googletest)" >&2; exit 1; }

# 1. GoogleTest for aarch64, built once per build dir (gmock is not used by hymt's tests).
gtest_prefix=$build/deps
if [ ! -f "$gtest_prefix/lib/cmake/GTest/GTestConfig.cmake" ]; then
  cmake -S /usr/src/googletest -B "$build/googletest" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DCMAKE_BUILD_TYPE=Release -DBUILD_GMOCK=OFF -DINSTALL_GTEST=ON \
    -DCMAKE_INSTALL_PREFIX="$gtest_prefix" -DCMAKE_INSTALL_LIBDIR=lib >/dev/null
  cmake --build "$build/googletest" -j"$jobs" >/dev/null
  cmake --install "$build/googletest" >/dev/null
fi

# 2. The library and hymt_tests (the CLI and the server are not needed here; the server's
# cpp-httplib is a host library).
cmake -S "$root" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release \
  -DHYMT_BUILD_SERVER=OFF -DGTest_DIR="$gtest_prefix/lib/cmake/GTest" >/dev/null
cmake --build "$build" --target hymt_tests capi_test -j"$jobs"

# 3. Run under qemu. The "paths runnable" line proves which ARM paths dispatch found, so a missing
# path fails here instead of being silently skipped by the ISA test.
status=0
run_cpu() {  # cpu-model expected-paths
  local log=$build/qemu-$1.log
  echo "== qemu-aarch64 -cpu $1 (expect kernel paths: $2)"
  if ! qemu-aarch64 -L "$sysroot" -cpu "$1" "$build/bin/hymt_tests" --gtest_filter="$filter" >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "test-arm: FAILED on -cpu $1 (full log: $log)" >&2
    status=1
    return
  fi
  grep -E '^\[  PASSED  \]|^\[  SKIPPED \]' "$log" || true
  if ! grep -q "kernel paths runnable here: $2\$" "$log"; then
    grep "kernel paths runnable here" "$log" >&2 || echo "test-arm: KernelIsa test did not run" >&2
    echo "test-arm: FAILED on -cpu $1: expected kernel paths '$2'" >&2
    status=1
  fi
}
run_cpu max "ref neon dotprod"
run_cpu cortex-a53 "ref neon"

# 4. The C API (libhymt.so for aarch64) from C under qemu: tests/capi/capi_test.c on demo-model test
# sentences (two per direction), whose outputs must be the reference translations of training time
# (the x86 run checks the same sentences against `hymt translate`); capi_test itself checks threads,
# streaming, cancellation and the error paths.
capi_tmp=$build/capi
rm -rf "$capi_tmp" && mkdir -p "$capi_tmp"
python3 - "$root/models/demo/golden.json" "$capi_tmp" <<'PY'
import json, sys
sents = [s for s in json.load(open(sys.argv[1], encoding="utf-8"))["sentences"] if s.get("e2e", True)]
seen, cases = {}, []
for s in sents:
    if seen.get(s["dir"], 0) < 2:
        seen[s["dir"]] = seen.get(s["dir"], 0) + 1
        cases.append(s)
with open(sys.argv[2] + "/cases.tsv", "w", encoding="utf-8") as f:
    for s in cases:
        f.write("%s\t%s\t%s\n" % (*s["dir"].split("-"), s["src"]))
with open(sys.argv[2] + "/want.txt", "w", encoding="utf-8") as f:
    for s in cases:
        f.write(s["tgt"].replace("\\", "\\\\").replace("\n", "\\n") + "\n")
PY
echo "== qemu-aarch64 -cpu max: C API (capi_test)"
if ! LD_LIBRARY_PATH="$build/lib" qemu-aarch64 -L "$sysroot" -cpu max "$build/bin/capi_test" \
       --model "$root/models/demo/hy-mt-demo.gguf" --cases "$capi_tmp/cases.tsv" --out "$capi_tmp/out.txt" \
       --threads 2 --tmp "$capi_tmp" >"$capi_tmp/log" 2>&1; then
  tail -n 40 "$capi_tmp/log"
  echo "test-arm: FAILED: the C API under qemu (log: $capi_tmp/log)" >&2
  status=1
elif ! cmp -s "$capi_tmp/out.txt" "$capi_tmp/want.txt"; then
  diff "$capi_tmp/want.txt" "$capi_tmp/out.txt" | head -n 20
  echo "test-arm: FAILED: the C API's translations under qemu differ from the reference" >&2
  status=1
else
  cat "$capi_tmp/log"
fi
if [ "$status" = 0 ]; then echo "test-arm: all ARM runs passed"; fi
exit "$status"
