// packed_layout.h: byte layouts of the row-interleaved ("packed") weight formats (dispatch.h
// PackedKernel), shared by the scalar reference and the SIMD kernels.
//
// Q4_0x16: 16 rows of Q4_0 per group; per 32-weight block index i, 288 bytes:
//   [0, 32)    the 16 rows' fp16 scales d, row order
//   [32, 288)  four 64-byte chunks j = 0..3; chunk j holds, for row r = 0..15, the row's qs bytes
//              4j..4j+3 at 32 + 64j + 4r. Byte k of a row's qs holds weight k (low nibble) and
//              weight k + 16 (high nibble), as in the file.
// So one 512-bit load of chunk j, masked to low nibbles, has in 32-bit lane r the codes of weights
// 4j..4j+3 of row r; shifted, those of weights 16+4j..16+4j+3; a vpdpbusd against the broadcast
// activations x[4j..4j+3] (x[16+4j..]) adds row r's partial dot to lane r.
//
// Q8_0x16: 16 rows of Q8_0 per group; per 32-weight block index i, 544 bytes:
//   [0, 32)    the 16 rows' fp16 scales d
//   [32, 544)  eight 64-byte chunks j = 0..7; chunk j holds row r's codes 4j..4j+3 at 32 + 64j + 4r,
//              each stored as code + 128 (an unsigned byte, XOR 0x80), so vpdpbusd (u8 x s8) can
//              take them; the +128 comes back out as -128 * sum(x) per block.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace hymt {

constexpr size_t kQ4_0x16BlockBytes = 288;
constexpr size_t kPackedScaleBytes = 32;  // the 16 fp16 scales at the start of each block
constexpr size_t kQ8_0x16BlockBytes = 544;

namespace {  // included by translation units of different -m flags: see tile_dispatch.h
// Four activation bytes as one int32, for a broadcast against a packed chunk.
inline int32_t load_i32(const int8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
}  // namespace

}  // namespace hymt
