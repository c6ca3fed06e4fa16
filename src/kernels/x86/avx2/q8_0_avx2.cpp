// q8_0_avx2.cpp: Q8_0 weight x Q8_0 activation tiles with AVX2. Per 32-weight block the signed
// products are formed with the sign trick (|w| as u8 times x*sign(w) as s8, vpmaddubsw), pairs
// summed to 8 int32 lanes of 4 products each, converted and scaled by dw*dx. Q8_0 values lie in
// [-127, 127], so the 16-bit pair sums cannot saturate (2 * 127 * 127 < 32767).
#include <immintrin.h>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/tile_dispatch.h"

namespace hymt {

namespace {

inline float h2f(uint16_t h) { return _cvtsh_ss(h); }

struct Q8_0Kernel {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    const int64_t nb = n / 32;
    const __m256i ones = _mm256_set1_epi16(1);
    __m256 acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = _mm256_setzero_ps();
    const BlockQ8_0* wb[NR];
    const BlockQ8_0* ab[NT];
    for (int r = 0; r < NR; ++r) wb[r] = reinterpret_cast<const BlockQ8_0*>(w + r * ws);
    for (int t = 0; t < NT; ++t) ab[t] = reinterpret_cast<const BlockQ8_0*>(a + t * as);
    for (int64_t i = 0; i < nb; ++i) {
      __m256i x[NT];
      float dx[NT];
      for (int t = 0; t < NT; ++t) {
        x[t] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ab[t][i].qs));
        dx[t] = h2f(ab[t][i].d);
      }
      for (int r = 0; r < NR; ++r) {
        _mm_prefetch(reinterpret_cast<const char*>(wb[r] + i) + 512, _MM_HINT_T0);
        const __m256i wv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wb[r][i].qs));
        const __m256i aw = _mm256_sign_epi8(wv, wv);
        const float dw = h2f(wb[r][i].d);
        for (int t = 0; t < NT; ++t) {
          const __m256i p16 = _mm256_maddubs_epi16(aw, _mm256_sign_epi8(x[t], wv));
          const __m256 p = _mm256_cvtepi32_ps(_mm256_madd_epi16(p16, ones));
          acc[r][t] = _mm256_fmadd_ps(p, _mm256_set1_ps(dw * dx[t]), acc[r][t]);
        }
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) {
        const __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(acc[r][t]), _mm256_extractf128_ps(acc[r][t], 1));
        const __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
        y[t * ldy + r] = _mm_cvtss_f32(_mm_add_ss(s2, _mm_movehdup_ps(s2)));
      }
  }
};

}  // namespace

void register_avx2_q8_0(KernelTable& t) {
  t.vec_dot[static_cast<size_t>(WeightType::kQ8_0)] = dot_tile<Q8_0Kernel>;
  t.gemm[static_cast<size_t>(WeightType::kQ8_0)] = gemm_tiles<Q8_0Kernel>;
}

}  // namespace hymt
