// kquant_avx512.cpp: Q4_K, Q5_K and Q2_K x Q8_K with AVX-512 VNNI (the bulk of a Q4_K_M model).
// Q4_K/Q5_K: chunk c of qs (32 bytes) holds sub-block 2c in its low nibbles and 2c+1 in its high nibbles, so
// broadcasting it to both zmm halves and shifting the upper half by 4 gives 64 codes in weight
// order. Q5_K adds bit 2c / 2c+1 of qh[l] as 16: vptestmb makes it a mask, one masked OR sets it.
// Codes are unsigned (0..31), so vpmaddubsw(code, x) cannot saturate (2*31*128 < 32767) and
// vpdpwssd applies the 6-bit scales; the mins are one vpmaddwd of the bsums with the mins.
// The 12 packed scale bytes are unpacked with four 32-bit lanes at once (get_scale_min_k4).
// Q2_K: 32 bytes of qs shifted by 2j per half give 64 codes 0..3 in weight order, one 16-weight
// sub-block per 128-bit lane; its 4-bit scales and mins take the same vpdpwssd / bsums path.
#include <immintrin.h>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/x86/avx512/common_avx512.h"
#include "kernels/tile_dispatch.h"

namespace hymt {

namespace {

struct DecodedK4 {
  __m512i q[4];   // codes of weights 64c .. 64c+63
  __m512i sc[4];  // per dword of vpmaddubsw(q[c], x): the scale of its sub-block in both int16 halves
  __m256i mins;   // int16 min of the sub-block of each bsum (16 weights; Q4_K/Q5_K: m[k / 2])
  float d, dmin;
};

// `head` is the first 16 bytes of the block: d, dmin, scales[12] (the same in Q4_K and Q5_K).
inline void decode_scales(const uint8_t* head, DecodedK4* o) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(head));
  // dwords a, b, c = scales[0..3], [4..7], [8..11] (v's dwords 1, 2, 3).
  // sc0-3 = a & 63, m0-3 = b & 63, sc4-7 = (c & 15) | (a >> 6) << 4, m4-7 = (c >> 4) | (b >> 6) << 4.
  const __m128i lo = _mm_srlv_epi32(_mm_shuffle_epi32(v, _MM_SHUFFLE(3, 3, 2, 1)), _mm_setr_epi32(0, 0, 0, 4));
  const __m128i hi = _mm_and_si128(_mm_srli_epi32(_mm_shuffle_epi32(v, _MM_SHUFFLE(2, 1, 2, 1)), 2),
                                   _mm_setr_epi32(0, 0, 0x30303030, 0x30303030));
  const __m128i x = _mm_ternarylogic_epi32(lo, _mm_setr_epi32(0x3F3F3F3F, 0x3F3F3F3F, 0x0F0F0F0F, 0x0F0F0F0F), hi,
                                           0xEA);  // (lo & mask) | hi
  // x bytes: sc0-3, m0-3, sc4-7, m4-7.
  const __m128i sc = _mm_shuffle_epi8(x, _mm_setr_epi8(0, 1, 2, 3, 8, 9, 10, 11, -1, -1, -1, -1, -1, -1, -1, -1));
  const __m128i mm = _mm_shuffle_epi8(x, _mm_setr_epi8(4, 4, 5, 5, 6, 6, 7, 7, 12, 12, 13, 13, 14, 14, 15, 15));
  const __m256i s32 = _mm256_cvtepu8_epi32(sc);
  const __m512i pair = _mm512_zextsi256_si512(_mm256_or_si256(s32, _mm256_slli_epi32(s32, 16)));
  for (int c = 0; c < 4; ++c) {
    const __m512i idx = _mm512_inserti64x4(_mm512_set1_epi32(2 * c), _mm256_set1_epi32(2 * c + 1), 1);
    o->sc[c] = _mm512_permutexvar_epi32(idx, pair);
  }
  o->mins = _mm256_cvtepu8_epi16(mm);
}

// Codes of chunk c from its 32 bytes: low nibbles in the low half, high nibbles in the high half.
inline __m512i nibbles(const uint8_t* q32) {
  const __m512i v = _mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(q32)));
  const __m512i shift = _mm512_inserti64x4(_mm512_setzero_si512(), _mm256_set1_epi16(4), 1);
  return _mm512_and_si512(_mm512_srlv_epi16(v, shift), _mm512_set1_epi8(0x0F));
}

inline __m512 accumulate_k4(const DecodedK4& w, const BlockQ8_K& x, __m512 acc) {
  // Integer sums are exact; d * isum and dmin * msum meet only in float, as in the reference.
  __m512i s = _mm512_setzero_si512();
  for (int c = 0; c < 4; ++c)
    s = _mm512_dpwssd_epi32(s, _mm512_maddubs_epi16(w.q[c], _mm512_loadu_si512(x.qs + 64 * c)), w.sc[c]);
  const __m256i ms = _mm256_madd_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x.bsums)), w.mins);
  acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_set1_ps(w.d * x.d), acc);
  return _mm512_fnmadd_ps(_mm512_zextps256_ps512(_mm256_cvtepi32_ps(ms)), _mm512_set1_ps(w.dmin * x.d), acc);
}

