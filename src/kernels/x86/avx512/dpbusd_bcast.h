// dpbusd_bcast.h: acc + codes (u8) x four activation bytes (s8) broadcast to every 32-bit lane, with
// the broadcast embedded in the vpdpbusd ({1to16} memory operand: one fused uop). GCC 12 does not
// fold _mm512_set1_epi32 of a load into vpdpbusd, and a separate vpbroadcastd per product left the
// packed multi-token tiles bound by the front end rather than by the two vector ports (packed Q4_0
// and Q8_0 8-token tiles: about 10.3 -> 9.2 ps per weight and token). Unnamed namespace: see
// tile_dispatch.h.
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace hymt {
namespace {

inline __m512i dpbusd_bcast(__m512i acc, __m512i codes, const int8_t* p) {
  __asm__("vpdpbusd %2%{1to16%}, %1, %0" : "+v"(acc) : "v"(codes), "m"(*reinterpret_cast<const int32_t*>(p)));
  return acc;
}

}  // namespace
}  // namespace hymt
