// attention_neon.cpp: the attention kernels (attention_simd.h) on 4-float NEON vectors (fp16 cache
// widened with FCVTL, baseline Armv8-A).
#include <arm_neon.h>

#include "kernels/dispatch.h"
#include "kernels/attention_simd.h"

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
};
}  // namespace

void register_neon_attention(KernelTable& t) { install_attention<VNeon>(t); }

}  // namespace hymt
