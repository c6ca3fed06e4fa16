// shared_data.h: where the GoogleTest tests find ../shared/data (HYMT_SHARED_DATA, from the CMake
// cache variable HYMT_SHARED_DATA_DIR), and HYMT_NEED_SHARED_DATA(rel), which skips the current test
// with a message naming the missing path when a checkout has no shared data, instead of failing.
// Put it first in a test body (it returns from the test), before anything reads the data.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace hymt::test {

// HYMT_SHARED_DATA + "/" + rel.
inline std::string shared_data_path(const std::string& rel) { return std::string(HYMT_SHARED_DATA) + "/" + rel; }

// True when the file or folder rel exists under the shared data folder.
inline bool have_shared_data(const std::string& rel) {
  std::error_code ec;
  return std::filesystem::exists(shared_data_path(rel), ec);
}

} // namespace hymt::test

#define HYMT_NEED_SHARED_DATA(rel)                                                                  \
  do {                                                                                              \
    if (!::hymt::test::have_shared_data(rel))                                                       \
      GTEST_SKIP() << "needs ../shared/data/" << (rel) << ": not found (looked in " HYMT_SHARED_DATA \
                   << ")";                                                                          \
  } while (0)
