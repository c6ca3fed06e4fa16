// packed_avx2.cpp: Q4_0x16 (kernels/packed_layout.h) x Q8_0 with AVX2. Each 64-byte chunk holds rows
// 0-7 in its low 32 bytes and rows 8-15 in its high 32 bytes, so the group is two 8-row halves of
// one 256-bit register each. Without VNNI the 4-byte dot of lane r is vpmaddubsw (u8 code x s8
// activation into int16 pairs) then vpmaddwd with ones. Codes are at most 15, so a pair is at most
// 2 * 15 * 127 = 3810 and the eight pairs of a block add up in int16 without overflow (<= 30480):
// one vpmaddwd per block and token. The integer sums are exact, and the float step is the
// reference's fma(float(isum), d_w * d_x, acc): bit-identical to packed_ref.cpp. Q8_0x16 is not
// done here: its +128 codes would saturate vpmaddubsw.
#include <immintrin.h>

#include <cstring>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/packed_layout.h"

namespace hymt {

namespace {

// Rows 8h .. 8h+7 of the group against NT activation rows.
template <int NT>
void half_tile(int64_t nb, const uint8_t* group, int h, const uint8_t* act, size_t as, const int32_t* sums,
               int64_t sums_stride, float* y, int64_t ldy) {
  const __m256i m4 = _mm256_set1_epi8(0x0F), ones = _mm256_set1_epi16(1);
  __m256 acc[NT];
  for (int t = 0; t < NT; ++t) acc[t] = _mm256_setzero_ps();
  for (int64_t i = 0; i < nb; ++i) {
    const uint8_t* g = group + static_cast<size_t>(i) * kQ4_0x16BlockBytes;
    const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g + 16 * h)));
    __m256i c[8];
    for (int j = 0; j < 4; ++j) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(g + kPackedScaleBytes + 64 * j + 32 * h));
      c[j] = _mm256_and_si256(v, m4);
      c[4 + j] = _mm256_and_si256(_mm256_srli_epi16(v, 4), m4);
    }
    for (int t = 0; t < NT; ++t) {
      const BlockQ8_0& x = reinterpret_cast<const BlockQ8_0*>(act + static_cast<size_t>(t) * as)[i];
      __m256i p = _mm256_maddubs_epi16(c[0], _mm256_set1_epi32(load_i32(x.qs)));
      for (int k = 1; k < 8; ++k)
        p = _mm256_add_epi16(p, _mm256_maddubs_epi16(c[k], _mm256_set1_epi32(load_i32(x.qs + 4 * k))));
      const __m256i s = _mm256_add_epi32(_mm256_madd_epi16(p, ones), _mm256_set1_epi32(-8 * sums[t * sums_stride + i]));
      const __m256 d = _mm256_mul_ps(dw, _mm256_set1_ps(_cvtsh_ss(x.d)));
      acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), d, acc[t]);
    }
  }
  for (int t = 0; t < NT; ++t) _mm256_storeu_ps(y + t * ldy + 8 * h, acc[t]);
}

template <int NT>
void tile(int64_t nb, const uint8_t* group, const uint8_t* act, size_t as, const int32_t* sums, int64_t sums_stride,
          float* y, int64_t ldy) {
  for (int h = 0; h < 2; ++h) half_tile<NT>(nb, group, h, act, as, sums, sums_stride, y, ldy);
}

void q4_0x16_gemm(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t* sums,
                  int64_t sums_stride, int nt, float* y, int64_t ldy) {
  const int64_t nb = ne0 / 32;
  // Four tokens at a time keep codes, accumulators and temporaries within the 16 ymm registers.
  for (int t = 0; t < nt; t += 4) {
    const uint8_t* a = act + static_cast<size_t>(t) * as;
    const int32_t* s = sums + t * sums_stride;
    float* yt = y + t * ldy;
    switch (nt - t) {
      case 1: tile<1>(nb, group, a, as, s, sums_stride, yt, ldy); break;
      case 2: tile<2>(nb, group, a, as, s, sums_stride, yt, ldy); break;
      case 3: tile<3>(nb, group, a, as, s, sums_stride, yt, ldy); break;
      default: tile<4>(nb, group, a, as, s, sums_stride, yt, ldy); break;
    }
  }
}

}  // namespace

void register_avx2_packed(KernelTable& t) {
  PackedKernel k = packed_reference(WeightType::kQ4_0);  // the layout and the packing are shared
  k.gemm = q4_0x16_gemm;
  t.packed[static_cast<size_t>(WeightType::kQ4_0)] = k;
}

}  // namespace hymt
