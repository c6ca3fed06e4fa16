// packed_kquant_avx512.cpp: the packed layouts that take Q8_K activations (kernels/packed_layout.h),
// with AVX-512 VNNI: Q4_Kx16 and Q6_Kx16 (the bulk of a Q4_K_M model and the Q6_K output head of
// most files), STQ1_0x16 and Q2_0Cx16 (the 1.25-bit and 2-bit files' layers). Lane r of every register is
// row r: a 64-byte chunk of codes feeds one vpdpbusd per token against a broadcast 4-byte group of
// activations, a sub-block's integer sum is multiplied by the 16 rows' scales (vpmulld), and one
// fused multiply-add per superblock and token turns the integer sum into floats. No horizontal sums.
// Same arithmetic as the scalar reference in ref/packed_ref.cpp, bit for bit.
//
// Q4_K and Q6_K: all 8 tokens of a tile share the decoded codes (the float accumulators then live in
// memory); the other layouts share them among up to 4 (more would overflow the 32 registers). One
// token gets two accumulation chains per sub-block, so vpdpbusd latency does not stall decode.
#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/packed_layout.h"
#include "kernels/x86/avx512/dpbusd_bcast.h"

namespace hymt {

namespace {

// Prefetches the cache lines [from, to) of the next superblock (which follows this one in memory).
inline void prefetch_lines(const uint8_t* next, size_t from, size_t to) {
  for (size_t off = from; off < to; off += 64) _mm_prefetch(reinterpret_cast<const char*>(next + off), _MM_HINT_T0);
}

// The activations come as one sub-tile of NT tokens (packed_layout.h, Q8_K activation tiles): the
// tokens' scales and min pairs are broadcast loads from it, with no scalar work per row group.
// All NT <= 8 tokens of a tile share one decoding of the codes: the nibble masks and shifts are a
// fifth of the vector work with 4 tokens, and 4-token passes read each group twice (a decode step of
// 8 sequences is a tile of 8, and ffn_down's 57 KiB groups do not stay in L1 between passes).
// Beyond 4 tokens the 2 x NT sub-block chains and NT scale sums fill the registers, so the float
// accumulators live in a local buffer (one load and store per superblock and token, the same
// arithmetic). Not in y: its rows are ldy floats apart, 8 or 24 KiB in the engine, so the 8 lines
// fall into one L1 set (sets repeat every 4 KiB) and were evicted by the streaming weights and the
// tile between superblocks: the first y load took 10 % of the kernel's samples (perf, batch of 8).
template <int NT>
void q4k_tile(int64_t ne0, const uint8_t* group, const uint8_t* sub, float* y, int64_t ldy) {
  const __m512i m4 = _mm512_set1_epi8(0x0F);
  constexpr int kC = NT == 1 ? 2 : 1;  // chains per sub-block and token
  constexpr bool kAccInMemory = NT > 4;
  constexpr size_t kRec = act_tile_q8_k_record(NT);
  __m512 acc[kAccInMemory ? 1 : NT];
  alignas(64) float accm[kAccInMemory ? NT : 1][16];
  if constexpr (kAccInMemory) {
    for (int t = 0; t < NT; ++t) _mm512_store_ps(accm[t], _mm512_setzero_ps());
  } else {
    for (int t = 0; t < NT; ++t) acc[t] = _mm512_setzero_ps();
  }
  for (int64_t i = 0; i < ne0 / kQK_K; ++i) {
    const uint8_t* g = group + static_cast<size_t>(i) * kQ4_Kx16BlockBytes;
    const uint8_t* next = g + kQ4_Kx16BlockBytes;
    const uint8_t* rec = sub + static_cast<size_t>(i) * kRec;
    const int8_t* qs = reinterpret_cast<const int8_t*>(rec + kActTileQ8KQs * NT);  // token t's at + 256 t
    __m512i isc[NT];
    for (int t = 0; t < NT; ++t) isc[t] = _mm512_setzero_si512();
    for (int p = 0; p < 4; ++p) {
      prefetch_lines(next, 592 * p, 592 * (p + 1));  // a quarter of the next superblock (37 lines)
      __m512i s[2][kC][NT];
      for (int h = 0; h < 2; ++h)
        for (int k = 0; k < kC; ++k)
          for (int t = 0; t < NT; ++t) s[h][k][t] = _mm512_setzero_si512();
      for (int c = 0; c < 8; ++c) {
        const __m512i v = _mm512_loadu_si512(g + kQ4_Kx16Qs + 512 * p + 64 * c);
        const __m512i lo = _mm512_and_si512(v, m4);                        // sub-block 2p
        const __m512i hi = _mm512_and_si512(_mm512_srli_epi16(v, 4), m4);  // sub-block 2p + 1
        const int k = c % kC;
        for (int t = 0; t < NT; ++t) {
          s[0][k][t] = dpbusd_bcast(s[0][k][t], lo, qs + 256 * t + 64 * p + 4 * c);
          s[1][k][t] = dpbusd_bcast(s[1][k][t], hi, qs + 256 * t + 64 * p + 32 + 4 * c);
        }
      }
      const __m512i sc0 = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g + kQ4_Kx16Scales + 32 * p)));
      const __m512i sc1 =
          _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g + kQ4_Kx16Scales + 32 * p + 16)));
      for (int t = 0; t < NT; ++t) {
        __m512i s0 = s[0][0][t], s1 = s[1][0][t];
        if constexpr (kC == 2) {
          s0 = _mm512_add_epi32(s0, s[0][kC - 1][t]);
          s1 = _mm512_add_epi32(s1, s[1][kC - 1][t]);
        }
        isc[t] = _mm512_add_epi32(isc[t], _mm512_add_epi32(_mm512_mullo_epi32(s0, sc0), _mm512_mullo_epi32(s1, sc1)));
      }
    }
    // Mins: lane r of mk[k] holds row r's (m_2k, m_2k+1) as int16, against the two 32-weight sums.
    __m512i mk[4];
    for (int k = 0; k < 4; ++k)
      mk[k] = _mm512_cvtepu8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(g + kQ4_Kx16Mins + 32 * k)));
    const __m512 dw = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(g)));
    const __m512 dm = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(g + 32)));
    const int32_t* pairs = reinterpret_cast<const int32_t*>(rec + kActTileQ8KPairs * NT);
    const float* dxs = reinterpret_cast<const float*>(rec);
    for (int t = 0; t < NT; ++t) {
      __m512i imin = _mm512_setzero_si512();
      for (int k = 0; k < 4; ++k) imin = _mm512_dpwssd_epi32(imin, mk[k], _mm512_set1_epi32(pairs[k * NT + t]));
      const __m512 dx = _mm512_set1_ps(dxs[t]);
      __m512 a = kAccInMemory ? _mm512_load_ps(accm[kAccInMemory ? t : 0]) : acc[kAccInMemory ? 0 : t];
      a = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isc[t]), _mm512_mul_ps(dw, dx), a);
      a = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(imin), _mm512_mul_ps(dm, dx), a);
      if constexpr (kAccInMemory)
        _mm512_store_ps(accm[kAccInMemory ? t : 0], a);
      else
        acc[t] = a;
    }
  }
  for (int t = 0; t < NT; ++t)
    _mm512_storeu_ps(y + t * ldy, kAccInMemory ? _mm512_load_ps(accm[kAccInMemory ? t : 0]) : acc[kAccInMemory ? 0 : t]);
}

