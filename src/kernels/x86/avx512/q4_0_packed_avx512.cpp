// q4_0_packed_avx512.cpp: Q4_0x16 (kernels/packed_layout.h) x Q8_0 with AVX-512 VNNI. Per block:
// the 16 rows' scales widen in one vcvtph2ps; four 64-byte loads give, after masking and shifting,
// eight registers of codes (lane r = 4 codes of row r); each activation token then needs eight
// vpdpbusd against broadcast 4-byte groups of its block, starting from -8 * sum(x) (the Q4_0
// offset), and one fused multiply-add by d_w * d_x. No horizontal sums: lane r is row r's output.
// Up to kTileMax tokens share the decoded codes. Same arithmetic as packed_ref.cpp, bit for bit.
#include <immintrin.h>

#include <cstring>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/packed_layout.h"

namespace hymt {

namespace {

inline int32_t load_i32(const int8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

template <int NT>
void q4_0x16_tile(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t* sums,
                  int64_t sums_stride, float* y, int64_t ldy) {
  const int64_t nb = ne0 / 32;
  const __m512i m4 = _mm512_set1_epi8(0x0F);
  __m512 acc[NT];
  for (int t = 0; t < NT; ++t) acc[t] = _mm512_setzero_ps();
  for (int64_t i = 0; i < nb; ++i) {
    const uint8_t* g = group + static_cast<size_t>(i) * kQ4_0x16BlockBytes;
    _mm_prefetch(reinterpret_cast<const char*>(g) + 4 * kQ4_0x16BlockBytes, _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(g) + 4 * kQ4_0x16BlockBytes + 64, _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(g) + 4 * kQ4_0x16BlockBytes + 128, _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(g) + 4 * kQ4_0x16BlockBytes + 192, _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(g) + 4 * kQ4_0x16BlockBytes + 256, _MM_HINT_T0);
    const __m512 dw = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(g)));
    __m512i lo[4], hi[4];
    for (int j = 0; j < 4; ++j) {
      const __m512i v = _mm512_loadu_si512(g + kQ4_0x16ScaleBytes + 64 * j);
      lo[j] = _mm512_and_si512(v, m4);
      hi[j] = _mm512_and_si512(_mm512_srli_epi16(v, 4), m4);
    }
    for (int t = 0; t < NT; ++t) {
      const BlockQ8_0& x = reinterpret_cast<const BlockQ8_0*>(act + static_cast<size_t>(t) * as)[i];
      __m512i s = _mm512_set1_epi32(-8 * sums[t * sums_stride + i]);
      for (int j = 0; j < 4; ++j) {
        s = _mm512_dpbusd_epi32(s, lo[j], _mm512_set1_epi32(load_i32(x.qs + 4 * j)));
        s = _mm512_dpbusd_epi32(s, hi[j], _mm512_set1_epi32(load_i32(x.qs + 16 + 4 * j)));
      }
      const __m512 d = _mm512_mul_ps(dw, _mm512_set1_ps(_cvtsh_ss(x.d)));
      acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), d, acc[t]);
    }
  }
  for (int t = 0; t < NT; ++t) _mm512_storeu_ps(y + t * ldy, acc[t]);
}

void q4_0x16_gemm(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t* sums,
                  int64_t sums_stride, int nt, float* y, int64_t ldy) {
  switch (nt) {
    case 1: q4_0x16_tile<1>(ne0, group, act, as, sums, sums_stride, y, ldy); break;
    case 2: q4_0x16_tile<2>(ne0, group, act, as, sums, sums_stride, y, ldy); break;
    case 3: q4_0x16_tile<3>(ne0, group, act, as, sums, sums_stride, y, ldy); break;
    default: q4_0x16_tile<4>(ne0, group, act, as, sums, sums_stride, y, ldy); break;
  }
}

}  // namespace

void register_avx512_q4_0_packed(KernelTable& t) {
  PackedKernel k = packed_reference(WeightType::kQ4_0);  // the layout and packing are shared
  k.gemm = q4_0x16_gemm;
  t.packed[static_cast<size_t>(WeightType::kQ4_0)] = k;
}

}  // namespace hymt
