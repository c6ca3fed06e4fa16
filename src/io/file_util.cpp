// file_util.cpp: atomic writes and whole-file reads with errno-based messages.
#include "io/file_util.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace hymt {

Status write_file_atomic(const std::string& path, const void* data, size_t n) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return io_error(path + ": cannot create: " + std::strerror(errno));
  bool ok = n == 0 || std::fwrite(data, 1, n, f) == n;
  ok = ok && std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
  const int e = errno;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::remove(tmp.c_str());
    return io_error(path + ": write failed: " + std::strerror(e));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e2 = errno;
    std::remove(tmp.c_str());
    return io_error(path + ": cannot rename temporary file: " + std::strerror(e2));
  }
  return {};
}

Result<std::string> read_file(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    const int e = errno;
    return e == ENOENT ? not_found(path + ": " + std::strerror(e)) : io_error(path + ": " + std::strerror(e));
  }
  std::string s;
  char buf[1 << 16];
  size_t k;
  while ((k = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, k);
  const bool err = std::ferror(f) != 0;
  std::fclose(f);
  if (err) return io_error(path + ": read failed");
  return s;
}

}  // namespace hymt
