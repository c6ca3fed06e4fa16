// q4_k.cpp: Q4_K (spec §5.4): 256 weights in 8 sub-blocks of 32, each with a 6-bit scale and min
// times the block's fp16 d / dmin: w = d*sc*q - dmin*m, q a nibble. Dot against Q8_K activations:
// the scale part and the min part (via bsums) are integer sums, d and dmin applied once per block.
#include <algorithm>

#include "core/half.h"
#include "formats/blocks.h"
#include "formats/format_ref.h"
#include "formats/quant_search.h"

namespace hymt {

namespace {
// Codes in weight order plus the unpacked 6-bit scales and mins.
void unpack(const BlockQ4_K& b, uint8_t* q, int* sc, int* m) {
  for (int j = 0; j < 8; ++j) get_scale_min_k4(j, b.scales, &sc[j], &m[j]);
  for (int c = 0; c < 4; ++c)
    for (int l = 0; l < 32; ++l) {
      q[64 * c + l] = b.qs[32 * c + l] & 0xF;
      q[64 * c + 32 + l] = b.qs[32 * c + l] >> 4;
    }
}
}  // namespace

void dequantize_row_q4_k(const void* src, float* dst, int64_t n) {
  const BlockQ4_K* b = static_cast<const BlockQ4_K*>(src);
  uint8_t q[kQK_K];
  int sc[8], m[8];
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    unpack(b[i], q, sc, m);
    const float d = fp16_to_f32(b[i].d), dmin = fp16_to_f32(b[i].dmin);
    for (int j = 0; j < 8; ++j) {
      // d*sc and dmin*m are exact in float (11 + 6 bits), so is d*sc*q (+4 bits): one rounding.
      const float d1 = d * static_cast<float>(sc[j]), m1 = dmin * static_cast<float>(m[j]);
      for (int l = 0; l < 32; ++l) dst[i * kQK_K + 32 * j + l] = d1 * static_cast<float>(q[32 * j + l]) - m1;
    }
  }
}

// Per sub-block: least-squares affine fit (codes 0..15, offset <= 0); the 8 scales and 8 mins are
// then expressed as 6-bit multiples of d = max/63 and dmin = max/63, and each sub-block's integer
// pair is polished against the rounded super-scales (quant_search.h).
void quantize_row_q4_k(const float* src, void* dst, int64_t n) {
  BlockQ4_K* b = static_cast<BlockQ4_K*>(dst);
  uint8_t L[kQK_K];
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const float* x = src + i * kQK_K;
    float scale[8], min[8], max_scale = 0, max_min = 0;
    for (int j = 0; j < 8; ++j) {
      const AffineFit f = fit_affine(x + 32 * j, 32, 15, true, L + 32 * j);
      scale[j] = f.scale;
      min[j] = -f.offset;
      max_scale = std::max(max_scale, scale[j]);
      max_min = std::max(max_min, min[j]);
    }
    b[i].d = f32_to_fp16(max_scale / 63.0f);
    b[i].dmin = f32_to_fp16(max_min / 63.0f);
    const float d = fp16_to_f32(b[i].d), dmin = fp16_to_f32(b[i].dmin);
    int sc[8], m[8];
    for (int j = 0; j < 8; ++j) {
      sc[j] = d > 0 ? clamp_int(nearest_int(scale[j] / d), 0, 63) : 0;
      m[j] = dmin > 0 ? clamp_int(nearest_int(min[j] / dmin), 0, 63) : 0;
      polish_scale_min(x + 32 * j, 32, 15, d, dmin, 63, &sc[j], &m[j], L + 32 * j);
    }
    pack_scale_min_k4(sc, m, b[i].scales);
    for (int c = 0; c < 4; ++c)
      for (int l = 0; l < 32; ++l)
        b[i].qs[32 * c + l] = static_cast<uint8_t>(L[64 * c + l] | L[64 * c + 32 + l] << 4);
  }
}

float vec_dot_q4_k_q8_k(int64_t n, const void* w, const void* act) {
  const BlockQ4_K* x = static_cast<const BlockQ4_K*>(w);
  const BlockQ8_K* y = static_cast<const BlockQ8_K*>(act);
  uint8_t q[kQK_K];
  int sc[8], m[8];
  double s = 0;
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    unpack(x[i], q, sc, m);
    int32_t isum = 0, msum = 0;
    for (int j = 0; j < 8; ++j) {
      int32_t dot = 0;
      for (int l = 0; l < 32; ++l) dot += q[32 * j + l] * y[i].qs[32 * j + l];
      isum += sc[j] * dot;
      msum += m[j] * (y[i].bsums[2 * j] + y[i].bsums[2 * j + 1]);
    }
    s += static_cast<double>(y[i].d) *
         (static_cast<double>(fp16_to_f32(x[i].d)) * isum - static_cast<double>(fp16_to_f32(x[i].dmin)) * msum);
  }
  return static_cast<float>(s);
}

}  // namespace hymt
