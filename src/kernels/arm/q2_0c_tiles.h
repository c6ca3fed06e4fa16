// q2_0c_tiles.h: 2-bit code tiles x Q8_K: Q2_0C (512-weight blocks, w = (2c - 3) d) and TQ2_0,
// plus base-3 TQ1_0 (see Tq1_0Kernel), compiled once per ARM path (arm_dot16). Q2_0C byte k holds
// weights 4k..4k+3, so the 4 bit planes of 16 bytes are weights 4j+p and LD4 de-interleaves 64
// activations into the same planes; codes stay unsigned (0..3) and
// sum((2c - 3) x) = 2 sum(c x) - 3 sum(x), sum(x) from the bsums. One Q2_0C block spans two Q8_K
// blocks, each adding one exact integer sum times d * x.d.
#pragma once

#include <arm_neon.h>

#include <cstddef>  // blocks.h uses size_t without including it
#include <cstring>

#include "formats/blocks.h"
#include "kernels/arm/arm_tile.h"

namespace hymt {
namespace {

struct Q2_0CKernel {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    const int64_t nb = n / kQK_Q2_0C;
    const uint8x16_t three = vdupq_n_u8(3);
    float32x4_t acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = vdupq_n_f32(0.0f);
    for (int64_t i = 0; i < nb; ++i) {
      for (int h = 0; h < 2; ++h) {  // the two Q8_K blocks of this Q2_0C block
        int32_t xsum3[NT];
        float dx[NT];
        for (int t = 0; t < NT; ++t) {
          const BlockQ8_K& x = reinterpret_cast<const BlockQ8_K*>(a + t * as)[2 * i + h];
          xsum3[t] = 3 * arm_q8k_sum(x.bsums);
          dx[t] = x.d;
        }
        for (int r = 0; r < NR; ++r) {
          const BlockQ2_0C& b = reinterpret_cast<const BlockQ2_0C*>(w + r * ws)[i];
          if (h == 0) __builtin_prefetch(reinterpret_cast<const char*>(&b) + 4 * sizeof(BlockQ2_0C));
          int32x4_t is[NT][2];
          for (int t = 0; t < NT; ++t) is[t][0] = is[t][1] = vdupq_n_s32(0);
          for (int m = 0; m < 4; ++m) {
            const uint8x16_t q = vld1q_u8(b.qs + 64 * h + 16 * m);
            const int8x16_t c0 = vreinterpretq_s8_u8(vandq_u8(q, three));
            const int8x16_t c1 = vreinterpretq_s8_u8(vandq_u8(vshrq_n_u8(q, 2), three));
            const int8x16_t c2 = vreinterpretq_s8_u8(vandq_u8(vshrq_n_u8(q, 4), three));
            const int8x16_t c3 = vreinterpretq_s8_u8(vshrq_n_u8(q, 6));
            for (int t = 0; t < NT; ++t) {
              const int8x16x4_t x = vld4q_s8(reinterpret_cast<const BlockQ8_K*>(a + t * as)[2 * i + h].qs + 64 * m);
              is[t][0] = arm_dot16(arm_dot16(is[t][0], c0, x.val[0]), c2, x.val[2]);
              is[t][1] = arm_dot16(arm_dot16(is[t][1], c1, x.val[1]), c3, x.val[3]);
            }
          }
          const float dw = arm_h2f(b.d);
          for (int t = 0; t < NT; ++t) {
            // 2 * sum(c x) lane-wise, minus 3 sum(x) in lane 0: the lanes add up to the exact sum.
            const int32x4_t s = vsubq_s32(vshlq_n_s32(vaddq_s32(is[t][0], is[t][1]), 1),
                                          vsetq_lane_s32(xsum3[t], vdupq_n_s32(0), 0));
            acc[r][t] = vfmaq_n_f32(acc[r][t], vcvtq_f32_s32(s), dw * dx[t]);
          }
        }
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = vaddvq_f32(acc[r][t]);
  }
};

// TQ2_0: for half h, byte m of qs[32h ..] holds weights 128h + 32l + m in bits 2l (codes 0..2 =
// value + 1), so each bit plane lines up with 32 contiguous activations; sum = sum(c x) - sum(x).
struct Tq2_0Kernel {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    const int64_t nb = n / kQK_K;
    const uint8x16_t three = vdupq_n_u8(3);
    float32x4_t acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = vdupq_n_f32(0.0f);
    for (int64_t i = 0; i < nb; ++i) {
      for (int r = 0; r < NR; ++r) {
        const BlockTQ2_0& b = reinterpret_cast<const BlockTQ2_0*>(w + r * ws)[i];
        int8x16_t c[16];  // c[8h + 2l + k]: weights 128h + 32l + 16k .. +15
        for (int h = 0; h < 2; ++h)
          for (int k = 0; k < 2; ++k) {
            const uint8x16_t q = vld1q_u8(b.qs + 32 * h + 16 * k);
            c[8 * h + k] = vreinterpretq_s8_u8(vandq_u8(q, three));
            c[8 * h + 2 + k] = vreinterpretq_s8_u8(vandq_u8(vshrq_n_u8(q, 2), three));
            c[8 * h + 4 + k] = vreinterpretq_s8_u8(vandq_u8(vshrq_n_u8(q, 4), three));
            c[8 * h + 6 + k] = vreinterpretq_s8_u8(vshrq_n_u8(q, 6));
          }
        const float dw = arm_h2f(b.d);
        for (int t = 0; t < NT; ++t) {
          const BlockQ8_K& x = reinterpret_cast<const BlockQ8_K*>(a + t * as)[i];
          int32x4_t s0 = vdupq_n_s32(0), s1 = vdupq_n_s32(0);
          for (int k = 0; k < 16; k += 2) {
            s0 = arm_dot16(s0, c[k], vld1q_s8(x.qs + 16 * k));
            s1 = arm_dot16(s1, c[k + 1], vld1q_s8(x.qs + 16 * k + 16));
          }
          const int32x4_t s = vsubq_s32(vaddq_s32(s0, s1), vsetq_lane_s32(arm_q8k_sum(x.bsums), vdupq_n_s32(0), 0));
          acc[r][t] = vfmaq_n_f32(acc[r][t], vcvtq_f32_s32(s), dw * x.d);
        }
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = vaddvq_f32(acc[r][t]);
  }
};

// TQ1_0: base-3 bytes; trit n of byte b is ((uint8)(b * 3^n) * 3) >> 8, i.e. 0, 1 or 2 as
// p = (uint8)(b * 3^n) is <= 85, in 86..170, or > 170. With the CMHI masks m1 = -(p > 85) and
// m2 = -(p > 170), the weight t - 1 is ~(m1 + m2) (bitwise not: -(t) - 1 negated), a signed byte
// in {-1, 0, +1}, so arm_tern_dot16 applies and no bsums are needed. qs[0..31] trit n is weights
// 32n .. 32n+31, qs[32..47] trit n is 160 + 16n .., and qh[m] trit n is 240 + 4n + m: qh repeated
// four times, lanes 4n..4n+3 multiplied by 3^n, gives weights 240..255 in order.
inline int8x16_t tq1_top_trit(uint8x16_t p) {
  const int8x16_t m1 = vreinterpretq_s8_u8(vcgtq_u8(p, vdupq_n_u8(85)));
  const int8x16_t m2 = vreinterpretq_s8_u8(vcgtq_u8(p, vdupq_n_u8(170)));
  return vmvnq_s8(vaddq_s8(m1, m2));
}

struct Tq1_0Kernel {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    static constexpr uint8_t kQhMul[16] = {1, 1, 1, 1, 3, 3, 3, 3, 9, 9, 9, 9, 27, 27, 27, 27};
    const uint8x16_t qh_mul = vld1q_u8(kQhMul), three = vdupq_n_u8(3);
    const int64_t nb = n / kQK_K;
    float32x4_t acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = vdupq_n_f32(0.0f);
    for (int64_t i = 0; i < nb; ++i) {
      for (int r = 0; r < NR; ++r) {
        const BlockTQ1_0& b = reinterpret_cast<const BlockTQ1_0*>(w + r * ws)[i];
        __builtin_prefetch(reinterpret_cast<const char*>(&b) + 4 * sizeof(BlockTQ1_0));
        int8x16_t q[16];  // q[k]: weights 16k .. 16k+15 as -1/0/+1
        uint8x16_t p0 = vld1q_u8(b.qs), p1 = vld1q_u8(b.qs + 16), p2 = vld1q_u8(b.qs + 32);
        for (int t = 0; t < 5; ++t) {
          q[2 * t] = tq1_top_trit(p0);
          q[2 * t + 1] = tq1_top_trit(p1);
          q[10 + t] = tq1_top_trit(p2);
          p0 = vmulq_u8(p0, three);  // mod 256, as the format defines
          p1 = vmulq_u8(p1, three);
          p2 = vmulq_u8(p2, three);
        }
        uint32_t qh;
        std::memcpy(&qh, b.qh, 4);
        q[15] = tq1_top_trit(vmulq_u8(vreinterpretq_u8_u32(vdupq_n_u32(qh)), qh_mul));
        const float dw = arm_h2f(b.d);
        for (int t = 0; t < NT; ++t) {
          const BlockQ8_K& x = reinterpret_cast<const BlockQ8_K*>(a + t * as)[i];
          // Two chains of 8 steps (within arm_tern_dot16's limit); integer sums are exact.
          ArmTernAcc s0 = arm_tern_zero(), s1 = arm_tern_zero();
          for (int k = 0; k < 16; k += 2) {
            s0 = arm_tern_dot16(s0, q[k], vld1q_s8(x.qs + 16 * k));
            s1 = arm_tern_dot16(s1, q[k + 1], vld1q_s8(x.qs + 16 * k + 16));
          }
          const int32x4_t s = vaddq_s32(arm_tern_widen(s0), arm_tern_widen(s1));
          acc[r][t] = vfmaq_n_f32(acc[r][t], vcvtq_f32_s32(s), dw * x.d);
        }
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = vaddvq_f32(acc[r][t]);
  }
};

inline void install_q2_0c_tiles(KernelTable& t) {
  arm_install<Q2_0CKernel>(t, WeightType::kQ2_0C);
  arm_install<Tq2_0Kernel>(t, WeightType::kTQ2_0);
  arm_install<Tq1_0Kernel>(t, WeightType::kTQ1_0);
}

}  // namespace
}  // namespace hymt
