// float_neon.cpp: F32/F16/BF16 weight x F32 activation tiles with baseline NEON (FMLA, 4 lanes).
// Each output keeps two 4-lane accumulators (8 values a step) so a single dot product is not bound
// by FMA latency; the last n % 8 values go through the same step from zero-padded copies, so any
// row length works and every tile shape does identical arithmetic. Half weights widen with FCVTL
// and bfloat16 with a 16-bit shift, in registers.
#include <arm_neon.h>

#include "kernels/arm/arm_tile.h"

namespace hymt {

namespace {

enum class Src { kF32, kF16, kBF16 };

template <Src S>
inline void load_w8(const uint8_t* p, float32x4_t* lo, float32x4_t* hi) {
  if constexpr (S == Src::kF32) {
    *lo = vld1q_f32(reinterpret_cast<const float*>(p));
    *hi = vld1q_f32(reinterpret_cast<const float*>(p) + 4);
  } else if constexpr (S == Src::kF16) {
    const float16x8_t h = vreinterpretq_f16_u16(vld1q_u16(reinterpret_cast<const uint16_t*>(p)));
    *lo = vcvt_f32_f16(vget_low_f16(h));
    *hi = vcvt_high_f32_f16(h);
  } else {
    const uint16x8_t h = vld1q_u16(reinterpret_cast<const uint16_t*>(p));
    *lo = vreinterpretq_f32_u32(vshll_n_u16(vget_low_u16(h), 16));
    *hi = vreinterpretq_f32_u32(vshll_high_n_u16(h, 16));
  }
}

template <Src S>
struct FloatKernel {
  static constexpr size_t kWBytes = S == Src::kF32 ? 4 : 2;

  // At most 2 weight rows at a time: 2 x 4 outputs x 2 accumulators fill 16 of the 32 vector
  // registers and leave room for the loads. More rows are further passes (same arithmetic).
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    if constexpr (NR > 2) {
      run<2, NT>(n, w, ws, a, as, y, ldy);
      run<NR - 2, NT>(n, w + 2 * ws, ws, a, as, y + 2, ldy);
    } else {
      float32x4_t acc[NR][NT][2];
      for (int r = 0; r < NR; ++r)
        for (int t = 0; t < NT; ++t) acc[r][t][0] = acc[r][t][1] = vdupq_n_f32(0.0f);
      auto step = [&](const uint8_t* const* wp, const float* const* xp) {
        float32x4_t x0[NT], x1[NT];
        for (int t = 0; t < NT; ++t) {
          x0[t] = vld1q_f32(xp[t]);
          x1[t] = vld1q_f32(xp[t] + 4);
        }
        for (int r = 0; r < NR; ++r) {
          float32x4_t w0, w1;
          load_w8<S>(wp[r], &w0, &w1);
          for (int t = 0; t < NT; ++t) {
            acc[r][t][0] = vfmaq_f32(acc[r][t][0], w0, x0[t]);
            acc[r][t][1] = vfmaq_f32(acc[r][t][1], w1, x1[t]);
          }
        }
      };
      const int64_t n8 = n & ~int64_t{7};
      const uint8_t* wp[NR > 0 ? NR : 1];
      const float* xp[NT];
      for (int64_t k = 0; k < n8; k += 8) {
        for (int r = 0; r < NR; ++r) wp[r] = w + r * ws + static_cast<size_t>(k) * kWBytes;
        for (int t = 0; t < NT; ++t) xp[t] = reinterpret_cast<const float*>(a + t * as) + k;
        step(wp, xp);
      }
      if (n8 < n) {  // tail: zero padding adds exact zeros to every lane
        const size_t rest = static_cast<size_t>(n - n8);
        alignas(16) uint8_t wt[NR][8 * kWBytes] = {};
        alignas(16) float xt[NT][8] = {};
        for (int r = 0; r < NR; ++r) {
          std::memcpy(wt[r], w + r * ws + static_cast<size_t>(n8) * kWBytes, rest * kWBytes);
          wp[r] = wt[r];
        }
        for (int t = 0; t < NT; ++t) {
          std::memcpy(xt[t], reinterpret_cast<const float*>(a + t * as) + n8, rest * sizeof(float));
          xp[t] = xt[t];
        }
        step(wp, xp);
      }
      for (int r = 0; r < NR; ++r)
        for (int t = 0; t < NT; ++t) y[t * ldy + r] = vaddvq_f32(vaddq_f32(acc[r][t][0], acc[r][t][1]));
    }
  }
};

// Packed F32x16 / F16x16 / BF16x16 (kernels/packed_layout.h): the x86 outer product in four 4-row
// quarters, per k one load of the 16 rows' weight k and one FMLA by the token's activation per
// quarter and token. Each output keeps two chains (even and odd k, added at the end), so the 32
// vector registers hold the accumulators of at most 3 tokens (3 x 2 x 4 = 24) beside the weights;
// a tile of up to 8 tokens runs in passes of 3. FMLA rounds once, as std::fma does, so results
// equal the scalar reference (ref/packed_float_ref.cpp) bit for bit.
template <Src S>
struct PackedFloat {
  static constexpr size_t kWBytes = S == Src::kF32 ? 4 : 2;

  template <int NT>
  static void run(int64_t n, const uint8_t* g, const uint8_t* act, size_t as, float* y, int64_t ldy) {
    const float* x[NT];
    float32x4_t acc[2][NT][4];  // [chain: even/odd k][token][quarter: rows 4q .. 4q+3]
    for (int t = 0; t < NT; ++t) {
      x[t] = reinterpret_cast<const float*>(act + static_cast<size_t>(t) * as);
      for (int c = 0; c < 2; ++c)
        for (int q = 0; q < 4; ++q) acc[c][t][q] = vdupq_n_f32(0.0f);
    }
    auto step = [&](int64_t k, int c) {
      float32x4_t w[4];
      const uint8_t* wk = g + static_cast<size_t>(16 * k) * kWBytes;
      load_w8<S>(wk, &w[0], &w[1]);
      load_w8<S>(wk + 8 * kWBytes, &w[2], &w[3]);
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
};

}  // namespace

void register_neon_float(KernelTable& t) {
  arm_install<FloatKernel<Src::kF32>>(t, WeightType::kF32);
  arm_install<FloatKernel<Src::kF16>>(t, WeightType::kF16);
  arm_install<FloatKernel<Src::kBF16>>(t, WeightType::kBF16);
  install_packed_float(t, nullptr, packed_passes<PackedFloat<Src::kF32>, 3>, packed_passes<PackedFloat<Src::kF16>, 3>,
                       packed_passes<PackedFloat<Src::kBF16>, 3>);
}

}  // namespace hymt
