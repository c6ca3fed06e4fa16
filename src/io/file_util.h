// file_util.h: whole-file helpers. Output files are written atomically (temporary file in the same
// folder, flushed, then renamed) so a failure never leaves a partial file behind.
#pragma once

#include <cstddef>
#include <string>

#include "core/status.h"

namespace hymt {

Status write_file_atomic(const std::string& path, const void* data, size_t n);
Result<std::string> read_file(const std::string& path);

}  // namespace hymt
