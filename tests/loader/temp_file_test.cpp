// temp_file_test.cpp: the temporary files of atomic writes (io/file_util.h): registered for the
// signal handler while they exist, removed on every failure, renamed only by commit(), and unlinked
// by remove_temp_files_for_signal() while the old output stays as it was.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "io/file_util.h"
#include "io/gguf.h"

namespace hymt {
namespace {

std::string tmp_path(const std::string& name) { return std::string(HYMT_TEST_TMP) + "/temp_file_" + name; }

bool exists(const std::string& p) { return ::access(p.c_str(), F_OK) == 0; }

void put(const std::string& p, const std::string& s) {
  FILE* f = std::fopen(p.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fwrite(s.data(), 1, s.size(), f);
  std::fclose(f);
}

TEST(TempFile, RegisteredUntilCommitAndRenamed) {
  const std::string out = tmp_path("commit.bin");
  put(out, "old");
  const int before = registered_temp_files();
  {
    TempFile t(out);
    EXPECT_EQ(t.path(), out + ".tmp." + std::to_string(::getpid()));
    EXPECT_EQ(registered_temp_files(), before + 1);
    put(t.path(), "new");
    EXPECT_EQ(*read_file(out), "old");  // the old output stays until the rename
    ASSERT_TRUE(t.commit().ok());
    EXPECT_EQ(registered_temp_files(), before);
    EXPECT_FALSE(exists(t.path()));
  }
  EXPECT_EQ(*read_file(out), "new");
}

TEST(TempFile, DestructorRemovesAnUncommittedFile) {
  const std::string out = tmp_path("abandon.bin");
  put(out, "old");
  std::string tmp;
  {
    TempFile t(out);
    tmp = t.path();
    put(tmp, "partial");
  }
  EXPECT_FALSE(exists(tmp));
  EXPECT_EQ(*read_file(out), "old");
}

TEST(TempFile, SignalCleanupUnlinksRegisteredFiles) {
  const std::string out = tmp_path("signal.bin");
  put(out, "old");
  TempFile t(out);
  put(t.path(), "partial");
  remove_temp_files_for_signal();
  EXPECT_FALSE(exists(t.path()));
  EXPECT_EQ(*read_file(out), "old");
}

TEST(TempFile, FailedGgufWriteLeavesNothing) {
  const std::string out = tmp_path("fail.gguf");
  put(out, "old");
  GgufWriter w;
  ASSERT_TRUE(w.add_tensor("a", {4}, WeightType::kF32, [](uint8_t*, size_t) -> Status {
                 return io_error("source went away");
               }).ok());
  const int before = registered_temp_files();
  Status st = w.write(out);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("source went away"), std::string::npos) << st.message();
  EXPECT_FALSE(exists(out + ".tmp." + std::to_string(::getpid())));
  EXPECT_EQ(registered_temp_files(), before);
  EXPECT_EQ(*read_file(out), "old");
}

}  // namespace
}  // namespace hymt
