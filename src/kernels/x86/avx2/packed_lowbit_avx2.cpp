// packed_lowbit_avx2.cpp: STQ1_0x16 and Q2_0Cx16 (kernels/packed_layout.h) x Q8_K with AVX2, for the
// 1.25-bit and 2-bit files on CPUs without AVX-512. As in packed_avx2.cpp a group is two 8-row
// halves: rows 8h .. 8h+7 are bytes [32h, 32h+32) of every 64-byte chunk (Q2_0C), or the low (h = 0)
// or high (h = 1) nibbles of a quad's 32 slot bytes (STQ1_0). Without VNNI, lane r's 4-byte dot is
// vpmaddubsw (u8 code x s8 activation into int16 pairs) then vpmaddwd with ones. Codes are at most
// 3, so a pair is at most 2 * 3 * 128 = 768 in magnitude and 32 pairs add up in int16 exactly
// (<= 24576): the int16 sums are widened to int32 every 8 groups (Q2_0C) or quads (STQ1_0). The
// integer sums and the float step equal the scalar reference's (packed_ref.cpp), bit for bit. The
// activation block sums come from matmul (act_sums), computed once per token.
#include <immintrin.h>

#include <cstring>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/packed_layout.h"
#include "kernels/x86/avx2/packed_halves_avx2.h"

namespace hymt {

namespace {

// Rows 8h .. 8h+7 of a Q2_0Cx16 group against NT activation rows.
template <int NT>
void q2c_half(int64_t ne0, const uint8_t* group, int h, const uint8_t* act, size_t as, const int32_t* sums, int64_t ss,
              float* y, int64_t ldy) {
  const __m256i three = _mm256_set1_epi8(3), ones = _mm256_set1_epi16(1);
  __m256 acc[NT];
  for (int t = 0; t < NT; ++t) acc[t] = _mm256_setzero_ps();
  for (int64_t i = 0; i < ne0 / kQK_Q2_0C; ++i) {
    const uint8_t* g = group + static_cast<size_t>(i) * kQ2_0Cx16BlockBytes;
    const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g + 16 * h)));
    for (int q = 0; q < 2; ++q) {  // the two Q8_K halves of the block
      const BlockQ8_K* x[NT];
      __m256i s[NT];
      for (int t = 0; t < NT; ++t) {
        x[t] = reinterpret_cast<const BlockQ8_K*>(act + static_cast<size_t>(t) * as) + 2 * i + q;
        s[t] = _mm256_setzero_si256();
      }
      for (int G0 = 0; G0 < 16; G0 += 8) {
        __m256i p[NT];
        for (int t = 0; t < NT; ++t) p[t] = _mm256_setzero_si256();
        for (int G = G0; G < G0 + 8; ++G) {
          const __m256i v =
              _mm256_loadu_si256(reinterpret_cast<const __m256i*>(g + kPackedScaleBytes + 64 * (16 * q + G) + 32 * h));
          for (int l = 0; l < 4; ++l) {
            const __m256i code = _mm256_and_si256(l == 0 ? v : _mm256_srli_epi16(v, 2 * l), three);
            for (int t = 0; t < NT; ++t)
              p[t] = _mm256_add_epi16(p[t], _mm256_maddubs_epi16(code, bcast4(x[t]->qs + 16 * G + 4 * l)));
          }
        }
        for (int t = 0; t < NT; ++t) s[t] = _mm256_add_epi32(s[t], _mm256_madd_epi16(p[t], ones));
      }
      for (int t = 0; t < NT; ++t) {
        const __m256i st =
            _mm256_sub_epi32(_mm256_add_epi32(s[t], s[t]), _mm256_set1_epi32(3 * sums[t * ss + 2 * i + q]));
        acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(st), _mm256_mul_ps(dw, _mm256_set1_ps(x[t]->d)), acc[t]);
      }
    }
  }
  for (int t = 0; t < NT; ++t) _mm256_storeu_ps(y + t * ldy + 8 * h, acc[t]);
}