// (a & c) | b, bitwise: vpternlogd's truth table for a 4-bit field from a and a 2-bit field from b.
inline __m512i select_low(__m512i a, __m512i b, __m512i c) { return _mm512_ternarylogic_epi32(a, b, c, 0xEC); }

// The activations come as one sub-tile of NT <= 8 tokens (the Q8_K tile of q4k_tile): each
// sub-block's chain starts from a broadcast load of its -32 * bsum. Beyond 4 tokens, as in
// q4k_tile, the float accumulators live in a local buffer and one sub-block is in flight per pass
// (NT chains).
template <int NT>
void q6k_tile(int64_t ne0, const uint8_t* group, const uint8_t* sub, float* y, int64_t ldy) {
  const __m512i m4 = _mm512_set1_epi8(0x0F), m30 = _mm512_set1_epi8(0x30);
  // Sub-blocks in flight per pass: all four m for one or two tokens (enough chains for latency),
  // two for three or four tokens, one for more (the tokens give the chains; more would overflow
  // the registers).
  constexpr int kM = NT <= 2 ? 4 : NT <= 4 ? 2 : 1;
  constexpr bool kAccInMemory = NT > 4;
  constexpr size_t kRec = act_tile_q8_k_record(NT);
  __m512 acc[kAccInMemory ? 1 : NT];
  alignas(64) float accm[kAccInMemory ? NT : 1][16];
  if constexpr (kAccInMemory) {
    for (int t = 0; t < NT; ++t) _mm512_store_ps(accm[t], _mm512_setzero_ps());
  } else {
    for (int t = 0; t < NT; ++t) acc[t] = _mm512_setzero_ps();
  }
  for (int64_t i = 0; i < ne0 / kQK_K; ++i) {
    const uint8_t* g = group + static_cast<size_t>(i) * kQ6_Kx16BlockBytes;
    const uint8_t* next = g + kQ6_Kx16BlockBytes;
    const uint8_t* rec = sub + static_cast<size_t>(i) * kRec;
    const int8_t* qs = reinterpret_cast<const int8_t*>(rec + kActTileQ8KQs * NT);          // token t's at + 256 t
    const int32_t* c32 = reinterpret_cast<const int32_t*>(rec + kActTileQ8KBsums32 * NT);  // [sb * NT + t]
    __m512i isc[NT];
    for (int t = 0; t < NT; ++t) isc[t] = _mm512_setzero_si512();
    for (int n = 0; n < 2; ++n) {
      prefetch_lines(next, 1680 * n, 1680 * (n + 1));  // half of the next superblock (53 lines)
      const uint8_t* ql = g + kQ6_Kx16Ql + 1024 * n;
      const uint8_t* qh = g + kQ6_Kx16Qh + 512 * n;
      for (int h = 0; h < 2; ++h)
#pragma GCC unroll 4  // m0 + m must be a constant: the switch below then picks each code's decoding at compile time
        for (int m0 = 0; m0 < 4; m0 += kM) {
          __m512i s[kM][NT];
          for (int m = 0; m < kM; ++m)
            for (int t = 0; t < NT; ++t) s[m][t] = _mm512_set1_epi32(c32[(8 * n + 2 * (m0 + m) + h) * NT + t]);
          for (int c = 4 * h; c < 4 * h + 4; ++c) {
            const __m512i a = _mm512_loadu_si512(ql + 64 * c), b = _mm512_loadu_si512(ql + 64 * (c + 8));
            const __m512i hb = _mm512_loadu_si512(qh + 64 * c);
            __m512i q[kM];
            for (int m = 0; m < kM; ++m) {
              switch (m0 + m) {  // the four codes of packed_layout.h
                case 0: q[m] = select_low(a, _mm512_and_si512(_mm512_slli_epi16(hb, 4), m30), m4); break;
                case 1: q[m] = select_low(b, _mm512_and_si512(_mm512_slli_epi16(hb, 2), m30), m4); break;
                case 2: q[m] = select_low(_mm512_srli_epi16(a, 4), _mm512_and_si512(hb, m30), m4); break;
                default:
                  q[m] = select_low(_mm512_srli_epi16(b, 4), _mm512_and_si512(_mm512_srli_epi16(hb, 2), m30), m4);
                  break;
              }
            }
            for (int m = 0; m < kM; ++m) {
              const int off = 128 * n + 32 * (m0 + m) + 4 * c;
              for (int t = 0; t < NT; ++t) s[m][t] = dpbusd_bcast(s[m][t], q[m], qs + 256 * t + off);
            }
          }
          for (int m = 0; m < kM; ++m) {
            const size_t sb = 8 * n + 2 * (m0 + m) + h;
            const __m512i sc =
                _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g + kQ6_Kx16Scales + 16 * sb)));
            for (int t = 0; t < NT; ++t) isc[t] = _mm512_add_epi32(isc[t], _mm512_mullo_epi32(s[m][t], sc));
          }
        }
    }
    const __m512 dw = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(g)));
    const float* dxs = reinterpret_cast<const float*>(rec);
    for (int t = 0; t < NT; ++t) {
      __m512 a = kAccInMemory ? _mm512_load_ps(accm[kAccInMemory ? t : 0]) : acc[kAccInMemory ? 0 : t];
      a = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isc[t]), _mm512_mul_ps(dw, _mm512_set1_ps(dxs[t])), a);
      if constexpr (kAccInMemory)
        _mm512_store_ps(accm[kAccInMemory ? t : 0], a);
      else
        acc[t] = a;
    }
  }
  for (int t = 0; t < NT; ++t)
    _mm512_storeu_ps(y + t * ldy, kAccInMemory ? _mm512_load_ps(accm[kAccInMemory ? t : 0]) : acc[kAccInMemory ? 0 : t]);
}