struct Q4K {
  using Block = BlockQ4_K;
  using Decoded = DecodedK4;
  using Prep = NoPrep;
  static void prepare(const BlockQ8_K&, Prep*) {}
  static void decode(const Block& b, Decoded* o) {
    decode_scales(reinterpret_cast<const uint8_t*>(&b), o);
    for (int c = 0; c < 4; ++c) o->q[c] = nibbles(b.qs + 32 * c);
    o->d = h2f(b.d);
    o->dmin = h2f(b.dmin);
  }
  static __m512 accumulate(const Decoded& w, const BlockQ8_K& x, const Prep&, __m512 acc) {
    return accumulate_k4(w, x, acc);
  }
};

struct Q5K {
  using Block = BlockQ5_K;
  using Decoded = DecodedK4;
  using Prep = NoPrep;
  static void prepare(const BlockQ8_K&, Prep*) {}
  static void decode(const Block& b, Decoded* o) {
    decode_scales(reinterpret_cast<const uint8_t*>(&b), o);
    const __m512i qh = _mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qh)));
    const __m512i sixteen = _mm512_set1_epi8(16);
    for (int c = 0; c < 4; ++c) {
      const __m512i bit = _mm512_inserti64x4(_mm512_set1_epi8(static_cast<char>(1 << (2 * c))),
                                             _mm256_set1_epi8(static_cast<char>(2 << (2 * c))), 1);
      const __m512i q = nibbles(b.qs + 32 * c);
      o->q[c] = _mm512_mask_add_epi8(q, _mm512_test_epi8_mask(qh, bit), q, sixteen);  // q < 16: add = or
    }
    o->d = h2f(b.d);
    o->dmin = h2f(b.dmin);
  }
  static __m512 accumulate(const Decoded& w, const BlockQ8_K& x, const Prep&, __m512 acc) {
    return accumulate_k4(w, x, acc);
  }
};

struct Q2K {
  using Block = BlockQ2_K;
  using Decoded = DecodedK4;
  using Prep = NoPrep;
  static void prepare(const BlockQ8_K&, Prep*) {}
  static void decode(const Block& b, Decoded* o) {
    const __m512i three = _mm512_set1_epi8(3);
    for (int m = 0; m < 4; ++m) {  // weights 64m ..: half m / 2, shifts 4(m % 2) and 4(m % 2) + 2
      const __m512i v =
          _mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qs + 32 * (m / 2))));
      const int s = 4 * (m % 2);
      const __m512i shift = _mm512_inserti64x4(_mm512_set1_epi16(static_cast<short>(s)),
                                               _mm256_set1_epi16(static_cast<short>(s + 2)), 1);
      o->q[m] = _mm512_and_si512(_mm512_srlv_epi16(v, shift), three);
    }
    const __m128i s8 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.scales));
    const __m128i lo4 = _mm_set1_epi8(0x0F);
    const __m512i s32 = _mm512_cvtepu8_epi32(_mm_and_si128(s8, lo4));
    const __m512i pair = _mm512_or_si512(s32, _mm512_slli_epi32(s32, 16));
    for (int m = 0; m < 4; ++m) {  // zmm m holds sub-blocks 4m .. 4m+3, one per 128-bit lane
      const __m512i idx = _mm512_setr_epi32(4 * m, 4 * m, 4 * m, 4 * m, 4 * m + 1, 4 * m + 1, 4 * m + 1, 4 * m + 1,
                                            4 * m + 2, 4 * m + 2, 4 * m + 2, 4 * m + 2, 4 * m + 3, 4 * m + 3,
                                            4 * m + 3, 4 * m + 3);
      o->sc[m] = _mm512_permutexvar_epi32(idx, pair);
    }
    o->mins = _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(s8, 4), lo4));
    o->d = h2f(b.d);
    o->dmin = h2f(b.dmin);
  }
  static __m512 accumulate(const Decoded& w, const BlockQ8_K& x, const Prep&, __m512 acc) {
    return accumulate_k4(w, x, acc);
  }
};

}  // namespace

void register_avx512_kquant(KernelTable& t) {
  t.vec_dot[static_cast<size_t>(WeightType::kQ4_K)] = dot_tile<Q8KTile<Q4K>>;
  t.gemm[static_cast<size_t>(WeightType::kQ4_K)] = gemm_tiles<Q8KTile<Q4K>>;
  t.vec_dot[static_cast<size_t>(WeightType::kQ5_K)] = dot_tile<Q8KTile<Q5K>>;
  t.gemm[static_cast<size_t>(WeightType::kQ5_K)] = gemm_tiles<Q8KTile<Q5K>>;
  t.vec_dot[static_cast<size_t>(WeightType::kQ2_K)] = dot_tile<Q8KTile<Q2K>>;
  t.gemm[static_cast<size_t>(WeightType::kQ2_K)] = gemm_tiles<Q8KTile<Q2K>>;
}

}  // namespace hymt
