// kquant_avx2.cpp: Q4_K, Q5_K and Q2_K x Q8_K with AVX2.
// Q4_K/Q5_K: the 32 bytes of chunk c give sub-block 2c (low nibbles) and 2c+1 (high nibbles) as
// two ymm in weight order; Q5_K's bit 2c / 2c+1 of qh is masked and shifted to bit 4. The 12
// packed scale bytes are unpacked with four 32-bit lanes at once (get_scale_min_k4).
// Q2_K: 32 bytes shifted by 2j give weights 32j' .. in order, sub-blocks 2j', 2j'+1 per lane.
// Codes are unsigned, at most 31, so vpmaddubsw(code, x) pairs stay within 2*31*128 < 32767;
// vpmaddwd applies the scales, and the mins are one vpmaddwd of the bsums with the mins.
#include <immintrin.h>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/x86/avx2/common_avx2.h"
#include "kernels/tile_dispatch.h"

namespace hymt {

namespace {

struct DecodedK {
  __m256i q[8];   // codes of weights 32j .. 32j+31
  __m256i sc[8];  // int16 scale of each word of vpmaddubsw(q[j], x)
  __m256i mins;   // int16 min of the sub-block of each bsum (16 weights)
  float d, dmin;
};

inline __m256 accumulate_k(const DecodedK& w, const BlockQ8_K& x, __m256 acc) {
  __m256i s = _mm256_setzero_si256();
  for (int j = 0; j < 8; ++j)
    s = _mm256_add_epi32(s, _mm256_madd_epi16(_mm256_maddubs_epi16(w.q[j], load256(x.qs + 32 * j)), w.sc[j]));
  const __m256i ms = _mm256_madd_epi16(load256(x.bsums), w.mins);
  // Integer sums are exact; d * isum and dmin * msum meet only in float, as in the reference.
  acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_set1_ps(w.d * x.d), acc);
  return _mm256_fnmadd_ps(_mm256_cvtepi32_ps(ms), _mm256_set1_ps(w.dmin * x.d), acc);
}

// Q4_K / Q5_K scales and mins from the first 16 bytes of the block (d, dmin, scales[12]).
inline void decode_scales_k4(const uint8_t* head, DecodedK* o) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(head));
  // dwords a, b, c = scales[0..3], [4..7], [8..11] (v's dwords 1, 2, 3).
  // sc0-3 = a & 63, m0-3 = b & 63, sc4-7 = (c & 15) | (a >> 6) << 4, m4-7 = (c >> 4) | (b >> 6) << 4.
  const __m128i lo = _mm_and_si128(_mm_srlv_epi32(_mm_shuffle_epi32(v, _MM_SHUFFLE(3, 3, 2, 1)), _mm_setr_epi32(0, 0, 0, 4)),
                                   _mm_setr_epi32(0x3F3F3F3F, 0x3F3F3F3F, 0x0F0F0F0F, 0x0F0F0F0F));
  const __m128i hi = _mm_and_si128(_mm_srli_epi32(_mm_shuffle_epi32(v, _MM_SHUFFLE(2, 1, 2, 1)), 2),
                                   _mm_setr_epi32(0, 0, 0x30303030, 0x30303030));
  const __m128i x = _mm_or_si128(lo, hi);  // bytes: sc0-3, m0-3, sc4-7, m4-7
  const __m256i sc = _mm256_broadcastsi128_si256(
      _mm_cvtepu8_epi16(_mm_shuffle_epi8(x, _mm_setr_epi8(0, 1, 2, 3, 8, 9, 10, 11, -1, -1, -1, -1, -1, -1, -1, -1))));
  for (int j = 0; j < 8; ++j) o->sc[j] = _mm256_shuffle_epi8(sc, _mm256_set1_epi16(static_cast<short>(0x0100 * (2 * j + 1) + 2 * j)));
  o->mins = _mm256_cvtepu8_epi16(_mm_shuffle_epi8(x, _mm_setr_epi8(4, 4, 5, 5, 6, 6, 7, 7, 12, 12, 13, 13, 14, 14, 15, 15)));
}