// STQ1_0x16: per quad, the 32 slot bytes split into 64 nibbles (low nibbles then high, the packed
// order), two vpshufb look them up in the codebook halves and the quad's 64 sign bits, loaded as a
// mask register, pick the half: 64 bytes of packed lane codes, byte 4r + v = group v of row r. Lane
// p's codes ((byte >> 2p) & 3, value + 1) then face the 4 contiguous activations 64c + 16p + 4u ..
// +3 in every 32-bit lane: four vpdpbusd per quad and token, the block starting from -sum(x)
// (act_sums, computed once per token by matmul).
template <int NT>
void stq_tile(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t* sums, int64_t ss,
              float* y, int64_t ldy) {
  __m128i cb0, cb1;
  std::memcpy(&cb0, kStq1_0Codebook.data(), 16);
  std::memcpy(&cb1, kStq1_0Codebook.data() + 16, 16);
  const __m512i t0 = _mm512_broadcast_i32x4(cb0), t1 = _mm512_broadcast_i32x4(cb1);
  const __m512i m4 = _mm512_set1_epi8(0x0F);
  const __m512i three = _mm512_set1_epi8(3);
  // Chains per token. With one per lane p (one or two tokens), lane p's codes are only masked in
  // place, (byte & 3 << 2p) = 4^p x code, and the chain's sum is shifted back down by 2p at the end
  // of the block (exact: every term is a multiple of 4^p); with one chain, each is shifted down.
  constexpr int kC = NT <= 2 ? 4 : 1;
  __m512 acc[NT];
  for (int t = 0; t < NT; ++t) acc[t] = _mm512_setzero_ps();
  for (int64_t i = 0; i < ne0 / kQK_K; ++i) {
    const uint8_t* g = group + static_cast<size_t>(i) * kSTQ1_0x16BlockBytes;
    prefetch_lines(g + 2 * kSTQ1_0x16BlockBytes, 0, kSTQ1_0x16BlockBytes);
    const BlockQ8_K* x[NT];
    __m512i s[kC][NT];
    for (int t = 0; t < NT; ++t) {
      x[t] = reinterpret_cast<const BlockQ8_K*>(act + static_cast<size_t>(t) * as) + i;
      s[0][t] = _mm512_set1_epi32(-sums[t * ss + i]);
      for (int k = 1; k < kC; ++k) s[k][t] = _mm512_setzero_si512();
    }
    for (int q = 0; q < 16; ++q) {
      const uint8_t* qd = g + kPackedScaleBytes + q * kSTQ1_0x16QuadBytes;
      // The 32 slot bytes in both halves; the upper half shifted down to its high nibbles.
      const __m512i v = _mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(qd)));
      const __m512i slots = _mm512_and_si512(_mm512_mask_srli_epi16(v, 0xFFFF0000u, v, 4), m4);
      uint64_t signs;
      std::memcpy(&signs, qd + 32, 8);
      const __m512i packed = _mm512_mask_blend_epi8(static_cast<__mmask64>(signs), _mm512_shuffle_epi8(t0, slots),
                                                    _mm512_shuffle_epi8(t1, slots));
      const int base = 64 * (q / 4) + 4 * (q % 4);
      for (int p = 0; p < 4; ++p) {
        const __m512i code = kC == 4 ? _mm512_and_si512(packed, _mm512_set1_epi8(static_cast<char>(3 << (2 * p))))
                                     : _mm512_and_si512(p == 0 ? packed : _mm512_srli_epi16(packed, 2 * p), three);
        for (int t = 0; t < NT; ++t)
          s[p % kC][t] = dpbusd_bcast(s[p % kC][t], code, x[t]->qs + base + 16 * p);
      }
    }
    const __m512 dw = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(g)));
    for (int t = 0; t < NT; ++t) {
      __m512i st = s[0][t];
      for (int k = 1; k < kC; ++k) st = _mm512_add_epi32(st, _mm512_srai_epi32(s[k][t], 2 * k));
      acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(st), _mm512_mul_ps(dw, _mm512_set1_ps(x[t]->d)), acc[t]);
    }
  }
  for (int t = 0; t < NT; ++t) _mm512_storeu_ps(y + t * ldy, acc[t]);
}

