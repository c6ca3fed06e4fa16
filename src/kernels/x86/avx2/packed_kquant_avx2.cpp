// packed_kquant_avx2.cpp: Q4_Kx16 (kernels/packed_layout.h) x Q8_K with AVX2: the Q4_K_M layers on
// CPUs without AVX-512. A group is two 8-row halves (bytes [32h, 32h+32) of each 64-byte chunk,
// [8h, 8h+8) of each 16-byte scale row). Without VNNI, vpmaddubsw gives int16 pair sums (u8 code x
// s8 activation) and vpmaddwd both widens them and multiplies by the sub-block scale: the scale
// sits in both halves of each 32-bit lane, so madd(pairs, (sc, sc)) = sc * (pair0 + pair1)
// exactly. A pair is at most 2 * 15 * 128 = 3840 and a sub-block's 8 pairs add to at most 30720.
// The integer sums are exact and the float steps are the reference's (packed_ref.cpp):
// bit-identical to it. Q6_Kx16 has no AVX2 kernel: written the same way (two pairs per vpmaddwd,
// as its codes reach 63) it measured no faster than the unpacked AVX2 Q6_K kernel
// (hymt_kernel_bench: 164 vs 170 ps/weight for one token, 64 vs 59 for a tile).
#include <immintrin.h>

#include <cstring>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/packed_layout.h"
#include "kernels/x86/avx2/packed_halves_avx2.h"

namespace hymt {

namespace {

// Eight bytes (one per row of the half) -> each 32-bit lane holding the value in both int16 halves.
inline __m256i scale_pairs_u8(const uint8_t* p) {
  const __m256i v = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
  return _mm256_or_si256(v, _mm256_slli_epi32(v, 16));
}
// Two int16 values as one 32-bit lane (low, high), for a vpmaddwd against per-row pairs.
inline __m256i pair16(int32_t lo, int32_t hi) {
  return _mm256_set1_epi32(static_cast<int32_t>(static_cast<uint16_t>(lo) | static_cast<uint32_t>(static_cast<uint16_t>(hi)) << 16));
}

template <int NT>
void q4k_half(int64_t ne0, const uint8_t* group, int h, const uint8_t* act, size_t as, const int32_t*, int64_t,
              float* y, int64_t ldy) {
  const __m256i m4 = _mm256_set1_epi8(0x0F);
  __m256 acc[NT];
  for (int t = 0; t < NT; ++t) acc[t] = _mm256_setzero_ps();
  for (int64_t i = 0; i < ne0 / kQK_K; ++i) {
    const uint8_t* g = group + static_cast<size_t>(i) * kQ4_Kx16BlockBytes;
    const BlockQ8_K* x[NT];
    __m256i isc[NT];
    for (int t = 0; t < NT; ++t) {
      x[t] = reinterpret_cast<const BlockQ8_K*>(act + static_cast<size_t>(t) * as) + i;
      isc[t] = _mm256_setzero_si256();
    }
    for (int p = 0; p < 4; ++p) {
      __m256i s0[NT], s1[NT];
      for (int t = 0; t < NT; ++t) s0[t] = s1[t] = _mm256_setzero_si256();
      for (int c = 0; c < 8; ++c) {
        const __m256i v =
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(g + kQ4_Kx16Qs + 512 * p + 64 * c + 32 * h));
        const __m256i lo = _mm256_and_si256(v, m4), hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), m4);
        for (int t = 0; t < NT; ++t) {
          s0[t] = _mm256_add_epi16(s0[t], _mm256_maddubs_epi16(lo, bcast4(x[t]->qs + 64 * p + 4 * c)));
          s1[t] = _mm256_add_epi16(s1[t], _mm256_maddubs_epi16(hi, bcast4(x[t]->qs + 64 * p + 32 + 4 * c)));
        }
      }
      const __m256i sc0 = scale_pairs_u8(g + kQ4_Kx16Scales + 16 * (2 * p) + 8 * h);
      const __m256i sc1 = scale_pairs_u8(g + kQ4_Kx16Scales + 16 * (2 * p + 1) + 8 * h);
      for (int t = 0; t < NT; ++t)
        isc[t] = _mm256_add_epi32(isc[t], _mm256_add_epi32(_mm256_madd_epi16(s0[t], sc0), _mm256_madd_epi16(s1[t], sc1)));
    }
    __m256i mk[4];  // row r's (m_2k, m_2k+1) as int16 in lane r
    for (int k = 0; k < 4; ++k)
      mk[k] = _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g + kQ4_Kx16Mins + 32 * k + 16 * h)));
    const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g + 16 * h)));
    const __m256 dm = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g + 32 + 16 * h)));
    for (int t = 0; t < NT; ++t) {
      const int16_t* bs = x[t]->bsums;
      __m256i imin = _mm256_setzero_si256();
      for (int k = 0; k < 4; ++k)
        imin = _mm256_add_epi32(imin, _mm256_madd_epi16(mk[k], pair16(bs[4 * k] + bs[4 * k + 1], bs[4 * k + 2] + bs[4 * k + 3])));
      const __m256 dx = _mm256_set1_ps(x[t]->d);
      acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isc[t]), _mm256_mul_ps(dw, dx), acc[t]);
      acc[t] = _mm256_fnmadd_ps(_mm256_cvtepi32_ps(imin), _mm256_mul_ps(dm, dx), acc[t]);
    }
  }
  for (int t = 0; t < NT; ++t) _mm256_storeu_ps(y + t * ldy + 8 * h, acc[t]);
}

}  // namespace

void register_avx2_packed_kquants(KernelTable& t) {
  install_halves<q4k_half<1>, q4k_half<2>, q4k_half<3>, q4k_half<4>>(t, WeightType::kQ4_K);
}

}  // namespace hymt
