// file_store.h: translated files waiting to be downloaded (LibreTranslate's /translate_file answers
// with a URL, not the file). Kept in memory, bounded in count and bytes, each for at most an hour;
// the oldest go first. Ids are 128-bit random hex, so one client cannot guess another's file.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

namespace hymt::server {

struct StoredFile {
  std::string id, name, content_type, bytes;
  std::chrono::steady_clock::time_point added;
};

class FileStore {
 public:
  explicit FileStore(size_t max_files = 64, size_t max_bytes = 64u << 20, int ttl_s = 3600)
      : max_files_(max_files), max_bytes_(max_bytes), ttl_s_(ttl_s) {}
  // Keeps the file and returns its id.
  std::string put(std::string name, std::string content_type, std::string bytes);
  std::optional<StoredFile> get(const std::string& id);

 private:
  void expire();  // mu_ held
  std::mutex mu_;
  std::deque<StoredFile> files_;  // oldest first
  size_t bytes_ = 0;
  size_t max_files_, max_bytes_;
  int ttl_s_;
};

}  // namespace hymt::server