// Q2_0Cx16: per 16-weight group, one 64-byte load; lane p's codes ((byte >> 2p) & 3) face the
// activations 16G + 4p .. +3. Per Q8_K half: isum = 2 sum(c x) - 3 sum(x).
template <int NT>
void q2c_tile(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t* sums, int64_t ss,
              float* y, int64_t ldy) {
  const __m512i three = _mm512_set1_epi8(3);
  constexpr int kC = NT <= 2 ? 4 : 1;  // chains per token: as stq_tile (lane p masked in place)
  __m512 acc[NT];
  for (int t = 0; t < NT; ++t) acc[t] = _mm512_setzero_ps();
  for (int64_t i = 0; i < ne0 / kQK_Q2_0C; ++i) {
    const uint8_t* g = group + static_cast<size_t>(i) * kQ2_0Cx16BlockBytes;
    const __m512 dw = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(g)));
    for (int h = 0; h < 2; ++h) {
      prefetch_lines(g + kQ2_0Cx16BlockBytes, 1040 * h, 1040 * (h + 1));  // half of the next block
      const BlockQ8_K* x[NT];
      __m512i s[kC][NT];
      for (int t = 0; t < NT; ++t) {
        x[t] = reinterpret_cast<const BlockQ8_K*>(act + static_cast<size_t>(t) * as) + 2 * i + h;
        for (int k = 0; k < kC; ++k) s[k][t] = _mm512_setzero_si512();
      }
      for (int G = 0; G < 16; ++G) {
        const __m512i v = _mm512_loadu_si512(g + kPackedScaleBytes + 64 * (16 * h + G));
        for (int p = 0; p < 4; ++p) {
          const __m512i code = kC == 4 ? _mm512_and_si512(v, _mm512_set1_epi8(static_cast<char>(3 << (2 * p))))
                                       : _mm512_and_si512(p == 0 ? v : _mm512_srli_epi16(v, 2 * p), three);
          for (int t = 0; t < NT; ++t)
            s[p % kC][t] = dpbusd_bcast(s[p % kC][t], code, x[t]->qs + 16 * G + 4 * p);
        }
      }
      for (int t = 0; t < NT; ++t) {
        const int32_t sum_x = sums[t * ss + 2 * i + h];
        __m512i st = s[0][t];
        for (int k = 1; k < kC; ++k) st = _mm512_add_epi32(st, _mm512_srai_epi32(s[k][t], 2 * k));
        st = _mm512_sub_epi32(_mm512_add_epi32(st, st), _mm512_set1_epi32(3 * sum_x));
        acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(st), _mm512_mul_ps(dw, _mm512_set1_ps(x[t]->d)), acc[t]);
      }
    }
  }
  for (int t = 0; t < NT; ++t) _mm512_storeu_ps(y + t * ldy, acc[t]);
}

