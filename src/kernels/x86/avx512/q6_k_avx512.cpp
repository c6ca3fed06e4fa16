// q6_k_avx512.cpp: Q6_K x Q8_K with AVX-512 VNNI (the tied embedding / LM head of the HY-MT files).
// Layout trick: the low nibbles of ql[64h .. 64h+63] are weights 128h .. 128h+63 in order and the
// high nibbles the next 64, so one 64-byte load gives two zmm of codes lined up with contiguous
// activations; the 2-bit high parts come from qh broadcast to both halves and shifted per half.
// Codes stay unsigned (q = w + 32, 0..63): vpmaddubsw(q, x) pairs cannot saturate (2*63*128 <
// 32767), vpdpwssd applies the int8 sub-block scales, and the -32 offset is one vpmaddwd of the
// Q8_K bsums with -32*scale. One int32 vector per block, converted and scaled by d*dx once.
#include <immintrin.h>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/x86/avx512/common_avx512.h"
#include "kernels/tile_dispatch.h"

namespace hymt {

namespace {

struct Q6K {
  using Block = BlockQ6_K;
  using Prep = NoPrep;
  static void prepare(const BlockQ8_K&, Prep*) {}
  struct Decoded {
    __m512i q[4];   // codes 0..63 of weights 64m .. 64m+63
    __m512i sc[4];  // int16 scale per word of vpmaddubsw(q[m], x): sub-block 4m + word/8
    __m256i bias;   // -32 * scale of each 16-weight sub-block, int16
    float d;
  };

  static void decode(const Block& b, Decoded* o) {
    const __m512i lo4 = _mm512_set1_epi8(0x0F), hi2 = _mm512_set1_epi8(0x30);
    // qh bits 2k..2k+1 of byte l belong to weight l + 32k of the half; move them to bits 4-5.
    const __m512i shl = _mm512_inserti64x4(_mm512_set1_epi16(4), _mm256_set1_epi16(2), 1);  // k = 0, 1
    const __m512i shr = _mm512_inserti64x4(_mm512_setzero_si512(), _mm256_set1_epi16(2), 1);  // k = 2, 3
    for (int h = 0; h < 2; ++h) {
      const __m512i ql = _mm512_loadu_si512(b.ql + 64 * h);
      const __m512i qh = _mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qh + 32 * h)));
      // (a & b) | c with imm 0xEA; 16-bit shifts only leak bits into positions the masks clear.
      o->q[2 * h] = _mm512_ternarylogic_epi32(ql, lo4, _mm512_and_si512(_mm512_sllv_epi16(qh, shl), hi2), 0xEA);
      o->q[2 * h + 1] = _mm512_ternarylogic_epi32(_mm512_srli_epi16(ql, 4), lo4,
                                                  _mm512_and_si512(_mm512_srlv_epi16(qh, shr), hi2), 0xEA);
    }
    const __m128i s8 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.scales));
    // Each dword = the scale in both int16 halves, so vpermd spreads it over a word pair.
    const __m512i s32 = _mm512_cvtepi8_epi32(s8);
    const __m512i pair = _mm512_ternarylogic_epi32(s32, _mm512_set1_epi32(0xFFFF), _mm512_slli_epi32(s32, 16), 0xEA);
    for (int m = 0; m < 4; ++m) {
      const __m512i idx = _mm512_setr_epi32(4 * m, 4 * m, 4 * m, 4 * m, 4 * m + 1, 4 * m + 1, 4 * m + 1, 4 * m + 1,
                                            4 * m + 2, 4 * m + 2, 4 * m + 2, 4 * m + 2, 4 * m + 3, 4 * m + 3,
                                            4 * m + 3, 4 * m + 3);
      o->sc[m] = _mm512_permutexvar_epi32(idx, pair);
    }
    o->bias = _mm256_sub_epi16(_mm256_setzero_si256(), _mm256_slli_epi16(_mm256_cvtepi8_epi16(s8), 5));
    o->d = h2f(b.d);
  }

  static __m512 accumulate(const Decoded& w, const BlockQ8_K& x, const Prep&, __m512 acc) {
    const __m256i bs = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x.bsums));
    __m512i s = _mm512_zextsi256_si512(_mm256_madd_epi16(bs, w.bias));
    for (int m = 0; m < 4; ++m)
      s = _mm512_dpwssd_epi32(s, _mm512_maddubs_epi16(w.q[m], _mm512_loadu_si512(x.qs + 64 * m)), w.sc[m]);
    return _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_set1_ps(w.d * x.d), acc);
  }
};

}  // namespace

void register_avx512_q6_k(KernelTable& t) {
  t.vec_dot[static_cast<size_t>(WeightType::kQ6_K)] = dot_tile<Q8KTile<Q6K>>;
  t.gemm[static_cast<size_t>(WeightType::kQ6_K)] = gemm_tiles<Q8KTile<Q6K>>;
}

}  // namespace hymt
