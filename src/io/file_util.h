// file_util.h: whole-file helpers. Output files are written atomically (temporary file in the same
// folder, flushed, then renamed) so a failure never leaves a partial file behind. Temporary files
// in progress are listed in a fixed process-wide table that a signal handler can empty
// (remove_temp_files_for_signal), so an interrupted command leaves no "<out>.tmp.<pid>" either.
#pragma once

#include <cstddef>
#include <string>

#include "core/status.h"

namespace hymt {

Status write_file_atomic(const std::string& path, const void* data, size_t n);
Result<std::string> read_file(const std::string& path);

// The temporary file of one atomic write: "<final_path>.tmp.<pid>" in the final file's folder. It
// is registered for remove_temp_files_for_signal() from construction until commit() or destruction;
// the destructor removes it unless commit() renamed it, so every error path cleans up.
class TempFile {
 public:
  explicit TempFile(std::string final_path);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return tmp_; }
  // Renames the temporary file onto the final path (which the old file keeps until this moment).
  // On failure the temporary file is removed and the error names the final path.
  Status commit();

 private:
  std::string final_, tmp_;
  int slot_ = -1;  // in the signal table; -1 when the table was full or the path too long
  bool committed_ = false;
};

// Unlinks every registered temporary file. Async-signal-safe (no allocation, no locks: atomics over
// a fixed table, then unlink(2)); meant for SIGINT/SIGTERM handlers, which then end the process.
void remove_temp_files_for_signal();

// How many temporary files are registered now (for tests).
int registered_temp_files();

}  // namespace hymt