// Rows 8h .. 8h+7 of an STQ1_0x16 group. Per quad: the half's 32 slot nibbles, two vpshufb in the
// codebook halves, and the half's 32 sign bits spread to a byte mask for vpblendvb.
template <int NT>
void stq_half(int64_t ne0, const uint8_t* group, int h, const uint8_t* act, size_t as, const int32_t* sums, int64_t ss,
              float* y, int64_t ldy) {
  __m128i cb0, cb1;
  std::memcpy(&cb0, kStq1_0Codebook.data(), 16);
  std::memcpy(&cb1, kStq1_0Codebook.data() + 16, 16);
  const __m256i t0 = _mm256_broadcastsi128_si256(cb0), t1 = _mm256_broadcastsi128_si256(cb1);
  const __m256i m4 = _mm256_set1_epi8(0x0F), three = _mm256_set1_epi8(3), ones = _mm256_set1_epi16(1);
  // Byte j of the spread mask tests bit j % 8 of sign byte j / 8.
  const __m256i sel = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3,
                                       3, 3, 3, 3, 3, 3);
  const __m256i bits = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ULL));
  __m256 acc[NT];
  for (int t = 0; t < NT; ++t) acc[t] = _mm256_setzero_ps();
  for (int64_t i = 0; i < ne0 / kQK_K; ++i) {
    const uint8_t* g = group + static_cast<size_t>(i) * kSTQ1_0x16BlockBytes;
    const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g + 16 * h)));
    const BlockQ8_K* x[NT];
    __m256i s[NT];
    for (int t = 0; t < NT; ++t) {
      x[t] = reinterpret_cast<const BlockQ8_K*>(act + static_cast<size_t>(t) * as) + i;
      s[t] = _mm256_set1_epi32(-sums[t * ss + i]);
    }
    for (int q0 = 0; q0 < 16; q0 += 8) {
      __m256i p[NT];
      for (int t = 0; t < NT; ++t) p[t] = _mm256_setzero_si256();
      for (int q = q0; q < q0 + 8; ++q) {
        const uint8_t* qd = g + kPackedScaleBytes + q * kSTQ1_0x16QuadBytes;
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(qd));
        const __m256i slots = _mm256_and_si256(h == 0 ? v : _mm256_srli_epi16(v, 4), m4);
        uint32_t sign;
        std::memcpy(&sign, qd + 32 + 4 * h, 4);
        const __m256i sb = _mm256_shuffle_epi8(_mm256_set1_epi32(static_cast<int32_t>(sign)), sel);
        const __m256i neg = _mm256_cmpeq_epi8(_mm256_and_si256(sb, bits), bits);
        const __m256i packed = _mm256_blendv_epi8(_mm256_shuffle_epi8(t0, slots), _mm256_shuffle_epi8(t1, slots), neg);
        const int base = 64 * (q / 4) + 4 * (q % 4);
        for (int l = 0; l < 4; ++l) {
          const __m256i code = _mm256_and_si256(l == 0 ? packed : _mm256_srli_epi16(packed, 2 * l), three);
          for (int t = 0; t < NT; ++t)
            p[t] = _mm256_add_epi16(p[t], _mm256_maddubs_epi16(code, bcast4(x[t]->qs + base + 16 * l)));
        }
      }
      for (int t = 0; t < NT; ++t) s[t] = _mm256_add_epi32(s[t], _mm256_madd_epi16(p[t], ones));
    }
    for (int t = 0; t < NT; ++t)
      acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s[t]), _mm256_mul_ps(dw, _mm256_set1_ps(x[t]->d)), acc[t]);
  }
  for (int t = 0; t < NT; ++t) _mm256_storeu_ps(y + t * ldy + 8 * h, acc[t]);
}

// Four tokens at a time keep codes, sums and accumulators within the 16 ymm registers.
}  // namespace

void register_avx2_packed_lowbit(KernelTable& t) {
  install_halves<stq_half<1>, stq_half<2>, stq_half<3>, stq_half<4>>(t, WeightType::kSTQ1_0);
  install_halves<q2c_half<1>, q2c_half<2>, q2c_half<3>, q2c_half<4>>(t, WeightType::kQ2_0C);
}

}  // namespace hymt
