// stq1_0_tiles.h: STQ1_0 (Sherry 3:4 sparse ternary) x Q8_K tiles, both lane layouts, compiled once
// per ARM path (arm_tern_dot16: SDOT, or MUL + SADALP on Armv8.0). Per 16-group chunk: nibbles
// (ZIP1/ZIP2) and spread sign bits (TBL + CMTST) form 5-bit codebook indices; one 32-entry TBL per
// lane p yields plane p as signed bytes (-1/0/+1), so no bias or bsums are needed. Stride-16: plane
// p of chunk c is activations 64c+16p..+15 (one load); consecutive: plane p is 64c+4j+p (one LD4).
#pragma once

#include <arm_neon.h>

#include <cstddef>  // blocks.h uses size_t without including it

#include "formats/blocks.h"
#include "kernels/arm/arm_tile.h"

namespace hymt {
namespace {

struct Tables {
  int8x16x2_t lane[4];  // lane[p][i] = value of lane p in codebook entry i (sign << 4 | slot)
  uint8x16_t sign_sel[4];  // chunk c: byte j reads sign byte 2c + j / 8
  uint8x16_t bit;          // byte j tests bit j % 8
};

inline Tables make_tables() {
  Tables t;
  alignas(16) int8_t v[4][32];
  for (int p = 0; p < 4; ++p)
    for (int i = 0; i < 32; ++i) {
      const int pack = kStq1_0Codebook[static_cast<size_t>(i)];
      v[p][i] = static_cast<int8_t>(((pack >> (2 * p)) & 3) - 1);
    }
  for (int p = 0; p < 4; ++p) t.lane[p] = {{vld1q_s8(v[p]), vld1q_s8(v[p] + 16)}};
  alignas(16) uint8_t sel[16], bit[16];
  for (int c = 0; c < 4; ++c) {
    for (int j = 0; j < 16; ++j) sel[j] = static_cast<uint8_t>(2 * c + j / 8);
    t.sign_sel[c] = vld1q_u8(sel);
  }
  for (int j = 0; j < 16; ++j) bit[j] = static_cast<uint8_t>(1u << (j % 8));
  t.bit = vld1q_u8(bit);
  return t;
}

// Codebook indices of the 16 groups of each chunk.
inline void decode_indices(const BlockSTQ1_0& b, const Tables& tb, uint8x16_t idx[4]) {
  const uint8x16_t m4 = vdupq_n_u8(0x0F), s16 = vdupq_n_u8(0x10);
  const uint8x16_t q0 = vld1q_u8(b.qs), q1 = vld1q_u8(b.qs + 16);
  // Group 2k is the low nibble of byte k, group 2k+1 the high one.
  const uint8x16_t lo0 = vandq_u8(q0, m4), hi0 = vshrq_n_u8(q0, 4);
  const uint8x16_t lo1 = vandq_u8(q1, m4), hi1 = vshrq_n_u8(q1, 4);
  const uint8x8_t s8 = vld1_u8(b.sign);
  const uint8x16_t signs = vcombine_u8(s8, s8);
  const uint8x16_t slot[4] = {vzip1q_u8(lo0, hi0), vzip2q_u8(lo0, hi0), vzip1q_u8(lo1, hi1), vzip2q_u8(lo1, hi1)};
  for (int c = 0; c < 4; ++c) {
    const uint8x16_t neg = vtstq_u8(vqtbl1q_u8(signs, tb.sign_sel[c]), tb.bit);
    idx[c] = vorrq_u8(slot[c], vandq_u8(neg, s16));
  }
}

template <bool kStride16>
struct Stq1_0Kernel {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    static const Tables tb = make_tables();
    const int64_t nb = n / kQK_K;
    float32x4_t acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = vdupq_n_f32(0.0f);
    for (int64_t i = 0; i < nb; ++i) {
      for (int r = 0; r < NR; ++r) {
        const BlockSTQ1_0& b = reinterpret_cast<const BlockSTQ1_0*>(w + r * ws)[i];
        __builtin_prefetch(reinterpret_cast<const char*>(&b) + 8 * sizeof(BlockSTQ1_0));
        uint8x16_t idx[4];
        decode_indices(b, tb, idx);
        // Integer sums are exact, so two accumulators per output (shorter dependency chains) cannot
        // change a result; each takes 8 steps per block (within arm_tern_dot16's limit).
        ArmTernAcc is[NT][2];
        for (int t = 0; t < NT; ++t) is[t][0] = is[t][1] = arm_tern_zero();
        for (int c = 0; c < 4; ++c) {
          int8x16_t plane[4];
          for (int p = 0; p < 4; ++p) plane[p] = vqtbl2q_s8(tb.lane[p], idx[c]);
          for (int t = 0; t < NT; ++t) {
            const int8_t* xq = reinterpret_cast<const BlockQ8_K*>(a + t * as)[i].qs + 64 * c;
            if constexpr (kStride16) {
              for (int p = 0; p < 4; ++p) is[t][p & 1] = arm_tern_dot16(is[t][p & 1], plane[p], vld1q_s8(xq + 16 * p));
            } else {
              const int8x16x4_t x = vld4q_s8(xq);
              for (int p = 0; p < 4; ++p) is[t][p & 1] = arm_tern_dot16(is[t][p & 1], plane[p], x.val[p]);
            }
          }
        }
        const float dw = arm_h2f(b.d);
        for (int t = 0; t < NT; ++t) {
          const float dx = reinterpret_cast<const BlockQ8_K*>(a + t * as)[i].d;
          const int32x4_t s = vaddq_s32(arm_tern_widen(is[t][0]), arm_tern_widen(is[t][1]));
          acc[r][t] = vfmaq_n_f32(acc[r][t], vcvtq_f32_s32(s), dw * dx);
        }
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = vaddvq_f32(acc[r][t]);
  }
};

inline void install_stq1_0_tiles(KernelTable& t) {
  arm_install<Stq1_0Kernel<true>>(t, WeightType::kSTQ1_0);
  arm_install<Stq1_0Kernel<false>>(t, WeightType::kSTQ1_0_CONSEC);
}

}  // namespace
}  // namespace hymt
