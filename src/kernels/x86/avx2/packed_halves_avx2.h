// packed_halves_avx2.h: what the AVX2 packed kernels of Q8_K-activation layouts share. With 256-bit
// registers a 16-row packed group is two 8-row halves; a format supplies a "half" kernel for 1..4
// tokens, and the entry point runs both halves of every 4-token slice of the tile (four tokens keep
// codes, sums and accumulators within the 16 ymm registers).
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "kernels/dispatch.h"
#include "kernels/packed_layout.h"

namespace hymt {
namespace {  // included by translation units of different -m flags: see tile_dispatch.h

inline __m256i bcast4(const int8_t* p) { return _mm256_set1_epi32(load_i32(p)); }

// Rows 8h .. 8h+7 of the group at `group` against NT activation rows: y[t * ldy + 8h + r]
// (sums, ss: the activation block sums, as in PackedGemmFn).
using HalfFn = void (*)(int64_t ne0, const uint8_t* group, int h, const uint8_t* act, size_t as, const int32_t* sums,
                        int64_t ss, float* y, int64_t ldy);

template <HalfFn H1, HalfFn H2, HalfFn H3, HalfFn H4>
void gemm_halves(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t* sums, int64_t ss,
                 int nt, float* y, int64_t ldy) {
  for (int t = 0; t < nt; t += 4) {
    const uint8_t* a = act + static_cast<size_t>(t) * as;
    const int32_t* st = sums + t * ss;
    float* yt = y + t * ldy;
    for (int h = 0; h < 2; ++h) {
      switch (nt - t) {
        case 1: H1(ne0, group, h, a, as, st, ss, yt, ldy); break;
        case 2: H2(ne0, group, h, a, as, st, ss, yt, ldy); break;
        case 3: H3(ne0, group, h, a, as, st, ss, yt, ldy); break;
        default: H4(ne0, group, h, a, as, st, ss, yt, ldy); break;
      }
    }
  }
}

// Installs the layout's reference packing with these half kernels as its product.
template <HalfFn H1, HalfFn H2, HalfFn H3, HalfFn H4>
void install_halves(KernelTable& t, WeightType type) {
  PackedKernel k = packed_reference(type);
  k.gemm = gemm_halves<H1, H2, H3, H4>;
  t.packed[static_cast<size_t>(type)] = k;
}

}  // namespace
}  // namespace hymt
