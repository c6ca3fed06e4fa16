// kquant_tiles.h: Q2_K, Q4_K, Q5_K, Q6_K (and Q8_K weights) x Q8_K tiles, compiled once per ARM
// path (arm_dot16). Codes stay unsigned (Q2_K 0..3, Q4_K 0..15, Q5_K 0..31, Q6_K 0..63); constants
// use the bsums (Q2_K: see Q2KKernel):
//   Q6_K: sum_s sc_s * (dot(q_s, x_s) - 32 * bsum_s)                (16 sub-blocks of 16)
//   Q4_K/Q5_K: d * sum_s sc_s * dot(q_s, x_s) - dmin * sum_s m_s * (bsum_2s + bsum_2s+1)  (8 of 32)
// Integer sums are exact in int32; each block adds converted int32x4 vectors times float scales.
#pragma once

#include <arm_neon.h>

#include <cstddef>  // blocks.h uses size_t without including it
#include <cstring>

#include "formats/blocks.h"
#include "kernels/arm/arm_tile.h"

namespace hymt {
namespace {

// Q6_K: the 16 code planes of a block (plane k = weights 16k .. 16k+15, 6-bit values 0..63).
// Half h uses ql[64h ..], qh[32h ..]; for l < 32 weight 128h+l is (ql[l] & 15) | (qh[l] & 3) << 4,
// 128h+32+l takes ql[l+32] low and qh bits 2-3, 128h+64+l ql[l] high and bits 4-5, 128h+96+l
// ql[l+32] high and bits 6-7 (docs/formats.md).
inline void q6k_planes(const BlockQ6_K& b, int8x16_t q[16]) {
  const uint8x16_t m3f = vdupq_n_u8(0x3F), m30 = vdupq_n_u8(0x30);
  for (int h = 0; h < 2; ++h) {
    const uint8x16_t ql0 = vld1q_u8(b.ql + 64 * h), ql1 = vld1q_u8(b.ql + 64 * h + 16);
    const uint8x16_t ql2 = vld1q_u8(b.ql + 64 * h + 32), ql3 = vld1q_u8(b.ql + 64 * h + 48);
    const uint8x16_t qh0 = vld1q_u8(b.qh + 32 * h), qh1 = vld1q_u8(b.qh + 32 * h + 16);
    int8x16_t* o = q + 8 * h;
    // SLI keeps the low nibble and inserts qh shifted up by 4; AND drops bits 6-7.
    o[0] = vreinterpretq_s8_u8(vandq_u8(vsliq_n_u8(ql0, qh0, 4), m3f));
    o[1] = vreinterpretq_s8_u8(vandq_u8(vsliq_n_u8(ql1, qh1, 4), m3f));
    o[2] = vreinterpretq_s8_u8(vandq_u8(vsliq_n_u8(ql2, vshrq_n_u8(qh0, 2), 4), m3f));
    o[3] = vreinterpretq_s8_u8(vandq_u8(vsliq_n_u8(ql3, vshrq_n_u8(qh1, 2), 4), m3f));
    // SRI inserts the high nibble into bits 0-3 under bits 4-5 already in place (6-7 zero).
    o[4] = vreinterpretq_s8_u8(vsriq_n_u8(vandq_u8(qh0, m30), ql0, 4));
    o[5] = vreinterpretq_s8_u8(vsriq_n_u8(vandq_u8(qh1, m30), ql1, 4));
    o[6] = vreinterpretq_s8_u8(vsriq_n_u8(vshrq_n_u8(qh0, 2), ql2, 4));
    o[7] = vreinterpretq_s8_u8(vsriq_n_u8(vshrq_n_u8(qh1, 2), ql3, 4));
  }
}

struct Q6KKernel {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    const int64_t nb = n / kQK_K;
    float32x4_t acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = vdupq_n_f32(0.0f);
    for (int64_t i = 0; i < nb; ++i) {
      for (int r = 0; r < NR; ++r) {
        const BlockQ6_K& b = reinterpret_cast<const BlockQ6_K*>(w + r * ws)[i];
        __builtin_prefetch(reinterpret_cast<const char*>(&b) + 2 * sizeof(BlockQ6_K));
        int8x16_t q[16];
        q6k_planes(b, q);
        const int8x16_t sc8 = vld1q_s8(b.scales);
        const int16x8_t sc_lo = vmovl_s8(vget_low_s8(sc8)), sc_hi = vmovl_high_s8(sc8);
        const float dw = arm_h2f(b.d);
        for (int t = 0; t < NT; ++t) {
          const BlockQ8_K& x = reinterpret_cast<const BlockQ8_K*>(a + t * as)[i];
          int32x4_t is = vdupq_n_s32(0);
          for (int k = 0; k < 16; ++k) {
            const int32x4_t d = arm_dot16(vdupq_n_s32(0), q[k], vld1q_s8(x.qs + 16 * k));
            is = vmlaq_n_s32(is, d, b.scales[k]);
          }
          // 32 * sum_s sc_s * bsum_s: the -32 offset of every code.
          const int16x8_t bs_lo = vld1q_s16(x.bsums), bs_hi = vld1q_s16(x.bsums + 8);
          int32x4_t off = vmull_s16(vget_low_s16(sc_lo), vget_low_s16(bs_lo));
          off = vmlal_high_s16(off, sc_lo, bs_lo);
          off = vmlal_s16(off, vget_low_s16(sc_hi), vget_low_s16(bs_hi));
          off = vmlal_high_s16(off, sc_hi, bs_hi);
          is = vsubq_s32(is, vshlq_n_s32(off, 5));
          acc[r][t] = vfmaq_n_f32(acc[r][t], vcvtq_f32_s32(is), dw * x.d);
        }
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = vaddvq_f32(acc[r][t]);
  }
};

// Q4_K's 12 scale bytes -> 8 six-bit scales and 8 mins, four bytes at a time (get_scale_min_k4):
// j < 4: sc = s[j] & 63, m = s[j+4] & 63; j >= 4: the low nibble (sc) or high nibble (m) of
// s[j+4] with bits 6-7 of s[j-4] (sc) or s[j] (m) on top.
inline void q4k_scales(const uint8_t* s, uint8_t sc[8], uint8_t m[8]) {
  uint32_t w0, w1, w2;
  std::memcpy(&w0, s, 4);
  std::memcpy(&w1, s + 4, 4);
  std::memcpy(&w2, s + 8, 4);
  const uint32_t sc_lo = w0 & 0x3F3F3F3Fu, m_lo = w1 & 0x3F3F3F3Fu;
  const uint32_t sc_hi = (w2 & 0x0F0F0F0Fu) | ((w0 >> 2) & 0x30303030u);
  const uint32_t m_hi = ((w2 >> 4) & 0x0F0F0F0Fu) | ((w1 >> 2) & 0x30303030u);
  std::memcpy(sc, &sc_lo, 4);
  std::memcpy(sc + 4, &sc_hi, 4);
  std::memcpy(m, &m_lo, 4);
  std::memcpy(m + 4, &m_hi, 4);
}

// Q4_K and Q5_K share the scale packing and nibble layout; Q5_K adds the fifth bit of weight
// 64c+l (sub-block 2c) from bit 2c of qh[l] and of 64c+32+l from bit 2c+1.
template <class Block>
inline void q45k_planes(const Block& b, int8x16_t q[16]) {
  const uint8x16_t m4 = vdupq_n_u8(0x0F);
  for (int c = 0; c < 4; ++c) {  // chunk c: low nibbles = sub-block 2c, high = 2c+1
    const uint8x16_t q0 = vld1q_u8(b.qs + 32 * c), q1 = vld1q_u8(b.qs + 32 * c + 16);
    uint8x16_t p[4] = {vandq_u8(q0, m4), vandq_u8(q1, m4), vshrq_n_u8(q0, 4), vshrq_n_u8(q1, 4)};
    if constexpr (sizeof(Block) == sizeof(BlockQ5_K)) {
      const uint8x16_t m10 = vdupq_n_u8(0x10);
      const uint8x16_t h0 = vld1q_u8(b.qh), h1 = vld1q_u8(b.qh + 16);
      const int8x16_t sl = vdupq_n_s8(static_cast<int8_t>(4 - 2 * c));  // bit 2c -> bit 4
      const int8x16_t sh = vdupq_n_s8(static_cast<int8_t>(3 - 2 * c));  // bit 2c+1 -> bit 4
      p[0] = vorrq_u8(p[0], vandq_u8(vshlq_u8(h0, sl), m10));
      p[1] = vorrq_u8(p[1], vandq_u8(vshlq_u8(h1, sl), m10));
      p[2] = vorrq_u8(p[2], vandq_u8(vshlq_u8(h0, sh), m10));
      p[3] = vorrq_u8(p[3], vandq_u8(vshlq_u8(h1, sh), m10));
    }
    for (int k = 0; k < 4; ++k) q[4 * c + k] = vreinterpretq_s8_u8(p[k]);
  }
}

template <class Block>
struct Q45KKernel {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    const int64_t nb = n / kQK_K;
    float32x4_t acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = vdupq_n_f32(0.0f);
    for (int64_t i = 0; i < nb; ++i) {
      for (int r = 0; r < NR; ++r) {
        const Block& b = reinterpret_cast<const Block*>(w + r * ws)[i];
        __builtin_prefetch(reinterpret_cast<const char*>(&b) + 2 * sizeof(Block));
        uint8_t sc[8], mn[8];
        q4k_scales(b.scales, sc, mn);
        const int16x8_t m16 = vreinterpretq_s16_u16(vmovl_u8(vld1_u8(mn)));
        const float d = arm_h2f(b.d), dmin = arm_h2f(b.dmin);
        int8x16_t q[16];  // q[4c + k]: k = 0, 1 sub-block 2c; k = 2, 3 sub-block 2c+1
        q45k_planes(b, q);
        for (int t = 0; t < NT; ++t) {
          const BlockQ8_K& x = reinterpret_cast<const BlockQ8_K*>(a + t * as)[i];
          int32x4_t is = vdupq_n_s32(0);
          for (int c = 0; c < 4; ++c) {
            const int8_t* xq = x.qs + 64 * c;
            const int32x4_t lo = arm_dot16(arm_dot16(vdupq_n_s32(0), q[4 * c], vld1q_s8(xq)), q[4 * c + 1],
                                           vld1q_s8(xq + 16));
            const int32x4_t hi = arm_dot16(arm_dot16(vdupq_n_s32(0), q[4 * c + 2], vld1q_s8(xq + 32)),
                                           q[4 * c + 3], vld1q_s8(xq + 48));
            is = vmlaq_n_s32(is, lo, sc[2 * c]);
            is = vmlaq_n_s32(is, hi, sc[2 * c + 1]);
          }
          // Per 32-value sub-block activation sums (pairs of bsums) times the mins.
          const int16x8_t bs = vpaddq_s16(vld1q_s16(x.bsums), vld1q_s16(x.bsums + 8));
          const int32x4_t ms = vmlal_high_s16(vmull_s16(vget_low_s16(m16), vget_low_s16(bs)), m16, bs);
          acc[r][t] = vfmaq_n_f32(acc[r][t], vcvtq_f32_s32(is), d * x.d);
          acc[r][t] = vfmaq_n_f32(acc[r][t], vcvtq_f32_s32(ms), -dmin * x.d);
        }
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = vaddvq_f32(acc[r][t]);
  }
};

// Q2_K: 16 sub-blocks of 16, codes 0..3, 4-bit scale and min each. For half h and plane j,
// (qs[32h + l] >> 2j) & 3 is weight 128h + 32j + l, so the 16-byte vector of bytes 32h + 16k'
// shifted by 2j is sub-block 8h + 2j + k'. The code times its sub-block scale is at most 3 * 15 = 45,
// so scaled codes stay int8 and one dot chain gives sum_s sc_s * dot(q_s, x_s) (<= 45 * 127 * 256,
// exact in int32); the mins come from the bsums:  d * that - dmin * sum_s m_s * bsum_s.
struct Q2KKernel {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    const int64_t nb = n / kQK_K;
    const uint8x16_t three = vdupq_n_u8(3), m4 = vdupq_n_u8(0x0F);
    float32x4_t acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = vdupq_n_f32(0.0f);
    for (int64_t i = 0; i < nb; ++i) {
      for (int r = 0; r < NR; ++r) {
        const BlockQ2_K& b = reinterpret_cast<const BlockQ2_K*>(w + r * ws)[i];
        __builtin_prefetch(reinterpret_cast<const char*>(&b) + 4 * sizeof(BlockQ2_K));
        const uint8x16_t sc = vld1q_u8(b.scales);
        alignas(16) uint8_t scl[16];
        vst1q_u8(scl, vandq_u8(sc, m4));
        // mins as int16 (0..15) for the bsum products
        const int16x8_t mn_lo = vreinterpretq_s16_u16(vmovl_u8(vget_low_u8(vshrq_n_u8(sc, 4))));
        const int16x8_t mn_hi = vreinterpretq_s16_u16(vmovl_high_u8(vshrq_n_u8(sc, 4)));
        int8x16_t q[16];  // q[s]: scaled codes of sub-block s (weights 16s .. 16s+15)
        for (int h = 0; h < 2; ++h)
          for (int k = 0; k < 2; ++k) {
            const uint8x16_t v = vld1q_u8(b.qs + 32 * h + 16 * k);
            const uint8x16_t p[4] = {vandq_u8(v, three), vandq_u8(vshrq_n_u8(v, 2), three),
                                     vandq_u8(vshrq_n_u8(v, 4), three), vshrq_n_u8(v, 6)};
            for (int j = 0; j < 4; ++j) {
              const int s = 8 * h + 2 * j + k;
              q[s] = vreinterpretq_s8_u8(vmulq_u8(p[j], vdupq_n_u8(scl[s])));
            }
          }
        const float d = arm_h2f(b.d), dmin = arm_h2f(b.dmin);
        for (int t = 0; t < NT; ++t) {
          const BlockQ8_K& x = reinterpret_cast<const BlockQ8_K*>(a + t * as)[i];
          int32x4_t s0 = vdupq_n_s32(0), s1 = vdupq_n_s32(0);
          for (int s = 0; s < 16; s += 2) {
            s0 = arm_dot16(s0, q[s], vld1q_s8(x.qs + 16 * s));
            s1 = arm_dot16(s1, q[s + 1], vld1q_s8(x.qs + 16 * s + 16));
          }
          const int16x8_t bs_lo = vld1q_s16(x.bsums), bs_hi = vld1q_s16(x.bsums + 8);
          int32x4_t ms = vmull_s16(vget_low_s16(mn_lo), vget_low_s16(bs_lo));
          ms = vmlal_high_s16(ms, mn_lo, bs_lo);
          ms = vmlal_s16(ms, vget_low_s16(mn_hi), vget_low_s16(bs_hi));
          ms = vmlal_high_s16(ms, mn_hi, bs_hi);
          acc[r][t] = vfmaq_n_f32(acc[r][t], vcvtq_f32_s32(vaddq_s32(s0, s1)), d * x.d);
          acc[r][t] = vfmaq_n_f32(acc[r][t], vcvtq_f32_s32(ms), -dmin * x.d);
        }
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = vaddvq_f32(acc[r][t]);
  }
};

// Q8_K as weights (generated test models only): 16 exact 16-value dots, one float scale.
struct Q8KKernel {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    const int64_t nb = n / kQK_K;
    float32x4_t acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = vdupq_n_f32(0.0f);
    for (int64_t i = 0; i < nb; ++i) {
      for (int r = 0; r < NR; ++r) {
        const BlockQ8_K& b = reinterpret_cast<const BlockQ8_K*>(w + r * ws)[i];
        for (int t = 0; t < NT; ++t) {
          const BlockQ8_K& x = reinterpret_cast<const BlockQ8_K*>(a + t * as)[i];
          int32x4_t s0 = vdupq_n_s32(0), s1 = vdupq_n_s32(0);
          for (int k = 0; k < kQK_K; k += 32) {
            s0 = arm_dot16(s0, vld1q_s8(b.qs + k), vld1q_s8(x.qs + k));
            s1 = arm_dot16(s1, vld1q_s8(b.qs + k + 16), vld1q_s8(x.qs + k + 16));
          }
          acc[r][t] = vfmaq_n_f32(acc[r][t], vcvtq_f32_s32(vaddq_s32(s0, s1)), b.d * x.d);
        }
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = vaddvq_f32(acc[r][t]);
  }
};

inline void install_kquant_tiles(KernelTable& t) {
  arm_install<Q6KKernel>(t, WeightType::kQ6_K);
  arm_install<Q45KKernel<BlockQ4_K>>(t, WeightType::kQ4_K);
  arm_install<Q45KKernel<BlockQ5_K>>(t, WeightType::kQ5_K);
  arm_install<Q8KKernel>(t, WeightType::kQ8_K);
  arm_install<Q2KKernel>(t, WeightType::kQ2_K);
}

}  // namespace
}  // namespace hymt