struct Q4K {
  using Block = BlockQ4_K;
  using Decoded = DecodedK;
  using Prep = NoPrep;
  static void prepare(const BlockQ8_K&, Prep*) {}
  static void decode(const Block& b, Decoded* o) {
    decode_scales_k4(reinterpret_cast<const uint8_t*>(&b), o);
    const __m256i lo4 = _mm256_set1_epi8(0x0F);
    for (int c = 0; c < 4; ++c) {
      const __m256i v = load256(b.qs + 32 * c);
      o->q[2 * c] = _mm256_and_si256(v, lo4);
      o->q[2 * c + 1] = _mm256_and_si256(_mm256_srli_epi16(v, 4), lo4);
    }
    o->d = h2f(b.d);
    o->dmin = h2f(b.dmin);
  }
  static __m256 accumulate(const Decoded& w, const BlockQ8_K& x, const Prep&, __m256 acc) {
    return accumulate_k(w, x, acc);
  }
};

// Bit `bit` of every byte moved to bit 4 (masked first, so 16-bit shifts cannot leak).
inline __m256i bit_to_16(__m256i v, int bit) {
  const __m256i m = _mm256_and_si256(v, _mm256_set1_epi8(static_cast<char>(1 << bit)));
  return bit <= 4 ? _mm256_slli_epi16(m, 4 - bit) : _mm256_srli_epi16(m, bit - 4);
}

struct Q5K {
  using Block = BlockQ5_K;
  using Decoded = DecodedK;
  using Prep = NoPrep;
  static void prepare(const BlockQ8_K&, Prep*) {}
  static void decode(const Block& b, Decoded* o) {
    decode_scales_k4(reinterpret_cast<const uint8_t*>(&b), o);
    const __m256i lo4 = _mm256_set1_epi8(0x0F);
    const __m256i qh = load256(b.qh);
    for (int c = 0; c < 4; ++c) {
      const __m256i v = load256(b.qs + 32 * c);
      o->q[2 * c] = _mm256_or_si256(_mm256_and_si256(v, lo4), bit_to_16(qh, 2 * c));
      o->q[2 * c + 1] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(v, 4), lo4), bit_to_16(qh, 2 * c + 1));
    }
    o->d = h2f(b.d);
    o->dmin = h2f(b.dmin);
  }
  static __m256 accumulate(const Decoded& w, const BlockQ8_K& x, const Prep&, __m256 acc) {
    return accumulate_k(w, x, acc);
  }
};

struct Q2K {
  using Block = BlockQ2_K;
  using Decoded = DecodedK;
  using Prep = NoPrep;
  static void prepare(const BlockQ8_K&, Prep*) {}
  static void decode(const Block& b, Decoded* o) {
    const __m256i three = _mm256_set1_epi8(3);
    for (int h = 0; h < 2; ++h) {
      const __m256i v = load256(b.qs + 32 * h);
      o->q[4 * h + 0] = _mm256_and_si256(v, three);
      o->q[4 * h + 1] = _mm256_and_si256(_mm256_srli_epi16(v, 2), three);
      o->q[4 * h + 2] = _mm256_and_si256(_mm256_srli_epi16(v, 4), three);
      o->q[4 * h + 3] = _mm256_and_si256(_mm256_srli_epi16(v, 6), three);
    }
    const __m128i s8 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.scales));
    const __m128i lo4 = _mm_set1_epi8(0x0F);
    // Even sub-block scales to lane 0, odd to lane 1; word j of each lane = sub-blocks 2j, 2j+1.
    const __m256i eo = _mm256_cvtepu8_epi16(
        _mm_shuffle_epi8(_mm_and_si128(s8, lo4), _mm_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15)));
    for (int j = 0; j < 8; ++j) o->sc[j] = _mm256_shuffle_epi8(eo, _mm256_set1_epi16(static_cast<short>(0x0100 * (2 * j + 1) + 2 * j)));
    o->mins = _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(s8, 4), lo4));
    o->d = h2f(b.d);
    o->dmin = h2f(b.dmin);
  }
  static __m256 accumulate(const Decoded& w, const BlockQ8_K& x, const Prep&, __m256 acc) {
    return accumulate_k(w, x, acc);
  }
};

template <class F>
void install(KernelTable& t, WeightType type) {
  t.vec_dot[static_cast<size_t>(type)] = dot_tile<Q8KTile<F>>;
  t.gemm[static_cast<size_t>(type)] = gemm_tiles<Q8KTile<F>>;
}

}  // namespace

void register_avx2_kquant(KernelTable& t) {
  install<Q4K>(t, WeightType::kQ4_K);
  install<Q5K>(t, WeightType::kQ5_K);
  install<Q2K>(t, WeightType::kQ2_K);
}

}  // namespace hymt
