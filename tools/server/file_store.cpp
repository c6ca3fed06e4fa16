// file_store.cpp: a bounded FIFO of translated files.
#include "file_store.h"

#include <cstdio>
#include <random>

namespace hymt::server {

namespace {
std::string random_id() {
  static std::mutex mu;
  static std::random_device rd;
  std::lock_guard<std::mutex> lk(mu);
  char b[33];
  std::snprintf(b, sizeof b, "%08x%08x%08x%08x", rd(), rd(), rd(), rd());
  return b;
}
}  // namespace

void FileStore::expire() {
  const auto now = std::chrono::steady_clock::now();
  while (!files_.empty() && (files_.size() > max_files_ || bytes_ > max_bytes_ ||
                             now - files_.front().added > std::chrono::seconds(ttl_s_))) {
    bytes_ -= files_.front().bytes.size();
    files_.pop_front();
  }
}

std::string FileStore::put(std::string name, std::string content_type, std::string bytes) {
  StoredFile f{random_id(), std::move(name), std::move(content_type), std::move(bytes),
               std::chrono::steady_clock::now()};
  const std::string id = f.id;
  std::lock_guard<std::mutex> lk(mu_);
  bytes_ += f.bytes.size();
  files_.push_back(std::move(f));
  expire();
  return id;
}

std::optional<StoredFile> FileStore::get(const std::string& id) {
  std::lock_guard<std::mutex> lk(mu_);
  expire();
  for (const StoredFile& f : files_)
    if (f.id == id) return f;
  return std::nullopt;
}

}  // namespace hymt::server
