// q2_0c_avx2.cpp: Q2_0C (512-weight blocks, 2-bit codes LSB-first, w = (2c - 3) d) x Q8_K with
// AVX2. Byte k of qs holds weights 4k..4k+3. Per 128-bit lane, 4 code bytes (16 weights) are
// copied to all 4 dwords and dword p shifted right by 2p, so dword p holds the codes of weights
// 4j+p; the activations are transposed to match (vpshufb: dword p = bytes 4j+p) once per
// activation row and reused by every weight row. Codes are at most 3: vpmaddubsw pairs stay within
// 2*3*128 = 768 and a Q8_K block's eight pair vectors add in int16 (at most 6144). Each Q8_K block
// (half a Q2_0C block) gives sum((2c - 3) x) = 2 sum(c x) - 3 sum(x), scaled by d * y.d.
#include <immintrin.h>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/x86/avx2/common_avx2.h"
#include "kernels/tile_dispatch.h"

namespace hymt {

namespace {

struct Q2_0C {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    const int64_t nb = n / kQK_Q2_0C;
    const __m256i transpose = _mm256_broadcastsi128_si256(_mm_setr_epi8(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15));
    const __m256i spread = _mm256_setr_epi8(0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7, 4, 5,
                                            6, 7, 4, 5, 6, 7);
    const __m256i shifts = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
    const __m256i three = _mm256_set1_epi8(3);
    __m256 acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = _mm256_setzero_ps();
    for (int64_t i = 0; i < nb; ++i) {
      for (int h = 0; h < 2; ++h) {  // the two Q8_K blocks under this Q2_0C block
        __m256i codes[NR][8];
        float dw[NR];
        for (int r = 0; r < NR; ++r) {
          const BlockQ2_0C* blk = reinterpret_cast<const BlockQ2_0C*>(w + r * ws) + i;
          if (h == 0) {
            const char* pf = reinterpret_cast<const char*>(blk) + kPrefetchBytes;
            _mm_prefetch(pf, _MM_HINT_T0);
            _mm_prefetch(pf + 64, _MM_HINT_T0);
            _mm_prefetch(pf + 128, _MM_HINT_T0);
          }
          dw[r] = h2f(blk->d);
          for (int m = 0; m < 8; ++m) {  // 8 code bytes = 32 weights
            int64_t q8;
            __builtin_memcpy(&q8, blk->qs + 64 * h + 8 * m, 8);
            codes[r][m] = _mm256_and_si256(_mm256_srlv_epi32(_mm256_shuffle_epi8(_mm256_set1_epi64x(q8), spread), shifts), three);
          }
        }
        for (int t = 0; t < NT; ++t) {
          const BlockQ8_K& x = reinterpret_cast<const BlockQ8_K*>(a + t * as)[2 * i + h];
          __m256i xv[8];
          for (int m = 0; m < 8; ++m) xv[m] = _mm256_shuffle_epi8(load256(x.qs + 32 * m), transpose);
          const __m256i init = _mm256_zextsi128_si256(_mm_cvtsi32_si128(-3 * q8k_sum(x)));
          for (int r = 0; r < NR; ++r) {
            __m256i s16 = _mm256_maddubs_epi16(codes[r][0], xv[0]);
            for (int m = 1; m < 8; ++m) s16 = _mm256_add_epi16(s16, _mm256_maddubs_epi16(codes[r][m], xv[m]));
            const __m256i s = _mm256_add_epi32(_mm256_slli_epi32(_mm256_madd_epi16(s16, _mm256_set1_epi16(1)), 1), init);
            acc[r][t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_set1_ps(dw[r] * x.d), acc[r][t]);
          }
        }
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = hsum_ps(acc[r][t]);
  }
};

}  // namespace

void register_avx2_q2_0c(KernelTable& t) {
  t.vec_dot[static_cast<size_t>(WeightType::kQ2_0C)] = dot_tile<Q2_0C>;
  t.gemm[static_cast<size_t>(WeightType::kQ2_0C)] = gemm_tiles<Q2_0C>;
}

}  // namespace hymt
