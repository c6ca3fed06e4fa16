// q4_0_avx512.cpp: Q4_0, Q4_1, Q5_0 and Q5_1 x Q8_0 with AVX-512 VNNI. Two 32-weight blocks fill a
// zmm: each block's 16 code bytes are copied to two 128-bit lanes and the second shifted right by
// 4, which puts low nibbles (weights 0-15) and high nibbles (16-31) in weight order. The Q5 fifth
// bit comes from the 32-bit qh of both blocks as one 64-bit mask (one masked add). Codes stay
// unsigned for vpdpbusd (u8 code x s8 activation, exact); Q4_0/Q5_0's offset (-8, -16) is taken
// out with the block's activation sum (one vpdpbusd of x with the constant, done once per
// activation row and shared by the weight rows), Q4_1/Q5_1's min m is m * sum(x) in float.
#include <immintrin.h>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/x86/avx512/common_avx512.h"
#include "kernels/x86/tile_dispatch.h"

namespace hymt {

namespace {

// 16 code bytes of each block -> [b0 low nibbles, b0 high, b1 low, b1 high] (b1 = b0 when alone).
inline __m512i nibbles2(const uint8_t* q0, const uint8_t* q1) {
  const __m256i a = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(q0)));
  const __m256i b = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(q1)));
  const __m512i v = _mm512_inserti64x4(_mm512_castsi256_si512(a), b, 1);
  const __m512i shift = _mm512_setr_epi64(0, 0, 0x0004000400040004, 0x0004000400040004, 0, 0, 0x0004000400040004,
                                          0x0004000400040004);
  return _mm512_and_si512(_mm512_srlv_epi16(v, shift), _mm512_set1_epi8(0x0F));
}

inline __m512 pair_ps(float a, float b) { return _mm512_insertf32x8(_mm512_set1_ps(a), _mm256_set1_ps(b), 1); }

inline uint32_t load_u32(const uint8_t* p) {
  uint32_t v;
  __builtin_memcpy(&v, p, 4);
  return v;
}

// Adds 16 to the codes whose qh bit is set (bit j of block k's qh = weight j of that block).
inline __m512i add_fifth_bit(__m512i q, uint32_t qh0, uint32_t qh1) {
  const __mmask64 k = static_cast<__mmask64>(qh0) | static_cast<__mmask64>(qh1) << 32;
  return _mm512_mask_add_epi8(q, k, q, _mm512_set1_epi8(16));  // codes < 16 here: add = or
}

// Weight side of one block pair: codes and per-half d (and m for the affine formats).
struct Pair {
  __m512i q;
  __m512 d, m;
};

struct Q4_0 {
  using Block = BlockQ4_0;
  static constexpr int kOffset = 8;  // w = d * (q - 8)
  static void decode(const Block* b, bool two, Pair* o) {
    const Block& b1 = two ? b[1] : b[0];
    o->q = nibbles2(b[0].qs, b1.qs);
    o->d = pair_ps(h2f(b[0].d), h2f(b1.d));
  }
};

struct Q5_0 {
  using Block = BlockQ5_0;
  static constexpr int kOffset = 16;  // w = d * (q - 16)
  static void decode(const Block* b, bool two, Pair* o) {
    const Block& b1 = two ? b[1] : b[0];
    o->q = add_fifth_bit(nibbles2(b[0].qs, b1.qs), load_u32(b[0].qh), load_u32(b1.qh));
    o->d = pair_ps(h2f(b[0].d), h2f(b1.d));
  }
};

struct Q4_1 {
  using Block = BlockQ4_1;
  static constexpr int kOffset = 0;  // affine: w = d * q + m
  static void decode(const Block* b, bool two, Pair* o) {
    const Block& b1 = two ? b[1] : b[0];
    o->q = nibbles2(b[0].qs, b1.qs);
    o->d = pair_ps(h2f(b[0].d), h2f(b1.d));
    o->m = pair_ps(h2f(b[0].m), h2f(b1.m));
  }
};

