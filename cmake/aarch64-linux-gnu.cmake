# aarch64-linux-gnu.cmake: CMake toolchain for cross-building hymt for 64-bit ARM Linux with
# Debian's cross compiler (g++-aarch64-linux-gnu), so the ARM kernels are built and tested under
# qemu-user on an x86 machine (scripts/test-arm.sh). Libraries come only from the aarch64 sysroot;
# header-only packages (nlohmann-json, CLI11) are architecture-independent, so their host CMake
# configs are accepted. Test executables run through qemu (gtest_discover_tests uses the emulator).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc-12)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++-12)

set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)  # build tools (python3, git) are the host's
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)   # never link an x86 library by mistake
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
# BOTH: /usr/share/cmake holds the header-only configs. The host's compiled GTest config lives in
# /usr/lib/x86_64-linux-gnu/cmake, which an aarch64 search never visits; scripts/test-arm.sh builds
# GoogleTest for aarch64 and passes its GTest_DIR.
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# -cpu max has every extension qemu emulates (dotprod, i8mm); scripts/test-arm.sh also runs the
# tests on a CPU model without dotprod.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64;-L;/usr/aarch64-linux-gnu;-cpu;max)
