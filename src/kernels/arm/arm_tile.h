// arm_tile.h: helpers shared by the AArch64 kernel files (neon/, dotprod/). A kernel is a struct
// with `template <int NR, int NT> static void run(...)`; arm_install<K> puts it in the table through
// kernels/tile_dispatch.h (the same shape switch the x86 kernels use), so a dot product and every
// tile shape run the same per-output arithmetic (the GemmTileFn bit-identity contract).
// Everything is in an unnamed namespace: each file is compiled with its own -march, and an inline
// function shared across them must not be merged by the linker into a copy built for a newer ISA.
#pragma once

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/dispatch.h"
#include "kernels/tile_dispatch.h"

namespace hymt {
namespace {

// binary16 -> float with the FCVT instruction (exact for every value, like core/half.h).
inline float arm_h2f(uint16_t h) {
  __fp16 v;
  std::memcpy(&v, &h, sizeof v);
  return static_cast<float>(v);
}

template <class K>
void arm_install(KernelTable& t, WeightType type) {
  t.vec_dot[static_cast<size_t>(type)] = dot_tile<K>;
  t.gemm[static_cast<size_t>(type)] = gemm_tiles<K>;
}

// Exact int8 dot products into int32 lanes: arm_dot16 adds the 16 products a[j]*b[j] (any int8) to
// acc, spread over its 4 lanes (how depends on the path; the lane total is what kernels use). With
// dotprod it is one SDOT; on Armv8.0, SMULL/SMULL2 form exact int16 products (|a*b| <= 2^14) and
// SADALP adds them pairwise into the int32 lanes. The kernel headers (*_tiles.h) are compiled once
// per path, and this choice follows the flags of the file that includes them.
#if defined(__ARM_FEATURE_DOTPROD)
inline int32x4_t arm_dot16(int32x4_t acc, int8x16_t a, int8x16_t b) { return vdotq_s32(acc, a, b); }
#else
inline int32x4_t arm_dot16(int32x4_t acc, int8x16_t a, int8x16_t b) {
  acc = vpadalq_s16(acc, vmull_s8(vget_low_s8(a), vget_low_s8(b)));
  return vpadalq_s16(acc, vmull_high_s8(a, b));
}
#endif

// The same for a ternary operand a in {-1, 0, +1} and b in -127..127 (Q8_K codes: the quantizer
// maps the extreme to -127, never -128), so a*b fits int8: without SDOT, one MUL and one SADALP
// into int16 lanes suffice (2 products per lane per step: at most 64 steps before arm_tern_widen,
// 64 * 2 * 127 < 2^15).
#if defined(__ARM_FEATURE_DOTPROD)
using ArmTernAcc = int32x4_t;
inline ArmTernAcc arm_tern_zero() { return vdupq_n_s32(0); }
inline ArmTernAcc arm_tern_dot16(ArmTernAcc acc, int8x16_t a, int8x16_t b) { return vdotq_s32(acc, a, b); }
inline int32x4_t arm_tern_widen(ArmTernAcc acc) { return acc; }
#else
using ArmTernAcc = int16x8_t;
inline ArmTernAcc arm_tern_zero() { return vdupq_n_s16(0); }
inline ArmTernAcc arm_tern_dot16(ArmTernAcc acc, int8x16_t a, int8x16_t b) { return vpadalq_s8(acc, vmulq_s8(a, b)); }
inline int32x4_t arm_tern_widen(ArmTernAcc acc) { return vpaddlq_s16(acc); }
#endif

// Sum of the 16 bsums of a Q8_K block = sum of its 256 codes (exact in int32).
inline int32_t arm_q8k_sum(const int16_t* bsums) {
  return vaddlvq_s16(vld1q_s16(bsums)) + vaddlvq_s16(vld1q_s16(bsums + 8));
}

}  // namespace
}  // namespace hymt
