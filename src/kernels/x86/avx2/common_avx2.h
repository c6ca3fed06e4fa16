// common_avx2.h: pieces shared by the AVX2 weight x Q8_K kernels: the tile loop over 256-weight
// blocks and small helpers, as the AVX-512 common_avx512.h (a format supplies Block, Decoded +
// decode, Prep + prepare, accumulate). AVX2 has 16 ymm registers, so a decoded block and a 4x4
// tile's accumulators live partly on the stack; loads from L1 are cheap next to the multiplies.
// Products use vpmaddubsw (u8 x s8 -> s16 pairs); each format says why its pairs cannot saturate.
// Unnamed namespace: see tile_dispatch.h.
#pragma once

#include <immintrin.h>

#include "formats/blocks.h"

namespace hymt {
namespace {

inline float h2f(uint16_t h) { return _cvtsh_ss(h); }

inline float hsum_ps(__m256 v) {
  const __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  const __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
  return _mm_cvtss_f32(_mm_add_ss(s2, _mm_movehdup_ps(s2)));
}

inline __m256i load256(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }

// Sum of the 16 bsums of a Q8_K block (the block's sum of activations).
inline int32_t q8k_sum(const BlockQ8_K& x) {
  const __m256i s8 = _mm256_madd_epi16(load256(x.bsums), _mm256_set1_epi16(1));
  __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(s8), _mm256_extracti128_si256(s8, 1));
  s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x4E));
  s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0xB1));
  return _mm_cvtsi128_si32(s4);
}

// Prefetch distance for streamed weight rows, in bytes (see common_avx512.h).
constexpr int kPrefetchBytes = 1024;

struct NoPrep {
  static void prepare(const BlockQ8_K&, NoPrep*) {}
};

// -sum(x) of the block in lane 0: the start of sum((code - 1) * x) for ternary codes 0, 1, 2.
struct NegSumPrep {
  __m256i init;
  static void prepare(const BlockQ8_K& x, NegSumPrep* p) {
    p->init = _mm256_zextsi128_si256(_mm_cvtsi32_si128(-q8k_sum(x)));
  }
};

template <class F>
struct Q8KTile {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    using Block = typename F::Block;
    const int64_t nb = n / kQK_K;
    __m256 acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = _mm256_setzero_ps();
    for (int64_t i = 0; i < nb; ++i) {
      typename F::Prep prep[NT];
      for (int t = 0; t < NT; ++t) F::prepare(reinterpret_cast<const BlockQ8_K*>(a + t * as)[i], &prep[t]);
      for (int r = 0; r < NR; ++r) {
        const Block* blk = reinterpret_cast<const Block*>(w + r * ws) + i;
        const char* pf = reinterpret_cast<const char*>(blk) + kPrefetchBytes;
        for (size_t off = 0; off < sizeof(Block); off += 64) _mm_prefetch(pf + off, _MM_HINT_T0);
        typename F::Decoded dec;
        F::decode(*blk, &dec);
        for (int t = 0; t < NT; ++t)
          acc[r][t] = F::accumulate(dec, reinterpret_cast<const BlockQ8_K*>(a + t * as)[i], prep[t], acc[r][t]);
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = hsum_ps(acc[r][t]);
  }
};

}  // namespace
}  // namespace hymt
