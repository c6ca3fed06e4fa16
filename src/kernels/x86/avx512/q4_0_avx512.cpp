// q4_0_avx512.cpp: Q4_0, Q4_1, Q5_0 and Q5_1 x Q8_0 with AVX-512 VNNI. Four 32-weight blocks per
// step, one per 128-bit lane: lane b of `lo` holds block b's low nibbles (weights 0-15), lane b of
// `hi` its high nibbles (16-31), and the activations are loaded to match (x[0..15] / x[16..31] of
// block b in lane b). Both vpdpbusd (u8 code x s8 activation, exact) land in the same int32 lanes,
// so each block's sum stays in its own lane and one convert + fma per 128 weights applies the
// per-block d_w * d_x (four fp16 scales widened once into a lane-broadcast vector). The Q5 fifth
// bit: bits 0-15 / 16-31 of each block's qh become two 64-bit masks (one masked add each).
// Q4_0/Q5_0's offset (-8, -16) is taken out with the activation sums (vpdpbusd of x with the
// constant, once per activation row, shared by the weight rows); Q4_1/Q5_1's m is m * sum(x).
#include <immintrin.h>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/x86/avx512/common_avx512.h"
#include "kernels/tile_dispatch.h"

namespace hymt {

namespace {

// Lane b of the result = the 16 bytes at p + b * stride, for b < K; other lanes zero.
template <int K>
inline __m512i lanes16(const uint8_t* p, size_t stride) {
  __m512i v = _mm512_zextsi128_si512(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  if (K > 1) v = _mm512_inserti32x4(v, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + stride)), 1);
  if (K > 2) v = _mm512_inserti32x4(v, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 2 * stride)), 2);
  if (K > 3) v = _mm512_inserti32x4(v, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 3 * stride)), 3);
  return v;
}

inline uint16_t load_u16(const uint8_t* p) {
  uint16_t v;
  __builtin_memcpy(&v, p, 2);
  return v;
}
inline uint32_t load_u32(const uint8_t* p) {
  uint32_t v;
  __builtin_memcpy(&v, p, 4);
  return v;
}

// Float lanes 4b .. 4b+3 = the fp16 at p + b * stride (b < K; 0 for the others).
template <int K>
inline __m512 lane_scales(const uint8_t* p, size_t stride) {
  __m128i h = _mm_cvtsi32_si128(load_u16(p));
  if (K > 1) h = _mm_insert_epi16(h, load_u16(p + stride), 1);
  if (K > 2) h = _mm_insert_epi16(h, load_u16(p + 2 * stride), 2);
  if (K > 3) h = _mm_insert_epi16(h, load_u16(p + 3 * stride), 3);
  const __m512i spread = _mm512_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
  return _mm512_permutexvar_ps(spread, _mm512_castps128_ps512(_mm_cvtph_ps(h)));
}

// Weight side of K blocks.
struct Quad {
  __m512i lo, hi;  // codes: lane b = block b's weights 0-15 / 16-31
  __m512 d, m;
};

template <int K, class Block>
inline void nibbles(const Block* b, Quad* o) {
  const __m512i v = lanes16<K>(b[0].qs, sizeof(Block));
  const __m512i lo4 = _mm512_set1_epi8(0x0F);
  o->lo = _mm512_and_si512(v, lo4);
  o->hi = _mm512_and_si512(_mm512_srli_epi16(v, 4), lo4);
}

// Adds 16 to the codes whose qh bit is set: bit j of block b's qh is weight j of that block.
template <int K, class Block>
inline void fifth_bits(const Block* b, Quad* o) {
  uint64_t klo = 0, khi = 0;
  for (int k = 0; k < K; ++k) {
    const uint64_t h = load_u32(b[k].qh);
    klo |= (h & 0xFFFF) << (16 * k);
    khi |= (h >> 16) << (16 * k);
  }
  const __m512i sixteen = _mm512_set1_epi8(16);  // codes < 16 here: add = or
  o->lo = _mm512_mask_add_epi8(o->lo, static_cast<__mmask64>(klo), o->lo, sixteen);
  o->hi = _mm512_mask_add_epi8(o->hi, static_cast<__mmask64>(khi), o->hi, sixteen);
}

struct Q4_0 {
  using Block = BlockQ4_0;
  static constexpr int kOffset = 8;  // w = d * (q - 8)
  template <int K>
  static void decode(const Block* b, Quad* o) {
    nibbles<K>(b, o);
    o->d = lane_scales<K>(reinterpret_cast<const uint8_t*>(&b->d), sizeof(Block));
  }
};

