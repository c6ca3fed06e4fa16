// ternary_avx512.cpp: TQ2_0 and TQ1_0 x Q8_K with AVX-512 VNNI. Both decode to codes t in {0,1,2}
// (w = (t - 1) d) in weight order, four zmm per block; sum((t - 1) x) = vpdpbusd(t, x) - sum(x),
// sum(x) from the bsums once per activation block.
// TQ2_0: the same 2-bit layout as Q2_K (32 bytes shifted by 2j per half).
// TQ1_0: trit n of byte b is floor(3 * (3^n b mod 256) / 256), i.e. [p >= 86] + [p >= 171] with
// p = 3^n b mod 256, which byte adds (wrapping) and two unsigned compares give for all 52 code
// bytes at once; 128-bit lane shuffles then put the five trit planes in weight order.
#include <immintrin.h>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/x86/avx512/common_avx512.h"
#include "kernels/tile_dispatch.h"

namespace hymt {

namespace {

struct DecodedTern {
  __m512i q[4];  // codes 0..2 of weights 64m .. 64m+63
  float d;
};

inline __m512 accumulate_tern(const DecodedTern& w, const BlockQ8_K& x, const NegSumPrep& p, __m512 acc) {
  __m512i s = p.init;
  for (int m = 0; m < 4; ++m) s = _mm512_dpbusd_epi32(s, w.q[m], _mm512_loadu_si512(x.qs + 64 * m));
  return _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_set1_ps(w.d * x.d), acc);
}

struct TQ2 {
  using Block = BlockTQ2_0;
  using Decoded = DecodedTern;
  using Prep = NegSumPrep;
  static void prepare(const BlockQ8_K& x, Prep* p) { NegSumPrep::prepare(x, p); }
  static void decode(const Block& b, Decoded* o) {
    const __m512i three = _mm512_set1_epi8(3);
    for (int m = 0; m < 4; ++m) {  // weights 64m ..: bytes 32 (m / 2) .., shifts 4(m % 2) and 4(m % 2) + 2
      const __m512i v =
          _mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qs + 32 * (m / 2))));
      const int s = 4 * (m % 2);
      const __m512i shift = _mm512_inserti64x4(_mm512_set1_epi16(static_cast<short>(s)),
                                               _mm256_set1_epi16(static_cast<short>(s + 2)), 1);
      o->q[m] = _mm512_and_si512(_mm512_srlv_epi16(v, shift), three);
    }
    o->d = h2f(b.d);
  }
  static __m512 accumulate(const Decoded& w, const BlockQ8_K& x, const Prep& p, __m512 acc) {
    return accumulate_tern(w, x, p, acc);
  }
};

// Top base-3 digit of each byte p: (3p) >> 8.
inline __m512i top_trit(__m512i p) {
  const __m512i one = _mm512_set1_epi8(1);
  const __m512i t = _mm512_maskz_mov_epi8(_mm512_cmpge_epu8_mask(p, _mm512_set1_epi8(86)), one);
  return _mm512_mask_add_epi8(t, _mm512_cmpge_epu8_mask(p, _mm512_set1_epi8(static_cast<char>(171))), t, one);
}

struct TQ1 {
  using Block = BlockTQ1_0;
  using Decoded = DecodedTern;
  using Prep = NegSumPrep;
  static void prepare(const BlockQ8_K& x, Prep* p) { NegSumPrep::prepare(x, p); }
  static void decode(const Block& b, Decoded* o) {
    // Bytes 0-47 qs, 48-51 qh, the rest zero (the masked load stops before d and the block end).
    __m512i p = _mm512_maskz_loadu_epi8((1ull << 52) - 1, &b);
    // T[n] lanes: L0-L1 = trit n of qs[0..31] (weights 32n ..), L2 = of qs[32..47] (160 + 16n ..),
    // dword 12 = of qh[0..3] (240 + 4n .., n < 4).
    __m512i t[5];
    for (int n = 0; n < 5; ++n) {
      t[n] = top_trit(p);
      p = _mm512_add_epi8(p, _mm512_add_epi8(p, p));  // * 3 mod 256
    }
    o->q[0] = _mm512_shuffle_i64x2(t[0], t[1], _MM_SHUFFLE(1, 0, 1, 0));  // weights 0-31, 32-63
    o->q[1] = _mm512_shuffle_i64x2(t[2], t[3], _MM_SHUFFLE(1, 0, 1, 0));  // 64-95, 96-127
    const __m512i u = _mm512_shuffle_i64x2(t[0], t[1], _MM_SHUFFLE(2, 2, 2, 2));
    o->q[2] = _mm512_shuffle_i64x2(t[4], u, _MM_SHUFFLE(2, 0, 1, 0));  // 128-159, 160-175, 176-191
    // Lane 3 of qv = dword 12 of t[0..3] (the qh trits, weights 240-255).
    const __m512i qv = _mm512_unpacklo_epi64(_mm512_unpacklo_epi32(t[0], t[1]), _mm512_unpacklo_epi32(t[2], t[3]));
    const __m512i v = _mm512_shuffle_i64x2(t[2], t[3], _MM_SHUFFLE(2, 2, 2, 2));
    const __m512i w = _mm512_shuffle_i64x2(t[4], qv, _MM_SHUFFLE(3, 3, 2, 2));
    o->q[3] = _mm512_shuffle_i64x2(v, w, _MM_SHUFFLE(2, 0, 2, 0));  // 192-207, 208-223, 224-239, 240-255
    o->d = h2f(b.d);
  }
  static __m512 accumulate(const Decoded& w, const BlockQ8_K& x, const Prep& p, __m512 acc) {
    return accumulate_tern(w, x, p, acc);
  }
};

}  // namespace

void register_avx512_ternary(KernelTable& t) {
  t.vec_dot[static_cast<size_t>(WeightType::kTQ2_0)] = dot_tile<Q8KTile<TQ2>>;
  t.gemm[static_cast<size_t>(WeightType::kTQ2_0)] = gemm_tiles<Q8KTile<TQ2>>;
  t.vec_dot[static_cast<size_t>(WeightType::kTQ1_0)] = dot_tile<Q8KTile<TQ1>>;
  t.gemm[static_cast<size_t>(WeightType::kTQ1_0)] = gemm_tiles<Q8KTile<TQ1>>;
}

}  // namespace hymt
