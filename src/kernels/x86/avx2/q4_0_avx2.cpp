// q4_0_avx2.cpp: Q4_0, Q4_1, Q5_0 and Q5_1 x Q8_0 with AVX2, one 32-weight block per ymm: the 16
// code bytes and the same bytes shifted right by 4 fill the two lanes (weights 0-15, 16-31). The
// Q5 fifth bit: qh bytes copied to 8 bytes each, each byte's own bit tested (vpcmpeqb), -> 16.
// Codes stay unsigned (at most 31) for vpmaddubsw (u8 x s8): pairs are at most 2*31*128 = 7936.
// Q4_0/Q5_0's offset o (8, 16) is subtracted in int16 as vpmaddubsw(o, x), computed once per
// activation block and shared by the weight rows: (q - o) x pairs stay within 2*16*128 = 4096.
// Q4_1/Q5_1's min m is m * sum(x) in float.
#include <immintrin.h>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/x86/avx2/common_avx2.h"
#include "kernels/tile_dispatch.h"

namespace hymt {

namespace {

inline __m256i nibbles(const uint8_t* q16) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q16));
  return _mm256_and_si256(_mm256_inserti128_si256(_mm256_castsi128_si256(v), _mm_srli_epi16(v, 4), 1),
                          _mm256_set1_epi8(0x0F));
}

// 16 where bit j of the little-endian qh is set (weight j), else 0.
inline __m256i fifth_bits(const uint8_t* qh) {
  uint32_t h;
  __builtin_memcpy(&h, qh, 4);
  const __m256i spread = _mm256_shuffle_epi8(
      _mm256_set1_epi32(static_cast<int>(h)),
      _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3));
  const __m256i bits = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ull));
  return _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(spread, bits), bits), _mm256_set1_epi8(16));
}

struct Row {
  __m256i q;
  __m256 d, m;
};

struct Q4_0 {
  using Block = BlockQ4_0;
  static constexpr int kOffset = 8;  // w = d * (q - 8)
  static void decode(const Block& b, Row* o) {
    o->q = nibbles(b.qs);
    o->d = _mm256_set1_ps(h2f(b.d));
  }
};

struct Q5_0 {
  using Block = BlockQ5_0;
  static constexpr int kOffset = 16;  // w = d * (q - 16)
  static void decode(const Block& b, Row* o) {
    o->q = _mm256_or_si256(nibbles(b.qs), fifth_bits(b.qh));
    o->d = _mm256_set1_ps(h2f(b.d));
  }
};

struct Q4_1 {
  using Block = BlockQ4_1;
  static constexpr int kOffset = 0;  // affine: w = d * q + m
  static void decode(const Block& b, Row* o) {
    o->q = nibbles(b.qs);
    o->d = _mm256_set1_ps(h2f(b.d));
    o->m = _mm256_set1_ps(h2f(b.m));
  }
};

struct Q5_1 {
  using Block = BlockQ5_1;
  static constexpr int kOffset = 0;
  static void decode(const Block& b, Row* o) {
    o->q = _mm256_or_si256(nibbles(b.qs), fifth_bits(b.qh));
    o->d = _mm256_set1_ps(h2f(b.d));
    o->m = _mm256_set1_ps(h2f(b.m));
  }
};

template <class F>
struct Q80Tile {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    using Block = typename F::Block;
    const int64_t nb = n / 32;
    const __m256i ones16 = _mm256_set1_epi16(1);
    __m256 acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = _mm256_setzero_ps();
    for (int64_t i = 0; i < nb; ++i) {
      Row row[NR];
      for (int r = 0; r < NR; ++r) {
        const Block* blk = reinterpret_cast<const Block*>(w + r * ws) + i;
        _mm_prefetch(reinterpret_cast<const char*>(blk) + kPrefetchBytes / 2, _MM_HINT_T0);
        F::decode(*blk, &row[r]);
      }
      for (int t = 0; t < NT; ++t) {
        const BlockQ8_0& xb = reinterpret_cast<const BlockQ8_0*>(a + t * as)[i];
        const __m256i x = load256(xb.qs);
        const __m256 dx = _mm256_set1_ps(h2f(xb.d));
        if constexpr (F::kOffset != 0) {
          const __m256i off = _mm256_maddubs_epi16(_mm256_set1_epi8(F::kOffset), x);
          for (int r = 0; r < NR; ++r) {
            const __m256i p16 = _mm256_sub_epi16(_mm256_maddubs_epi16(row[r].q, x), off);
            const __m256 p = _mm256_cvtepi32_ps(_mm256_madd_epi16(p16, ones16));
            acc[r][t] = _mm256_fmadd_ps(p, _mm256_mul_ps(row[r].d, dx), acc[r][t]);
          }
        } else {
          const __m256 sx = _mm256_cvtepi32_ps(_mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_set1_epi8(1), x), ones16));
          for (int r = 0; r < NR; ++r) {
            const __m256 p = _mm256_cvtepi32_ps(_mm256_madd_epi16(_mm256_maddubs_epi16(row[r].q, x), ones16));
            acc[r][t] = _mm256_fmadd_ps(p, _mm256_mul_ps(row[r].d, dx), acc[r][t]);
            acc[r][t] = _mm256_fmadd_ps(sx, _mm256_mul_ps(row[r].m, dx), acc[r][t]);
          }
        }
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = hsum_ps(acc[r][t]);
  }
};

template <class F>
void install(KernelTable& t, WeightType type) {
  t.vec_dot[static_cast<size_t>(type)] = dot_tile<Q80Tile<F>>;
  t.gemm[static_cast<size_t>(type)] = gemm_tiles<Q80Tile<F>>;
}

}  // namespace

void register_avx2_q4_0(KernelTable& t) {
  install<Q4_0>(t, WeightType::kQ4_0);
  install<Q4_1>(t, WeightType::kQ4_1);
  install<Q5_0>(t, WeightType::kQ5_0);
  install<Q5_1>(t, WeightType::kQ5_1);
}

}  // namespace hymt
