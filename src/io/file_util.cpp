// file_util.cpp: atomic writes, the signal-safe table of temporary files, and whole-file reads with
// errno-based messages.
#include "io/file_util.h"

#include <limits.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

namespace hymt {

namespace {

// Slot states. Only kReady slots are unlinked by the handler, which first claims them (kReady ->
// kClaimed) so that a concurrent unregister never lets the slot be rewritten under it; a claimed
// slot is never reused (the process is ending).
enum SlotState : int { kFree = 0, kWriting = 1, kReady = 2, kClaimed = 3 };
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs lock-free atomics");
constexpr int kSlots = 16;  // writers in flight at once: one per output, a few at most
struct Slot {
  std::atomic<int> state{kFree};
  char path[PATH_MAX];
};
Slot g_slots[kSlots];

int register_path(const std::string& p) {
  if (p.size() + 1 > sizeof g_slots[0].path) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expect = kFree;
    if (!g_slots[i].state.compare_exchange_strong(expect, kWriting)) continue;
    std::memcpy(g_slots[i].path, p.c_str(), p.size() + 1);
    g_slots[i].state.store(kReady, std::memory_order_release);
    return i;
  }
  return -1;
}

void unregister_path(int slot) {
  if (slot < 0) return;
  int expect = kReady;
  g_slots[slot].state.compare_exchange_strong(expect, kFree);
}

}  // namespace

void remove_temp_files_for_signal() {
  for (Slot& s : g_slots) {
    int expect = kReady;
    if (s.state.compare_exchange_strong(expect, kClaimed, std::memory_order_acquire)) ::unlink(s.path);
  }
}

int registered_temp_files() {
  int n = 0;
  for (const Slot& s : g_slots) n += s.state.load() == kReady;
  return n;
}

TempFile::TempFile(std::string final_path)
    : final_(std::move(final_path)), tmp_(final_ + ".tmp." + std::to_string(::getpid())) {
  // Registered before the file exists: a signal in between just unlinks nothing.
  slot_ = register_path(tmp_);
}

TempFile::~TempFile() {
  if (!committed_) std::remove(tmp_.c_str());
  unregister_path(slot_);
}

Status TempFile::commit() {
  if (std::rename(tmp_.c_str(), final_.c_str()) != 0) {
    const int e = errno;
    return io_error(final_ + ": cannot rename temporary file: " + std::strerror(e));
  }
  committed_ = true;
  unregister_path(slot_);
  slot_ = -1;
  return {};
}

Status write_file_atomic(const std::string& path, const void* data, size_t n) {
  TempFile tmp(path);
  FILE* f = std::fopen(tmp.path().c_str(), "wb");
  if (!f) return io_error(path + ": cannot create: " + std::strerror(errno));
  bool ok = n == 0 || std::fwrite(data, 1, n, f) == n;
  ok = ok && std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
  const int e = errno;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) return io_error(path + ": write failed: " + std::strerror(e));
  return tmp.commit();
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