// Entry points for 1..kPackTokens tokens: one tile, every token sharing the decoded codes.
struct Q2cTile {
  template <int NT>
  static void run(int64_t ne0, const uint8_t* g, const uint8_t* act, size_t as, const int32_t* sums, int64_t ss,
                  float* y, int64_t ldy) {
    q2c_tile<NT>(ne0, g, act, as, sums, ss, y, ldy);
  }
};
struct StqTile {
  template <int NT>
  static void run(int64_t ne0, const uint8_t* g, const uint8_t* act, size_t as, const int32_t* sums, int64_t ss,
                  float* y, int64_t ldy) {
    stq_tile<NT>(ne0, g, act, as, sums, ss, y, ldy);
  }
};
template <class K>
void whole_tile_gemm(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t* sums,
                     int64_t ss, int nt, float* y, int64_t ldy) {
  switch (nt) {
    case 1: K::template run<1>(ne0, group, act, as, sums, ss, y, ldy); break;
    case 2: K::template run<2>(ne0, group, act, as, sums, ss, y, ldy); break;
    case 3: K::template run<3>(ne0, group, act, as, sums, ss, y, ldy); break;
    case 4: K::template run<4>(ne0, group, act, as, sums, ss, y, ldy); break;
    case 5: K::template run<5>(ne0, group, act, as, sums, ss, y, ldy); break;
    case 6: K::template run<6>(ne0, group, act, as, sums, ss, y, ldy); break;
    case 7: K::template run<7>(ne0, group, act, as, sums, ss, y, ldy); break;
    default: K::template run<8>(ne0, group, act, as, sums, ss, y, ldy); break;
  }
}

