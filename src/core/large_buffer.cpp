// large_buffer.cpp: see large_buffer.h.
#include "core/large_buffer.h"

#include <sys/mman.h>

#include <new>
#include <utility>

namespace hymt {

namespace {
constexpr size_t kHugePage = size_t{2} << 20;
}  // namespace

LargeBuffer::LargeBuffer(size_t bytes) {
  if (bytes == 0) return;
  // Room to start the data on a 2 MiB boundary, so every whole huge page of it can be one.
  map_bytes_ = bytes + kHugePage;
  void* p = mmap(nullptr, map_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  map_ = p;
  const uintptr_t a = (reinterpret_cast<uintptr_t>(p) + kHugePage - 1) / kHugePage * kHugePage;
  data_ = reinterpret_cast<uint8_t*>(a);
  size_ = bytes;
#ifdef MADV_HUGEPAGE
  // Whole huge pages only: a partial last one would make the kernel fault in all 2 MiB of it.
  // Advice only: a kernel without THP refuses it, harmlessly.
  if (const size_t whole = bytes / kHugePage * kHugePage; whole > 0) madvise(data_, whole, MADV_HUGEPAGE);
#endif
}

LargeBuffer::~LargeBuffer() { release(); }

LargeBuffer::LargeBuffer(LargeBuffer&& o) noexcept
    : map_(std::exchange(o.map_, nullptr)),
      map_bytes_(std::exchange(o.map_bytes_, 0)),
      data_(std::exchange(o.data_, nullptr)),
      size_(std::exchange(o.size_, 0)) {}

LargeBuffer& LargeBuffer::operator=(LargeBuffer&& o) noexcept {
  if (this != &o) {
    release();
    map_ = std::exchange(o.map_, nullptr);
    map_bytes_ = std::exchange(o.map_bytes_, 0);
    data_ = std::exchange(o.data_, nullptr);
    size_ = std::exchange(o.size_, 0);
  }
  return *this;
}

void LargeBuffer::release() {
  if (map_ != nullptr) munmap(map_, map_bytes_);
  map_ = nullptr;
  data_ = nullptr;
  map_bytes_ = size_ = 0;
}

}  // namespace hymt
