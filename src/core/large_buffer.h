// large_buffer.h: anonymous memory for large, long-lived buffers (the packed weights, gigabytes for
// an F16 model). It is mapped directly, aligned to 2 MiB and advised as transparent huge pages
// where the kernel offers them on request (THP "madvise" mode, the common default): filling it
// then takes one page fault per 2 MiB instead of per 4 KiB, and the decode loop's streaming reads
// need far fewer TLB entries. Where huge pages are off it is ordinary memory. Not zero-filled by us
// (the kernel hands out zeroed pages on first touch).
#pragma once

#include <cstddef>
#include <cstdint>

namespace hymt {

class LargeBuffer {
 public:
  LargeBuffer() = default;
  // Throws std::bad_alloc if the memory cannot be mapped (as new[] would).
  explicit LargeBuffer(size_t bytes);
  ~LargeBuffer();
  LargeBuffer(LargeBuffer&& o) noexcept;
  LargeBuffer& operator=(LargeBuffer&& o) noexcept;
  LargeBuffer(const LargeBuffer&) = delete;
  LargeBuffer& operator=(const LargeBuffer&) = delete;

  uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  explicit operator bool() const { return data_ != nullptr; }

 private:
  void release();
  void* map_ = nullptr;  // the whole mapping (larger than size_ by the alignment slack)
  size_t map_bytes_ = 0;
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace hymt