// Q4_K and Q6_K: the tile's sub-tiles (of up to kActTileQ8KSub tokens), one kernel pass each.
using SubTileFn = void (*)(int64_t, const uint8_t*, const uint8_t*, float*, int64_t);
template <SubTileFn T1, SubTileFn T2, SubTileFn T3, SubTileFn T4, SubTileFn T5, SubTileFn T6, SubTileFn T7,
          SubTileFn T8>
void sub_tile_gemm(int64_t ne0, const uint8_t* group, const uint8_t* tile, size_t, const int32_t*, int64_t, int nt,
                   float* y, int64_t ldy) {
  static_assert(kActTileQ8KSub == 8, "one kernel pass per sub-tile of up to 8 tokens");
  static constexpr SubTileFn kPass[8] = {T1, T2, T3, T4, T5, T6, T7, T8};
  const size_t sub_bytes = static_cast<size_t>(ne0 / kQK_K) * act_tile_q8_k_record(kActTileQ8KSub);
  for (int t = 0; t < nt; t += kActTileQ8KSub)
    kPass[std::min(kActTileQ8KSub, nt - t) - 1](ne0, group, tile + static_cast<size_t>(t / kActTileQ8KSub) * sub_bytes,
                                                y + t * ldy, ldy);
}

void install(KernelTable& t, WeightType type, PackedGemmFn gemm) {
  PackedKernel k = packed_reference(type);  // the layout and the packing are shared
  k.gemm = gemm;
  t.packed[static_cast<size_t>(type)] = k;
}

}  // namespace

void register_avx512_packed_kquants(KernelTable& t) {
  // Q4_K and Q6_K read the same Q8_K activation tile (a fused QKV product mixes them).
  install(t, WeightType::kQ4_K,
          sub_tile_gemm<q4k_tile<1>, q4k_tile<2>, q4k_tile<3>, q4k_tile<4>, q4k_tile<5>, q4k_tile<6>, q4k_tile<7>,
                        q4k_tile<8>>);
  install(t, WeightType::kQ6_K,
          sub_tile_gemm<q6k_tile<1>, q6k_tile<2>, q6k_tile<3>, q6k_tile<4>, q6k_tile<5>, q6k_tile<6>, q6k_tile<7>,
                        q6k_tile<8>>);
  for (WeightType type : {WeightType::kQ4_K, WeightType::kQ6_K}) {
    t.packed[static_cast<size_t>(type)].tile_act = act_tile_q8_k;
    t.packed[static_cast<size_t>(type)].tile_bytes = act_tile_q8_k_bytes;
  }
  install(t, WeightType::kSTQ1_0, whole_tile_gemm<StqTile>);
  install(t, WeightType::kQ2_0C, whole_tile_gemm<Q2cTile>);
}

}  // namespace hymt
