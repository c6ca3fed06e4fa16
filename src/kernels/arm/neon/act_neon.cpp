// act_neon.cpp: activation quantization to Q8_0 and Q8_K with baseline NEON, bit-identical to the
// scalar references (formats/q8_0.cpp, formats/q8_k.cpp). The rounding instructions match the
// references' rules exactly: FCVTAS rounds half away from zero (roundf, Q8_0) and FCVTNS rounds
// half to even (nearest_int's magic-constant add, Q8_K). Scales are computed with the same scalar
// float expressions as the references; max/abs use FMAXNM so NaNs are skipped as std::fmax does.
#include <arm_neon.h>

#include <cmath>
#include <cstddef>  // blocks.h uses size_t without including it

#include "core/half.h"
#include "formats/blocks.h"
#include "kernels/arm/arm_tile.h"

namespace hymt {

namespace {

void quantize_row_q8_0_neon(const float* x, void* dst, int64_t n) {
  BlockQ8_0* b = static_cast<BlockQ8_0*>(dst);
  for (int64_t i = 0; i < n / 32; ++i) {
    const float* p = x + i * 32;
    float32x4_t v[8];
    for (int k = 0; k < 8; ++k) v[k] = vld1q_f32(p + 4 * k);
    float32x4_t m = vabsq_f32(v[0]);
    for (int k = 1; k < 8; ++k) m = vmaxnmq_f32(m, vabsq_f32(v[k]));
    const float amax = vmaxnmvq_f32(m);
    const float d = amax / 127.0f;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    b[i].d = f32_to_fp16(d);
    int16x8_t h[4];
    for (int k = 0; k < 4; ++k)
      h[k] = vcombine_s16(vmovn_s32(vcvtaq_s32_f32(vmulq_n_f32(v[2 * k], id))),
                          vmovn_s32(vcvtaq_s32_f32(vmulq_n_f32(v[2 * k + 1], id))));
    vst1q_s8(b[i].qs, vcombine_s8(vmovn_s16(h[0]), vmovn_s16(h[1])));
    vst1q_s8(b[i].qs + 16, vcombine_s8(vmovn_s16(h[2]), vmovn_s16(h[3])));
  }
}

void quantize_row_q8_k_neon(const float* x, void* dst, int64_t n) {
  BlockQ8_K* b = static_cast<BlockQ8_K*>(dst);
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const float* p = x + i * kQK_K;
    BlockQ8_K& y = b[i];
    float32x4_t m = vabsq_f32(vld1q_f32(p));
    for (int k = 4; k < kQK_K; k += 4) m = vmaxnmq_f32(m, vabsq_f32(vld1q_f32(p + k)));
    const float amax = vmaxnmvq_f32(m);
    if (!(amax > 0)) {  // all zero (or no number at all): the reference's zero block
      std::memset(&y, 0, sizeof y);
      continue;
    }
    // The reference keeps the sign of the first element whose |x| is the maximum.
    float max = 0;
    for (int k = 0; k < kQK_K; k += 4) {
      if (vmaxvq_u32(vceqq_f32(vabsq_f32(vld1q_f32(p + k)), vdupq_n_f32(amax))) == 0) continue;
      int j = k;
      while (std::fabs(p[j]) != amax) ++j;
      max = p[j];
      break;
    }
    const float iscale = -127.0f / max;
    const int32x4_t hi = vdupq_n_s32(127);
    for (int k = 0; k < kQK_K; k += 16) {
      int32x4_t q[4];
      for (int l = 0; l < 4; ++l) q[l] = vminq_s32(vcvtnq_s32_f32(vmulq_n_f32(vld1q_f32(p + k + 4 * l), iscale)), hi);
      const int16x8_t h0 = vcombine_s16(vmovn_s32(q[0]), vmovn_s32(q[1]));
      const int16x8_t h1 = vcombine_s16(vmovn_s32(q[2]), vmovn_s32(q[3]));
      vst1q_s8(y.qs + k, vcombine_s8(vmovn_s16(h0), vmovn_s16(h1)));
      y.bsums[k / 16] = static_cast<int16_t>(vaddvq_s16(vaddq_s16(h0, h1)));
    }
    y.d = 1.0f / iscale;
  }
}

}  // namespace

void register_neon_act(KernelTable& t) {
  t.quantize_act[static_cast<size_t>(WeightType::kQ8_0)] = quantize_row_q8_0_neon;
  t.quantize_act[static_cast<size_t>(WeightType::kQ8_K)] = quantize_row_q8_k_neon;
}

}  // namespace hymt
