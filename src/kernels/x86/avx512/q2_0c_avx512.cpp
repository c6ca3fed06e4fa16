// q2_0c_avx512.cpp: Q2_0C (512-weight blocks, 2-bit codes LSB-first, w = (2c - 3) d) x Q8_K with
// AVX-512 VNNI. Byte k of qs holds the codes of weights 4k..4k+3, so 16 code bytes cover 64
// activations. In each 128-bit lane the activations are transposed 4x4 (vpshufb: dword p = bytes
// 4j+p) and the lane's 4 code bytes are copied to all 4 dwords and shifted right by 2p (dword p):
// then vpdpbusd (u8 code x s8 activation) sums code*x exactly. Each Q8_K half (256 weights) gives
// sum((2c - 3) x) = 2 sum(c x) - 3 sum(x), sum(x) from its bsums, scaled by d * y.d.
#include <immintrin.h>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/tile_dispatch.h"

namespace hymt {

namespace {

inline int32_t bsum_total(const BlockQ8_K& x) {
  const __m256i s8 = _mm256_madd_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x.bsums)), _mm256_set1_epi16(1));
  __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(s8), _mm256_extracti128_si256(s8, 1));
  s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x4E));
  s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0xB1));
  return _mm_cvtsi128_si32(s4);
}

struct Q2_0CKernel {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    const int64_t nb = n / kQK_Q2_0C;
    const __m512i transpose =
        _mm512_broadcast_i32x4(_mm_setr_epi8(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15));
    const __m512i spread = _mm512_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
    const __m512i shifts = _mm512_broadcast_i32x4(_mm_setr_epi16(0, 0, 2, 2, 4, 4, 6, 6));
    const __m512i three = _mm512_set1_epi8(3);
    __m512 acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = _mm512_setzero_ps();
    for (int64_t i = 0; i < nb; ++i) {
      for (int h = 0; h < 2; ++h) {  // the two Q8_K blocks under this Q2_0C block
        __m512i codes[NR][4];
        float dw[NR];
        for (int r = 0; r < NR; ++r) {
          const BlockQ2_0C* blk = reinterpret_cast<const BlockQ2_0C*>(w + r * ws) + i;
          if (h == 0) _mm_prefetch(reinterpret_cast<const char*>(blk) + 4 * sizeof(BlockQ2_0C), _MM_HINT_T0);
          dw[r] = _cvtsh_ss(blk->d);
          for (int m = 0; m < 4; ++m) {
            const __m128i q = _mm_loadu_si128(reinterpret_cast<const __m128i*>(blk->qs + 64 * h + 16 * m));
            codes[r][m] = _mm512_and_si512(
                _mm512_srlv_epi16(_mm512_permutexvar_epi32(spread, _mm512_castsi128_si512(q)), shifts), three);
          }
        }
        for (int t = 0; t < NT; ++t) {
          const BlockQ8_K& x = reinterpret_cast<const BlockQ8_K*>(a + t * as)[2 * i + h];
          __m512i xv[4];
          for (int m = 0; m < 4; ++m) xv[m] = _mm512_shuffle_epi8(_mm512_loadu_si512(x.qs + 64 * m), transpose);
          const __m512i init = _mm512_zextsi128_si512(_mm_cvtsi32_si128(-3 * bsum_total(x)));
          for (int r = 0; r < NR; ++r) {
            __m512i s = _mm512_dpbusd_epi32(_mm512_setzero_si512(), codes[r][0], xv[0]);
            s = _mm512_dpbusd_epi32(s, codes[r][1], xv[1]);
            s = _mm512_dpbusd_epi32(s, codes[r][2], xv[2]);
            s = _mm512_dpbusd_epi32(s, codes[r][3], xv[3]);
            s = _mm512_add_epi32(_mm512_slli_epi32(s, 1), init);
            acc[r][t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_set1_ps(dw[r] * x.d), acc[r][t]);
          }
        }
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = _mm512_reduce_add_ps(acc[r][t]);
  }
};

}  // namespace

void register_avx512_q2_0c(KernelTable& t) {
  t.vec_dot[static_cast<size_t>(WeightType::kQ2_0C)] = dot_tile<Q2_0CKernel>;
  t.gemm[static_cast<size_t>(WeightType::kQ2_0C)] = gemm_tiles<Q2_0CKernel>;
}

}  // namespace hymt
