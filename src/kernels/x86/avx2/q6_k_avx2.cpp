// q6_k_avx2.cpp: Q6_K x Q8_K with AVX2 (the tied embedding / LM head of the HY-MT files).
// Per half, ql[0..31] and ql[32..63] give weights 0-31 / 32-63 (low nibbles) and 64-95 / 96-127
// (high nibbles); qh adds bits 4-5 from its 2-bit fields 0, 1, 2, 3. Codes stay unsigned (q + 32,
// 0..63): vpmaddubsw(q, x) pairs are at most 2*63*128 = 16128 < 32767, so they never saturate;
// vpmaddwd applies the int8 scales (a 32-weight ymm spans two 16-weight sub-blocks, one per
// 128-bit lane), and the -32 offset is one vpmaddwd of the bsums with -32*scale.
#include <immintrin.h>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/x86/avx2/common_avx2.h"
#include "kernels/tile_dispatch.h"

namespace hymt {

namespace {

struct Q6K {
  using Block = BlockQ6_K;
  using Prep = NoPrep;
  static void prepare(const BlockQ8_K&, Prep*) {}
  struct Decoded {
    __m256i q[8];   // codes 0..63 of weights 32j .. 32j+31
    __m256i sc[8];  // int16: lane 0 the scale of sub-block 2j, lane 1 of 2j+1
    __m256i bias;   // -32 * scale of each sub-block, int16
    float d;
  };

  static void decode(const Block& b, Decoded* o) {
    const __m256i lo4 = _mm256_set1_epi8(0x0F), hi2 = _mm256_set1_epi8(0x30);
    for (int h = 0; h < 2; ++h) {
      const __m256i l0 = load256(b.ql + 64 * h), l1 = load256(b.ql + 64 * h + 32);
      const __m256i qh = load256(b.qh + 32 * h);
      // 16-bit shifts leak bits across bytes only into positions the masks clear.
      o->q[4 * h + 0] = _mm256_or_si256(_mm256_and_si256(l0, lo4), _mm256_and_si256(_mm256_slli_epi16(qh, 4), hi2));
      o->q[4 * h + 1] = _mm256_or_si256(_mm256_and_si256(l1, lo4), _mm256_and_si256(_mm256_slli_epi16(qh, 2), hi2));
      o->q[4 * h + 2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), lo4), _mm256_and_si256(qh, hi2));
      o->q[4 * h + 3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), lo4),
                                        _mm256_and_si256(_mm256_srli_epi16(qh, 2), hi2));
    }
    const __m128i s8 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.scales));
    // Even scales to lane 0, odd to lane 1; then word j of each lane broadcast = sub-blocks 2j, 2j+1.
    const __m256i eo = _mm256_cvtepi8_epi16(
        _mm_shuffle_epi8(s8, _mm_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15)));
    for (int j = 0; j < 8; ++j) o->sc[j] = _mm256_shuffle_epi8(eo, _mm256_set1_epi16(static_cast<short>(0x0100 * (2 * j + 1) + 2 * j)));
    o->bias = _mm256_sub_epi16(_mm256_setzero_si256(), _mm256_slli_epi16(_mm256_cvtepi8_epi16(s8), 5));
    o->d = h2f(b.d);
  }

  static __m256 accumulate(const Decoded& w, const BlockQ8_K& x, const Prep&, __m256 acc) {
    __m256i s = _mm256_madd_epi16(load256(x.bsums), w.bias);
    for (int j = 0; j < 8; ++j)
      s = _mm256_add_epi32(s, _mm256_madd_epi16(_mm256_maddubs_epi16(w.q[j], load256(x.qs + 32 * j)), w.sc[j]));
    return _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_set1_ps(w.d * x.d), acc);
  }
};

}  // namespace

void register_avx2_q6_k(KernelTable& t) {
  t.vec_dot[static_cast<size_t>(WeightType::kQ6_K)] = dot_tile<Q8KTile<Q6K>>;
  t.gemm[static_cast<size_t>(WeightType::kQ6_K)] = gemm_tiles<Q8KTile<Q6K>>;
}

}  // namespace hymt
