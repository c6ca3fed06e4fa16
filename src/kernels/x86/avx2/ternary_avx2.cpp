// ternary_avx2.cpp: TQ2_0 and TQ1_0 x Q8_K with AVX2. Both decode to codes t in {0,1,2}
// (w = (t - 1) d) in weight order, eight ymm per block; sum((t - 1) x) = sum(t x) - sum(x).
// vpmaddubsw(t, x) pairs are at most 2*2*128 = 512, so the eight pair vectors of a block add up
// in int16 (at most 4096) before one vpmaddwd widens them: 2 uops per 32 weights.
// TQ2_0: the same 2-bit layout as Q2_K. TQ1_0: trit n of byte b is floor(3 p / 256) with
// p = 3^n b mod 256 (byte adds wrap), i.e. [p >= 86] + [p >= 171], via unsigned saturating
// subtraction; qs[0..31] gives weights 0-159 in order, qs[32..47] and qh share one ymm whose
// trit planes are regrouped with lane permutes.
#include <immintrin.h>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/x86/avx2/common_avx2.h"
#include "kernels/tile_dispatch.h"

namespace hymt {

namespace {

struct DecodedTern {
  __m256i q[8];  // codes 0..2 of weights 32j .. 32j+31
  float d;
};

inline __m256 accumulate_tern(const DecodedTern& w, const BlockQ8_K& x, const NegSumPrep& p, __m256 acc) {
  __m256i s16 = _mm256_maddubs_epi16(w.q[0], load256(x.qs));
  for (int j = 1; j < 8; ++j) s16 = _mm256_add_epi16(s16, _mm256_maddubs_epi16(w.q[j], load256(x.qs + 32 * j)));
  const __m256i s = _mm256_add_epi32(_mm256_madd_epi16(s16, _mm256_set1_epi16(1)), p.init);
  return _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_set1_ps(w.d * x.d), acc);
}

struct TQ2 {
  using Block = BlockTQ2_0;
  using Decoded = DecodedTern;
  using Prep = NegSumPrep;
  static void prepare(const BlockQ8_K& x, Prep* p) { NegSumPrep::prepare(x, p); }
  static void decode(const Block& b, Decoded* o) {
    const __m256i three = _mm256_set1_epi8(3);
    for (int h = 0; h < 2; ++h) {
      const __m256i v = load256(b.qs + 32 * h);
      o->q[4 * h + 0] = _mm256_and_si256(v, three);
      o->q[4 * h + 1] = _mm256_and_si256(_mm256_srli_epi16(v, 2), three);
      o->q[4 * h + 2] = _mm256_and_si256(_mm256_srli_epi16(v, 4), three);
      o->q[4 * h + 3] = _mm256_and_si256(_mm256_srli_epi16(v, 6), three);
    }
    o->d = h2f(b.d);
  }
  static __m256 accumulate(const Decoded& w, const BlockQ8_K& x, const Prep& p, __m256 acc) {
    return accumulate_tern(w, x, p, acc);
  }
};

// Top base-3 digit of each byte p: (3p) >> 8 = [p >= 86] + [p >= 171].
inline __m256i top_trit(__m256i p) {
  const __m256i one = _mm256_set1_epi8(1);
  return _mm256_add_epi8(_mm256_min_epu8(_mm256_subs_epu8(p, _mm256_set1_epi8(85)), one),
                         _mm256_min_epu8(_mm256_subs_epu8(p, _mm256_set1_epi8(static_cast<char>(170))), one));
}

inline __m256i times3(__m256i p) { return _mm256_add_epi8(p, _mm256_add_epi8(p, p)); }  // mod 256

struct TQ1 {
  using Block = BlockTQ1_0;
  using Decoded = DecodedTern;
  using Prep = NegSumPrep;
  static void prepare(const BlockQ8_K& x, Prep* p) { NegSumPrep::prepare(x, p); }
  static void decode(const Block& b, Decoded* o) {
    // Trit n of qs[0..31] is weights 32n .. 32n+31: five planes in order.
    __m256i p = load256(b.qs);
    for (int n = 0; n < 5; ++n) {
      o->q[n] = top_trit(p);
      p = times3(p);
    }
    // r: lane 0 = qs[32..47] (trit n -> weights 160 + 16n ..), dword 4 = qh (240 + 4n .., n < 4).
    uint32_t qh;
    __builtin_memcpy(&qh, b.qh, 4);
    __m256i r = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b.qs + 32))),
                                        _mm_cvtsi32_si128(static_cast<int>(qh)), 1);
    __m256i t[5];
    for (int n = 0; n < 5; ++n) {
      t[n] = top_trit(r);
      r = times3(r);
    }
    o->q[5] = _mm256_permute2x128_si256(t[0], t[1], 0x20);  // weights 160-175, 176-191
    o->q[6] = _mm256_permute2x128_si256(t[2], t[3], 0x20);  // 192-207, 208-223
    // Lane 1 of qv = dword 4 of t[0..3] (the qh trits, weights 240-255).
    const __m256i qv = _mm256_unpacklo_epi64(_mm256_unpacklo_epi32(t[0], t[1]), _mm256_unpacklo_epi32(t[2], t[3]));
    o->q[7] = _mm256_blend_epi32(t[4], qv, 0xF0);  // 224-239, 240-255
    o->d = h2f(b.d);
  }
  static __m256 accumulate(const Decoded& w, const BlockQ8_K& x, const Prep& p, __m256 acc) {
    return accumulate_tern(w, x, p, acc);
  }
};

template <class F>
void install(KernelTable& t, WeightType type) {
  t.vec_dot[static_cast<size_t>(type)] = dot_tile<Q8KTile<F>>;
  t.gemm[static_cast<size_t>(type)] = gemm_tiles<Q8KTile<F>>;
}

}  // namespace

void register_avx2_ternary(KernelTable& t) {
  install<TQ2>(t, WeightType::kTQ2_0);
  install<TQ1>(t, WeightType::kTQ1_0);
}

}  // namespace hymt
