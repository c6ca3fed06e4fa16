// act_avx512.cpp: activation quantization to Q8_0 with AVX-512, bit-identical to the scalar
// reference (formats/q8_0.cpp): d = absmax/127 in float, q = round-half-away-from-zero(x * (1/d)).
// roundf semantics are rebuilt exactly from truncation plus a |fraction| >= 0.5 test (adding 0.5
// first would round 0.49999997 up).
#include <immintrin.h>

#include <cmath>

#include "formats/blocks.h"
#include "kernels/dispatch.h"

namespace hymt {

namespace {

inline __m512i round_half_away(__m512 v) {
  const __m512 t = _mm512_roundscale_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  const __m512 f = _mm512_sub_ps(v, t);
  const __mmask16 up = _mm512_cmp_ps_mask(_mm512_abs_ps(f), _mm512_set1_ps(0.5f), _CMP_GE_OQ);
  const __m512 one = _mm512_castsi512_ps(_mm512_or_si512(
      _mm512_castps_si512(_mm512_set1_ps(1.0f)),
      _mm512_and_si512(_mm512_castps_si512(v), _mm512_set1_epi32(static_cast<int>(0x80000000u)))));
  return _mm512_cvttps_epi32(_mm512_mask_add_ps(t, up, t, one));
}

void quantize_row_q8_0_avx512(const float* x, void* dst, int64_t n) {
  BlockQ8_0* b = static_cast<BlockQ8_0*>(dst);
  for (int64_t i = 0; i < n / 32; ++i) {
    const __m512 v0 = _mm512_loadu_ps(x + i * 32), v1 = _mm512_loadu_ps(x + i * 32 + 16);
    const float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(v0), _mm512_abs_ps(v1)));
    const float d = amax / 127.0f;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    b[i].d = static_cast<uint16_t>(_cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT));
    const __m512 s = _mm512_set1_ps(id);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(b[i].qs), _mm512_cvtepi32_epi8(round_half_away(_mm512_mul_ps(v0, s))));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(b[i].qs + 16),
                     _mm512_cvtepi32_epi8(round_half_away(_mm512_mul_ps(v1, s))));
  }
}

}  // namespace

void register_avx512_act(KernelTable& t) {
  t.quantize_act[static_cast<size_t>(WeightType::kQ8_0)] = quantize_row_q8_0_avx512;
}

}  // namespace hymt