struct Q5_1 {
  using Block = BlockQ5_1;
  static constexpr int kOffset = 0;
  static void decode(const Block* b, bool two, Pair* o) {
    const Block& b1 = two ? b[1] : b[0];
    o->q = add_fifth_bit(nibbles2(b[0].qs, b1.qs), load_u32(b[0].qh), load_u32(b1.qh));
    o->d = pair_ps(h2f(b[0].d), h2f(b1.d));
    o->m = pair_ps(h2f(b[0].m), h2f(b1.m));
  }
};

template <class F>
struct Q80Tile {
  // One block pair (or the last single block, kTwo = false: the activation's upper half is zero,
  // so whatever codes sit there add nothing).
  template <int NR, int NT, bool kTwo>
  static void step(const typename F::Block* const* wb, const BlockQ8_0* const* ab, int64_t i, __m512 (*acc)[NT]) {
    Pair p[NR];
    for (int r = 0; r < NR; ++r) {
      if (kTwo) _mm_prefetch(reinterpret_cast<const char*>(wb[r] + i) + kPrefetchBytes / 2, _MM_HINT_T0);
      F::decode(wb[r] + i, kTwo, &p[r]);
    }
    for (int t = 0; t < NT; ++t) {
      const BlockQ8_0* x = ab[t] + i;
      __m512i xv;
      __m512 dx;
      if (kTwo) {
        xv = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[0].qs))),
                                _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[1].qs)), 1);
        dx = pair_ps(h2f(x[0].d), h2f(x[1].d));
      } else {
        xv = _mm512_zextsi256_si512(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[0].qs)));
        dx = _mm512_set1_ps(h2f(x[0].d));
      }
      if constexpr (F::kOffset != 0) {
        // -offset * sum(x) per 4-byte group as the starting value of every row's sum.
        const __m512i base = _mm512_sub_epi32(
            _mm512_setzero_si512(), _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_set1_epi8(F::kOffset), xv));
        for (int r = 0; r < NR; ++r) {
          const __m512i s = _mm512_dpbusd_epi32(base, p[r].q, xv);
          acc[r][t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_mul_ps(p[r].d, dx), acc[r][t]);
        }
      } else {
        const __m512 sx = _mm512_cvtepi32_ps(_mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_set1_epi8(1), xv));
        for (int r = 0; r < NR; ++r) {
          const __m512i s = _mm512_dpbusd_epi32(_mm512_setzero_si512(), p[r].q, xv);
          acc[r][t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_mul_ps(p[r].d, dx), acc[r][t]);
          acc[r][t] = _mm512_fmadd_ps(sx, _mm512_mul_ps(p[r].m, dx), acc[r][t]);
        }
      }
    }
  }

  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    const int64_t nb = n / 32;
    const typename F::Block* wb[NR];
    const BlockQ8_0* ab[NT];
    for (int r = 0; r < NR; ++r) wb[r] = reinterpret_cast<const typename F::Block*>(w + r * ws);
    for (int t = 0; t < NT; ++t) ab[t] = reinterpret_cast<const BlockQ8_0*>(a + t * as);
    __m512 acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + 2 <= nb; i += 2) step<NR, NT, true>(wb, ab, i, acc);
    if (i < nb) step<NR, NT, false>(wb, ab, i, acc);
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = _mm512_reduce_add_ps(acc[r][t]);
  }
};

template <class F>
void install(KernelTable& t, WeightType type) {
  t.vec_dot[static_cast<size_t>(type)] = dot_tile<Q80Tile<F>>;
  t.gemm[static_cast<size_t>(type)] = gemm_tiles<Q80Tile<F>>;
}

}  // namespace

void register_avx512_q4_0(KernelTable& t) {
  install<Q4_0>(t, WeightType::kQ4_0);
  install<Q4_1>(t, WeightType::kQ4_1);
  install<Q5_0>(t, WeightType::kQ5_0);
  install<Q5_1>(t, WeightType::kQ5_1);
}

}  // namespace hymt
