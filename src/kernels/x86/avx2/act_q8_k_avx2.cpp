// act_q8_k_avx2.cpp: activation quantization to Q8_K with AVX2, bit-identical to the scalar
// reference (formats/q8_k.cpp): the signed value of the first element of largest |x| maps to
// -127, q = round-half-even(x * (-127 / max)) clamped to 127 (vcvtps2dq rounds to even under the
// default MXCSR; signed-saturating packs give the clamp, and -128 cannot occur), d = 1 / iscale.
// The extreme's sign comes from the signed max and min; only when max == -min (a tie between +a
// and -a) is the first occurrence searched. bsums: pair sums (vpmaddubsw by 1, vpmaddwd by 1)
// and two vphaddd levels give the 16 group sums, regrouped with one pack and two unpacks.
#include <immintrin.h>

#include <cmath>
#include <cstring>

#include "formats/blocks.h"
#include "kernels/dispatch.h"

namespace hymt {

namespace {

// The value the reference's strict `>` scan keeps: the first x[j] with |x[j]| == amax.
float first_extreme(const float* x, float amax) {
  for (int j = 0; j < kQK_K; ++j)
    if (std::fabs(x[j]) == amax) return x[j];
  return amax;  // not reached for finite input
}

float hmax(__m256 v) {
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  return _mm_cvtss_f32(_mm_max_ss(m, _mm_movehdup_ps(m)));
}
float hmin(__m256 v) {
  __m128 m = _mm_min_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  m = _mm_min_ps(m, _mm_movehl_ps(m, m));
  return _mm_cvtss_f32(_mm_min_ss(m, _mm_movehdup_ps(m)));
}

void quantize_row_q8_k_avx2(const float* x, void* dst, int64_t n) {
  BlockQ8_K* b = static_cast<BlockQ8_K*>(dst);
  const __m256i ones8 = _mm256_set1_epi8(1), ones16 = _mm256_set1_epi16(1);
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const float* xb = x + i * kQK_K;
    BlockQ8_K& y = b[i];
    __m256 vmax = _mm256_set1_ps(-INFINITY), vmin = _mm256_set1_ps(INFINITY);
    for (int k = 0; k < 32; ++k) {
      const __m256 v = _mm256_loadu_ps(xb + 8 * k);
      vmax = _mm256_max_ps(vmax, v);
      vmin = _mm256_min_ps(vmin, v);
    }
    const float hi = hmax(vmax), lo = hmin(vmin);
    const float amax = hi > -lo ? hi : -lo;
    if (amax == 0) {
      std::memset(&y, 0, sizeof y);
      continue;
    }
    const float max = hi > -lo ? hi : hi < -lo ? lo : first_extreme(xb, amax);
    const float iscale = -127.0f / max;
    const __m256 s = _mm256_set1_ps(iscale);
    __m256i d4[8];  // per 32 codes: lane 0 = 4 partial sums of group 2c, lane 1 of group 2c+1
    for (int c = 0; c < 8; ++c) {
      const float* p = xb + 32 * c;
      const __m256i q0 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(p), s));
      const __m256i q1 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(p + 8), s));
      const __m256i q2 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(p + 16), s));
      const __m256i q3 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(p + 24), s));
      // Packs work per 128-bit lane; dword order 0,4,1,5,2,6,3,7 after them, undone by one permute.
      const __m256i pk = _mm256_packs_epi16(_mm256_packs_epi32(q0, q1), _mm256_packs_epi32(q2, q3));
      const __m256i q = _mm256_permutevar8x32_epi32(pk, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(y.qs + 32 * c), q);
      d4[c] = _mm256_madd_epi16(_mm256_maddubs_epi16(ones8, q), ones16);
    }
    // Two hadd levels: lane 0 = groups 0,2,4,6 (resp. 8..14), lane 1 = groups 1,3,5,7 (9..15).
    const __m256i g0 = _mm256_hadd_epi32(_mm256_hadd_epi32(d4[0], d4[1]), _mm256_hadd_epi32(d4[2], d4[3]));
    const __m256i g1 = _mm256_hadd_epi32(_mm256_hadd_epi32(d4[4], d4[5]), _mm256_hadd_epi32(d4[6], d4[7]));
    const __m256i w = _mm256_packs_epi32(g0, g1);  // lane 0: even groups, lane 1: odd groups
    const __m128i ev = _mm256_castsi256_si128(w), od = _mm256_extracti128_si256(w, 1);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(y.bsums), _mm_unpacklo_epi16(ev, od));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(y.bsums + 8), _mm_unpackhi_epi16(ev, od));
    y.d = 1.0f / iscale;
  }
}

}  // namespace

void register_avx2_act_q8_k(KernelTable& t) {
  t.quantize_act[static_cast<size_t>(WeightType::kQ8_K)] = quantize_row_q8_k_avx2;
}

}  // namespace hymt
