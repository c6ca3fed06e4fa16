// q2_0c.cpp: Q2_0C (spec §5.11), Tencent's 2-bit format: 512 weights -> {fp16 d, qs[128]}, code c
// of weight i at bits 2(i%4) of qs[i/4] (LSB first), w = (2c - 3) * d in {-3, -1, +1, +3} * d.
// Activations: Q8_K (see docs/formats.md): a 512-block spans two Q8_K blocks, each contributing an
// exact integer sum times d * y.d, and the same Q8_K row serves the Q6_K embedding/head and the
// other low-bit formats. (Which pairing PR #19357 uses is open, spec §10.8; dequant is exact.)
#include <algorithm>
#include <cmath>

#include "core/half.h"
#include "formats/blocks.h"
#include "formats/format_ref.h"
#include "formats/quant_search.h"

namespace hymt {

namespace {
int code(const BlockQ2_0C& b, int i) { return (b.qs[i / 4] >> (2 * (i % 4))) & 3; }

// Code (0..3) of x for the grid (2c - 3) * d, d > 0.
int nearest_code(float x, float inv_d) { return clamp_int(nearest_int((x * inv_d + 3.0f) * 0.5f), 0, 3); }

// Least-squares d for a grid starting from d0: alternate "nearest codes" and "best d for codes".
float refine(const float* x, int n, float d, double* sse_out) {
  for (int round = 0; round < 3; ++round) {
    const float inv = 1.0f / d;
    double sxv = 0, svv = 0;
    for (int i = 0; i < n; ++i) {
      const int v = 2 * nearest_code(x[i], inv) - 3;
      sxv += static_cast<double>(x[i]) * v;
      svv += v * v;
    }
    const float nd = static_cast<float>(sxv / svv);
    if (!(nd > 0)) break;
    d = nd;
  }
  const float inv = 1.0f / d;
  double sse = 0;
  for (int i = 0; i < n; ++i) {
    const double e = static_cast<double>(2 * nearest_code(x[i], inv) - 3) * d - x[i];
    sse += e * e;
  }
  *sse_out = sse;
  return d;
}
}  // namespace

void dequantize_row_q2_0c(const void* src, float* dst, int64_t n) {
  const BlockQ2_0C* b = static_cast<const BlockQ2_0C*>(src);
  for (int64_t i = 0; i < n / kQK_Q2_0C; ++i) {
    const float d = fp16_to_f32(b[i].d);
    for (int j = 0; j < kQK_Q2_0C; ++j) dst[i * kQK_Q2_0C + j] = d * static_cast<float>(2 * code(b[i], j) - 3);
  }
}

// One scale per 512 weights: start points d = f * absmax / 3 for f in 0.30..1.10 (bell-shaped
// data wants f near 0.5, uniform data near 1), each refined by least squares; keep the best, round
// d to fp16 and choose the codes for the rounded d.
void quantize_row_q2_0c(const float* src, void* dst, int64_t n) {
  BlockQ2_0C* b = static_cast<BlockQ2_0C*>(dst);
  for (int64_t i = 0; i < n / kQK_Q2_0C; ++i) {
    const float* x = src + i * kQK_Q2_0C;
    float amax = 0;
    for (int j = 0; j < kQK_Q2_0C; ++j) amax = std::max(amax, std::fabs(x[j]));
    float best_d = 0;
    if (amax > 0) {
      double best = INFINITY;
      for (int k = 0; k <= 8; ++k) {
        double sse;
        const float d = refine(x, kQK_Q2_0C, amax / 3.0f * (0.30f + 0.10f * static_cast<float>(k)), &sse);
        if (sse < best) {
          best = sse;
          best_d = d;
        }
      }
    }
    b[i].d = f32_to_fp16(best_d);
    const float d = fp16_to_f32(b[i].d);
    const float inv = d > 0 ? 1.0f / d : 0.0f;
    for (auto& q : b[i].qs) q = 0;
    for (int j = 0; j < kQK_Q2_0C; ++j) {
      // With d == 0 every code decodes to 0; code 2 (+1) keeps the bytes deterministic.
      const int c = d > 0 ? nearest_code(x[j], inv) : 2;
      b[i].qs[j / 4] = static_cast<uint8_t>(b[i].qs[j / 4] | c << (2 * (j % 4)));
    }
  }
}

float vec_dot_q2_0c_q8_k(int64_t n, const void* w, const void* act) {
  const BlockQ2_0C* x = static_cast<const BlockQ2_0C*>(w);
  const BlockQ8_K* y = static_cast<const BlockQ8_K*>(act);
  double s = 0;
  for (int64_t i = 0; i < n / kQK_Q2_0C; ++i) {
    const double d = fp16_to_f32(x[i].d);
    for (int h = 0; h < 2; ++h) {
      const BlockQ8_K& a = y[2 * i + h];
      int32_t sumi = 0;
      for (int l = 0; l < kQK_K; ++l) sumi += (2 * code(x[i], kQK_K * h + l) - 3) * a.qs[l];
      s += d * a.d * sumi;
    }
  }
  return static_cast<float>(s);
}

}  // namespace hymt
