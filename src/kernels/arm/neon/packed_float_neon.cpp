// packed_float_neon.cpp: F32x16 / F16x16 / BF16x16 products with baseline NEON
// (kernels/packed_layout.h), the outer product of the x86 packed_float kernels in four 4-row
// quarters: per k one load of the 16 rows' weight k (half widened with FCVTL, bfloat16 with a
// 16-bit shift) and one FMLA by the token's activation per quarter and token. Each output keeps two
// chains (even and odd k, added at the end), so 32 vector registers hold the accumulators of at most
// 3 tokens (3 x 2 x 4 = 24) beside the weights; a tile of up to 8 tokens runs in passes of 3. FMLA
// rounds once, as std::fma does, so results equal the scalar reference bit for bit.
#include <arm_neon.h>

#include <algorithm>

#include "kernels/dispatch.h"

namespace hymt {

namespace {

enum class Src { kF32, kF16, kBF16 };

// Weight k of the group's 16 rows as four 4-lane quarters (rows 4q .. 4q+3 in w[q]).
template <Src S>
inline void load_k(const uint8_t* g, int64_t k, float32x4_t* w) {
  if constexpr (S == Src::kF32) {
    const float* p = reinterpret_cast<const float*>(g) + 16 * k;
    for (int q = 0; q < 4; ++q) w[q] = vld1q_f32(p + 4 * q);
  } else {
    const uint16_t* p = reinterpret_cast<const uint16_t*>(g) + 16 * k;
    for (int h = 0; h < 2; ++h) {
      const uint16x8_t v = vld1q_u16(p + 8 * h);
      if constexpr (S == Src::kF16) {
        const float16x8_t f = vreinterpretq_f16_u16(v);
        w[2 * h] = vcvt_f32_f16(vget_low_f16(f));
        w[2 * h + 1] = vcvt_high_f32_f16(f);
      } else {
        w[2 * h] = vreinterpretq_f32_u32(vshll_n_u16(vget_low_u16(v), 16));
        w[2 * h + 1] = vreinterpretq_f32_u32(vshll_high_n_u16(v, 16));
      }
    }
  }
}

template <Src S, int NT>
void run(int64_t n, const uint8_t* g, const uint8_t* act, size_t as, float* y, int64_t ldy) {
  const float* x[NT];
  float32x4_t acc[2][NT][4];  // [chain: even/odd k][token][quarter]
  for (int t = 0; t < NT; ++t) {
    x[t] = reinterpret_cast<const float*>(act + static_cast<size_t>(t) * as);
    for (int c = 0; c < 2; ++c)
      for (int q = 0; q < 4; ++q) acc[c][t][q] = vdupq_n_f32(0.0f);
  }
  auto step = [&](int64_t k, int c) {
    float32x4_t w[4];
    load_k<S>(g, k, w);
    for (int t = 0; t < NT; ++t) {
      const float xv = x[t][k];
      for (int q = 0; q < 4; ++q) acc[c][t][q] = vfmaq_n_f32(acc[c][t][q], w[q], xv);
    }
  };
  int64_t k = 0;
  for (; k + 2 <= n; k += 2) {
    step(k, 0);
    step(k + 1, 1);
  }
  if (k < n) step(k, 0);
  for (int t = 0; t < NT; ++t)
    for (int q = 0; q < 4; ++q) vst1q_f32(y + t * ldy + 4 * q, vaddq_f32(acc[0][t][q], acc[1][t][q]));
}

template <Src S>
void gemm(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t*, int64_t, int nt, float* y,
          int64_t ldy) {
  for (int t0 = 0; t0 < nt; t0 += 3) {
    const uint8_t* a = act + static_cast<size_t>(t0) * as;
    float* yt = y + t0 * ldy;
    switch (std::min(3, nt - t0)) {
      case 1: run<S, 1>(ne0, group, a, as, yt, ldy); break;
      case 2: run<S, 2>(ne0, group, a, as, yt, ldy); break;
      default: run<S, 3>(ne0, group, a, as, yt, ldy); break;
    }
  }
}

}  // namespace

void register_neon_packed_float(KernelTable& t) {
  install_packed_float(t, nullptr, gemm<Src::kF32>, gemm<Src::kF16>, gemm<Src::kBF16>);
}

}  // namespace hymt
