// q8_0_avx512.cpp: Q8_0 weight x Q8_0 activation products with AVX-512 VNNI (vpdpbusd).
// vpdpbusd multiplies unsigned by signed bytes, so activations are biased: x ^ 0x80 = x + 128 as
// u8, and the bias is removed exactly by starting each block's accumulator at -128 * sum(w) (that
// sum is itself one vpdpbusd of w with a vector of ones). Two 32-weight blocks fill one zmm; each
// int32 lane holds 4 products of one block, is converted once and scaled by dw*dx of its block.
// vec_dot is the 1x1 tile, so every output has the same arithmetic whatever the batch shape.
#include <immintrin.h>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/tile_dispatch.h"

namespace hymt {

namespace {

inline __m512i load_pair(const BlockQ8_0* b) {
  return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b[0].qs))),
                            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b[1].qs)), 1);
}
inline __m512i load_one(const BlockQ8_0* b) {
  return _mm512_zextsi256_si512(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b[0].qs)));
}
inline float h2f(uint16_t h) { return _cvtsh_ss(h); }
inline __m512 scale_pair(float a, float b) {
  return _mm512_insertf32x8(_mm512_set1_ps(a), _mm256_set1_ps(b), 1);
}

struct Q8_0Kernel {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    const int64_t nb = n / 32;
    const __m512i ones = _mm512_set1_epi8(1);
    const __m512i bias = _mm512_set1_epi8(static_cast<char>(0x80));
    __m512 acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = _mm512_setzero_ps();
    const BlockQ8_0* wb[NR];
    const BlockQ8_0* ab[NT];
    for (int r = 0; r < NR; ++r) wb[r] = reinterpret_cast<const BlockQ8_0*>(w + r * ws);
    for (int t = 0; t < NT; ++t) ab[t] = reinterpret_cast<const BlockQ8_0*>(a + t * as);
    int64_t i = 0;
    for (; i + 2 <= nb; i += 2) {
      __m512i xu[NT];
      __m512 dx[NT];
      for (int t = 0; t < NT; ++t) {
        xu[t] = _mm512_xor_si512(load_pair(ab[t] + i), bias);
        dx[t] = scale_pair(h2f(ab[t][i].d), h2f(ab[t][i + 1].d));
      }
      for (int r = 0; r < NR; ++r) {
        _mm_prefetch(reinterpret_cast<const char*>(wb[r] + i) + 512, _MM_HINT_T0);
        const __m512i wv = load_pair(wb[r] + i);
        const __m512i corr = _mm512_sub_epi32(
            _mm512_setzero_si512(), _mm512_slli_epi32(_mm512_dpbusd_epi32(_mm512_setzero_si512(), ones, wv), 7));
        const __m512 dw = scale_pair(h2f(wb[r][i].d), h2f(wb[r][i + 1].d));
        for (int t = 0; t < NT; ++t) {
          const __m512 p = _mm512_cvtepi32_ps(_mm512_dpbusd_epi32(corr, xu[t], wv));
          acc[r][t] = _mm512_fmadd_ps(p, _mm512_mul_ps(dw, dx[t]), acc[r][t]);
        }
      }
    }
    if (i < nb) {  // odd block count: the last block alone in the low half
      for (int r = 0; r < NR; ++r) {
        const __m512i wv = load_one(wb[r] + i);
        const __m512i corr = _mm512_sub_epi32(
            _mm512_setzero_si512(), _mm512_slli_epi32(_mm512_dpbusd_epi32(_mm512_setzero_si512(), ones, wv), 7));
        const __m512 dw = _mm512_set1_ps(h2f(wb[r][i].d));
        for (int t = 0; t < NT; ++t) {
          const __m512i xu =
              _mm512_xor_si512(load_one(ab[t] + i), _mm512_zextsi256_si512(_mm256_set1_epi8(static_cast<char>(0x80))));
          const __m512 p = _mm512_cvtepi32_ps(_mm512_dpbusd_epi32(corr, xu, wv));
          acc[r][t] = _mm512_fmadd_ps(p, _mm512_mul_ps(dw, _mm512_set1_ps(h2f(ab[t][i].d))), acc[r][t]);
        }
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = _mm512_reduce_add_ps(acc[r][t]);
  }
};

}  // namespace

void register_avx512_q8_0(KernelTable& t) {
  t.vec_dot[static_cast<size_t>(WeightType::kQ8_0)] = dot_tile<Q8_0Kernel>;
  t.gemm[static_cast<size_t>(WeightType::kQ8_0)] = gemm_tiles<Q8_0Kernel>;
}

}  // namespace hymt
