// attention_neon.cpp: the attention kernels (attention_simd.h) on 4-float NEON vectors (fp16 cache
// widened with FCVTL, baseline Armv8-A).
#include <arm_neon.h>

#include "kernels/dispatch.h"
#include "kernels/attention_simd.h"
#include "kernels/ops_simd.h"

namespace hymt {
namespace {
struct VNeon {
  static constexpr int kW = 4;
  using Reg = float32x4_t;
  static Reg zero() { return vdupq_n_f32(0.0f); }
  static Reg load(const float* p) { return vld1q_f32(p); }
  static Reg load(const uint16_t* p) { return vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(p))); }
  static float scalar(const uint16_t* p) { return vgetq_lane_f32(vcvt_f32_f16(vreinterpret_f16_u16(vld1_dup_u16(p))), 0); }
  static Reg fma(Reg a, Reg b, Reg c) { return vfmaq_f32(c, a, b); }
  static Reg add(Reg a, Reg b) { return vaddq_f32(a, b); }
  static Reg set1(float x) { return vdupq_n_f32(x); }
  static float reduce(Reg a) { return vaddvq_f32(a); }
  static void store(float* p, Reg a) { vst1q_f32(p, a); }
  static Reg sub(Reg a, Reg b) { return vsubq_f32(a, b); }
  static Reg mul(Reg a, Reg b) { return vmulq_f32(a, b); }
  static Reg div(Reg a, Reg b) { return vdivq_f32(a, b); }
  // x86 semantics (a > b ? a : b), which FMAX/FMIN would not give for NaN in a: a select on the
  // comparison, false (take b) when unordered.
  static Reg max(Reg a, Reg b) { return vbslq_f32(vcgtq_f32(a, b), a, b); }
  static Reg min(Reg a, Reg b) { return vbslq_f32(vcltq_f32(a, b), a, b); }
  static Reg round(Reg a) { return vrndnq_f32(a); }
  static Reg pow2(Reg n) {
    return vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(vcvtnq_s32_f32(n), vdupq_n_s32(127)), 23));
  }
  static float reduce_max(Reg a) { return vmaxvq_f32(a); }
};
}  // namespace

void register_neon_attention(KernelTable& t) {
  install_attention<VNeon>(t);
  install_ops<VNeon>(t);
}

}  // namespace hymt