struct Q5_0 {
  using Block = BlockQ5_0;
  static constexpr int kOffset = 16;  // w = d * (q - 16)
  template <int K>
  static void decode(const Block* b, Quad* o) {
    nibbles<K>(b, o);
    fifth_bits<K>(b, o);
    o->d = lane_scales<K>(reinterpret_cast<const uint8_t*>(&b->d), sizeof(Block));
  }
};

struct Q4_1 {
  using Block = BlockQ4_1;
  static constexpr int kOffset = 0;  // affine: w = d * q + m
  template <int K>
  static void decode(const Block* b, Quad* o) {
    nibbles<K>(b, o);
    o->d = lane_scales<K>(reinterpret_cast<const uint8_t*>(&b->d), sizeof(Block));
    o->m = lane_scales<K>(reinterpret_cast<const uint8_t*>(&b->m), sizeof(Block));
  }
};

struct Q5_1 {
  using Block = BlockQ5_1;
  static constexpr int kOffset = 0;
  template <int K>
  static void decode(const Block* b, Quad* o) {
    nibbles<K>(b, o);
    fifth_bits<K>(b, o);
    o->d = lane_scales<K>(reinterpret_cast<const uint8_t*>(&b->d), sizeof(Block));
    o->m = lane_scales<K>(reinterpret_cast<const uint8_t*>(&b->m), sizeof(Block));
  }
};

template <class F>
struct Q80Tile {
  // K (1..4) blocks starting at block i; lanes >= K are zero on the activation side, so they add 0.
  template <int NR, int NT, int K>
  static void step(const typename F::Block* const* wb, const BlockQ8_0* const* ab, int64_t i, __m512 (*acc)[NT]) {
    Quad q[NR];
    for (int r = 0; r < NR; ++r) {
      if (K == 4) _mm_prefetch(reinterpret_cast<const char*>(wb[r] + i) + kPrefetchBytes / 2, _MM_HINT_T0);
      F::template decode<K>(wb[r] + i, &q[r]);
    }
    for (int t = 0; t < NT; ++t) {
      const BlockQ8_0* x = ab[t] + i;
      const __m512i xlo = lanes16<K>(reinterpret_cast<const uint8_t*>(x->qs), sizeof(BlockQ8_0));
      const __m512i xhi = lanes16<K>(reinterpret_cast<const uint8_t*>(x->qs + 16), sizeof(BlockQ8_0));
      const __m512 dx = lane_scales<K>(reinterpret_cast<const uint8_t*>(&x->d), sizeof(BlockQ8_0));
      if constexpr (F::kOffset != 0) {
        // -offset * sum(x) per 4-byte group: the starting value of every row's sum.
        const __m512i o = _mm512_set1_epi8(F::kOffset);
        const __m512i sx = _mm512_dpbusd_epi32(_mm512_dpbusd_epi32(_mm512_setzero_si512(), o, xlo), o, xhi);
        const __m512i base = _mm512_sub_epi32(_mm512_setzero_si512(), sx);
        for (int r = 0; r < NR; ++r) {
          const __m512i s = _mm512_dpbusd_epi32(_mm512_dpbusd_epi32(base, q[r].lo, xlo), q[r].hi, xhi);
          acc[r][t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_mul_ps(q[r].d, dx), acc[r][t]);
        }
      } else {
        const __m512i one = _mm512_set1_epi8(1);
        const __m512 sx = _mm512_cvtepi32_ps(
            _mm512_dpbusd_epi32(_mm512_dpbusd_epi32(_mm512_setzero_si512(), one, xlo), one, xhi));
        for (int r = 0; r < NR; ++r) {
          const __m512i s = _mm512_dpbusd_epi32(_mm512_dpbusd_epi32(_mm512_setzero_si512(), q[r].lo, xlo), q[r].hi, xhi);
          acc[r][t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_mul_ps(q[r].d, dx), acc[r][t]);
          acc[r][t] = _mm512_fmadd_ps(sx, _mm512_mul_ps(q[r].m, dx), acc[r][t]);
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
    for (; i + 4 <= nb; i += 4) step<NR, NT, 4>(wb, ab, i, acc);
    switch (nb - i) {
      case 3: step<NR, NT, 3>(wb, ab, i, acc); break;
      case 2: step<NR, NT, 2>(wb, ab, i, acc); break;
      case 1: step<NR, NT, 1>(wb, ab, i, acc); break;
      default: break;
    }
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
