// act_avx2.cpp: activation quantization to Q8_0 with AVX2, bit-identical to the scalar reference
// (d = absmax/127, q = round-half-away-from-zero(x / d), rebuilt from truncation exactly).
#include <immintrin.h>

#include "formats/blocks.h"
#include "kernels/dispatch.h"

namespace hymt {

namespace {

inline __m256i round_half_away(__m256 v) {
  const __m256 sign = _mm256_and_ps(v, _mm256_castsi256_ps(_mm256_set1_epi32(static_cast<int>(0x80000000u))));
  const __m256 t = _mm256_round_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  const __m256 f = _mm256_andnot_ps(_mm256_castsi256_ps(_mm256_set1_epi32(static_cast<int>(0x80000000u))),
                                    _mm256_sub_ps(v, t));
  const __m256 up = _mm256_cmp_ps(f, _mm256_set1_ps(0.5f), _CMP_GE_OQ);
  const __m256 one = _mm256_and_ps(up, _mm256_or_ps(_mm256_set1_ps(1.0f), sign));
  return _mm256_cvttps_epi32(_mm256_add_ps(t, one));
}

void quantize_row_q8_0_avx2(const float* x, void* dst, int64_t n) {
  BlockQ8_0* b = static_cast<BlockQ8_0*>(dst);
  const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  for (int64_t i = 0; i < n / 32; ++i) {
    __m256 v[4];
    __m256 mx = _mm256_setzero_ps();
    for (int k = 0; k < 4; ++k) {
      v[k] = _mm256_loadu_ps(x + i * 32 + 8 * k);
      mx = _mm256_max_ps(mx, _mm256_and_ps(v[k], absmask));
    }
    __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(mx), _mm256_extractf128_ps(mx, 1));
    m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
    m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
    const float amax = _mm_cvtss_f32(m4);
    const float d = amax / 127.0f;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    b[i].d = static_cast<uint16_t>(_cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT));
    const __m256 s = _mm256_set1_ps(id);
    __m256i q[4];
    for (int k = 0; k < 4; ++k) q[k] = round_half_away(_mm256_mul_ps(v[k], s));
    // Pack 32 int32 -> 32 int8 (values are within [-127, 127]); packs interleave 128-bit lanes,
    // so restore order with a final permute.
    const __m256i p01 = _mm256_packs_epi32(q[0], q[1]);
    const __m256i p23 = _mm256_packs_epi32(q[2], q[3]);
    const __m256i p = _mm256_packs_epi16(p01, p23);
    const __m256i ordered = _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(b[i].qs), ordered);
  }
}

}  // namespace

void register_avx2_act(KernelTable& t) {
  t.quantize_act[static_cast<size_t>(WeightType::kQ8_0)] = quantize_row_q8_0_avx2;
}

}  // namespace hymt
