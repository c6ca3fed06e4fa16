// q8_0_tiles.h: Q8_0 and Q4_0 weight x Q8_0 activation tiles, compiled once per ARM path (the file
// that includes this picks SDOT or SMULL/SADALP through arm_dot16). Q4_0 nibbles become signed
// q - 8 in registers (AND/USHR then SUB). Each block's 4 int32 lanes are exact, are converted once
// and scaled by dw*dx into a float accumulator per output; the activation block is loaded once per
// tile and reused for every weight row.
#pragma once

#include <arm_neon.h>

#include <cstddef>  // blocks.h uses size_t without including it

#include "formats/blocks.h"
#include "kernels/arm/arm_tile.h"

namespace hymt {
namespace {

struct Q8_0Weights {
  using Block = BlockQ8_0;
  static inline void load(const Block& b, int8x16_t* w0, int8x16_t* w1) {
    *w0 = vld1q_s8(b.qs);
    *w1 = vld1q_s8(b.qs + 16);
  }
};

struct Q4_0Weights {
  using Block = BlockQ4_0;
  // Byte j holds weight j (low nibble) and weight j + 16 (high nibble).
  static inline void load(const Block& b, int8x16_t* w0, int8x16_t* w1) {
    const uint8x16_t q = vld1q_u8(b.qs);
    const int8x16_t eight = vdupq_n_s8(8);
    *w0 = vsubq_s8(vreinterpretq_s8_u8(vandq_u8(q, vdupq_n_u8(0x0F))), eight);
    *w1 = vsubq_s8(vreinterpretq_s8_u8(vshrq_n_u8(q, 4)), eight);
  }
};

template <class W>
struct Q8_0Kernel {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    using Block = typename W::Block;
    const int64_t nb = n / 32;
    float32x4_t acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = vdupq_n_f32(0.0f);
    for (int64_t i = 0; i < nb; ++i) {
      int8x16_t x0[NT], x1[NT];
      float dx[NT];
      for (int t = 0; t < NT; ++t) {
        const BlockQ8_0& b = reinterpret_cast<const BlockQ8_0*>(a + t * as)[i];
        x0[t] = vld1q_s8(b.qs);
        x1[t] = vld1q_s8(b.qs + 16);
        dx[t] = arm_h2f(b.d);
      }
      for (int r = 0; r < NR; ++r) {
        const Block& b = reinterpret_cast<const Block*>(w + r * ws)[i];
        __builtin_prefetch(&b + 8);
        int8x16_t w0, w1;
        W::load(b, &w0, &w1);
        const float dw = arm_h2f(b.d);
        for (int t = 0; t < NT; ++t) {
          const int32x4_t s = arm_dot16(arm_dot16(vdupq_n_s32(0), w0, x0[t]), w1, x1[t]);
          acc[r][t] = vfmaq_n_f32(acc[r][t], vcvtq_f32_s32(s), dw * dx[t]);
        }
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = vaddvq_f32(acc[r][t]);
  }
};

inline void install_q8_0_tiles(KernelTable& t) {
  arm_install<Q8_0Kernel<Q8_0Weights>>(t, WeightType::kQ8_0);
  arm_install<Q8_0Kernel<Q4_0Weights>>(t, WeightType::kQ4_0);
}

}  // namespace
}  // namespace hymt
