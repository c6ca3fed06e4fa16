// act_q8_k_avx512.cpp: activation quantization to Q8_K with AVX-512, bit-identical to the scalar
// reference (formats/q8_k.cpp): the signed value of the first element of largest |x| maps to
// -127, q = round-half-even(x * (-127 / max)) clamped to 127 (vcvtps2dq rounds to even under the
// default MXCSR; signed-saturating packs give the clamp, and -128 cannot occur), d = 1 / iscale.
// The extreme's sign comes from the signed max and min; only when max == -min (a tie between +a
// and -a) is the first occurrence searched. bsums: vpsadbw on the codes biased to unsigned.
#include <immintrin.h>

#include <cmath>
#include <cstring>

#include "formats/blocks.h"
#include "kernels/dispatch.h"

namespace hymt {

namespace {

// The value the reference's strict `>` scan keeps: the first x[j] with |x[j]| == amax.
float first_extreme(const float* x, float amax) {
  const __m512 target = _mm512_set1_ps(amax);
  for (int k = 0; k < kQK_K / 16; ++k) {
    const __mmask16 eq = _mm512_cmp_ps_mask(_mm512_abs_ps(_mm512_loadu_ps(x + 16 * k)), target, _CMP_EQ_OQ);
    if (eq) return x[16 * k + __builtin_ctz(eq)];
  }
  return amax;  // not reached for finite input
}

void quantize_row_q8_k_avx512(const float* x, void* dst, int64_t n) {
  BlockQ8_K* b = static_cast<BlockQ8_K*>(dst);
  // Dword k of the packed codes holds elements 4(k/4)..+3 of vector k%4 (packs work per lane).
  const __m512i unpack = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
  // bsums[4s + g] = qword pair g of sad vector s: s < 2 from e, else from f (dword 2 * qword).
  const __m512i pick = _mm512_setr_epi32(0, 4, 8, 12, 2, 6, 10, 14, 16, 20, 24, 28, 18, 22, 26, 30);
  const __m512i bias = _mm512_set1_epi8(static_cast<char>(0x80));
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const float* xb = x + i * kQK_K;
    BlockQ8_K& y = b[i];
    __m512 v[16];
    __m512 vmax = _mm512_set1_ps(-INFINITY), vmin = _mm512_set1_ps(INFINITY);
    for (int k = 0; k < 16; ++k) {
      v[k] = _mm512_loadu_ps(xb + 16 * k);
      vmax = _mm512_max_ps(vmax, v[k]);
      vmin = _mm512_min_ps(vmin, v[k]);
    }
    const float hi = _mm512_reduce_max_ps(vmax), lo = _mm512_reduce_min_ps(vmin);
    const float amax = hi > -lo ? hi : -lo;
    if (amax == 0) {
      std::memset(&y, 0, sizeof y);
      continue;
    }
    const float max = hi > -lo ? hi : hi < -lo ? lo : first_extreme(xb, amax);
    const float iscale = -127.0f / max;
    const __m512 s = _mm512_set1_ps(iscale);
    __m512i sad[4];
    for (int c = 0; c < 4; ++c) {  // 64 codes per pass
      const __m512i q0 = _mm512_cvtps_epi32(_mm512_mul_ps(v[4 * c], s));
      const __m512i q1 = _mm512_cvtps_epi32(_mm512_mul_ps(v[4 * c + 1], s));
      const __m512i q2 = _mm512_cvtps_epi32(_mm512_mul_ps(v[4 * c + 2], s));
      const __m512i q3 = _mm512_cvtps_epi32(_mm512_mul_ps(v[4 * c + 3], s));
      const __m512i p = _mm512_packs_epi16(_mm512_packs_epi32(q0, q1), _mm512_packs_epi32(q2, q3));
      const __m512i q = _mm512_permutexvar_epi32(unpack, p);
      _mm512_storeu_si512(y.qs + 64 * c, q);
      // Each qword: sum of 8 codes + 8 * 128.
      sad[c] = _mm512_sad_epu8(_mm512_xor_si512(q, bias), _mm512_setzero_si512());
    }
    // Add the two qwords of each 16-code group; e lane L = [group L of sad0, of sad1], f for 2, 3.
    const __m512i e = _mm512_add_epi64(_mm512_unpacklo_epi64(sad[0], sad[1]), _mm512_unpackhi_epi64(sad[0], sad[1]));
    const __m512i f = _mm512_add_epi64(_mm512_unpacklo_epi64(sad[2], sad[3]), _mm512_unpackhi_epi64(sad[2], sad[3]));
    const __m512i sums = _mm512_sub_epi32(_mm512_permutex2var_epi32(e, pick, f), _mm512_set1_epi32(16 * 128));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(y.bsums), _mm512_cvtepi32_epi16(sums));
    y.d = 1.0f / iscale;
  }
}

}  // namespace

void register_avx512_act_q8_k(KernelTable& t) {
  t.quantize_act[static_cast<size_t>(WeightType::kQ8_K)] = quantize_row_q8_k_avx512;
}

}  // namespace hymt
