// common_avx512.h: pieces shared by the AVX-512 VNNI weight x Q8_K kernels: the tile loop over
// 256-weight blocks and small helpers. A format supplies `Block`, a `Decoded` struct (one weight
// block in registers) with `decode`, a `Prep` computed once per activation block (e.g. its sum)
// with `prepare`, and `accumulate` (one block of one activation row added to a float
// accumulator). Each weight block is decoded once per tile and reused for every activation row;
// activations are re-read from L1 for each weight row, which is cheaper than keeping them in
// registers beside 16 accumulators. Unnamed namespace: see tile_dispatch.h.
#pragma once

#include <immintrin.h>

#include "formats/blocks.h"

namespace hymt {
namespace {

inline float h2f(uint16_t h) { return _cvtsh_ss(h); }

// Sum of the 16 bsums of a Q8_K block (the block's sum of activations).
inline int32_t q8k_sum(const BlockQ8_K& x) {
  const __m256i s8 = _mm256_madd_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x.bsums)),
                                       _mm256_set1_epi16(1));
  __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(s8), _mm256_extracti128_si256(s8, 1));
  s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x4E));
  s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0xB1));
  return _mm_cvtsi128_si32(s4);
}

// Prefetch distance for streamed weight rows, in bytes: far enough to cover DRAM latency at the
// rate these kernels consume a row, close enough to stay in L1.
constexpr int kPrefetchBytes = 1024;

// For formats that need nothing per activation block.
struct NoPrep {
  static void prepare(const BlockQ8_K&, NoPrep*) {}
};

// -sum(x) of the block in lane 0: the start of sum((code - 1) * x) for ternary codes 0, 1, 2.
struct NegSumPrep {
  __m512i init;
  static void prepare(const BlockQ8_K& x, NegSumPrep* p) {
    p->init = _mm512_zextsi128_si512(_mm_cvtsi32_si128(-q8k_sum(x)));
  }
};

template <class F>
struct Q8KTile {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    using Block = typename F::Block;
    const int64_t nb = n / kQK_K;
    __m512 acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = _mm512_setzero_ps();
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
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = _mm512_reduce_add_ps(acc[r][t]);
  }
};

}  // namespace
}  // namespace hymt
