// q2_k.cpp: Q2_K (spec §5.7): 256 weights in 16 sub-blocks of 16; scales[k] holds a 4-bit scale
// (low nibble) and 4-bit min (high) for sub-block k: w = d*sc*q - dmin*m, q 2-bit. Each 32-byte
// half of qs packs 128 weights as four 2-bit planes. Dot against Q8_K (mins via bsums).
#include <algorithm>

#include "core/half.h"
#include "formats/blocks.h"
#include "formats/format_ref.h"
#include "formats/quant_search.h"

namespace hymt {

namespace {
void unpack(const BlockQ2_K& b, uint8_t* q) {
  for (int h = 0; h < 2; ++h)
    for (int j = 0; j < 4; ++j)
      for (int l = 0; l < 32; ++l) q[128 * h + 32 * j + l] = (b.qs[32 * h + l] >> (2 * j)) & 3;
}
}  // namespace

void dequantize_row_q2_k(const void* src, float* dst, int64_t n) {
  const BlockQ2_K* b = static_cast<const BlockQ2_K*>(src);
  uint8_t q[kQK_K];
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    unpack(b[i], q);
    const float d = fp16_to_f32(b[i].d), dmin = fp16_to_f32(b[i].dmin);
    for (int k = 0; k < 16; ++k) {
      const float d1 = d * static_cast<float>(b[i].scales[k] & 0xF);
      const float m1 = dmin * static_cast<float>(b[i].scales[k] >> 4);
      for (int l = 0; l < 16; ++l) dst[i * kQK_K + 16 * k + l] = d1 * static_cast<float>(q[16 * k + l]) - m1;
    }
  }
}

// As Q4_K (q4_k.cpp) with 16-weight sub-blocks, codes 0..3 and 4-bit scales/mins (max/15).
void quantize_row_q2_k(const float* src, void* dst, int64_t n) {
  BlockQ2_K* b = static_cast<BlockQ2_K*>(dst);
  uint8_t L[kQK_K];
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const float* x = src + i * kQK_K;
    float scale[16], min[16], max_scale = 0, max_min = 0;
    for (int k = 0; k < 16; ++k) {
      const AffineFit f = fit_affine(x + 16 * k, 16, 3, true, L + 16 * k);
      scale[k] = f.scale;
      min[k] = -f.offset;
      max_scale = std::max(max_scale, scale[k]);
      max_min = std::max(max_min, min[k]);
    }
    b[i].d = f32_to_fp16(max_scale / 15.0f);
    b[i].dmin = f32_to_fp16(max_min / 15.0f);
    const float d = fp16_to_f32(b[i].d), dmin = fp16_to_f32(b[i].dmin);
    for (int k = 0; k < 16; ++k) {
      int sc = d > 0 ? clamp_int(nearest_int(scale[k] / d), 0, 15) : 0;
      int m = dmin > 0 ? clamp_int(nearest_int(min[k] / dmin), 0, 15) : 0;
      polish_scale_min(x + 16 * k, 16, 3, d, dmin, 15, &sc, &m, L + 16 * k);
      b[i].scales[k] = static_cast<uint8_t>(sc | m << 4);
    }
    for (int h = 0; h < 2; ++h)
      for (int l = 0; l < 32; ++l) {
        int v = 0;
        for (int j = 0; j < 4; ++j) v |= L[128 * h + 32 * j + l] << (2 * j);
        b[i].qs[32 * h + l] = static_cast<uint8_t>(v);
      }
  }
}

float vec_dot_q2_k_q8_k(int64_t n, const void* w, const void* act) {
  const BlockQ2_K* x = static_cast<const BlockQ2_K*>(w);
  const BlockQ8_K* y = static_cast<const BlockQ8_K*>(act);
  uint8_t q[kQK_K];
  double s = 0;
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    unpack(x[i], q);
    int32_t isum = 0, msum = 0;
    for (int k = 0; k < 16; ++k) {
      int32_t dot = 0;
      for (int l = 0; l < 16; ++l) dot += q[16 * k + l] * y[i].qs[16 * k + l];
      isum += (x[i].scales[k] & 0xF) * dot;
      msum += (x[i].scales[k] >> 4) * y[i].bsums[k];
    }
    s += static_cast<double>(y[i].d) *
         (static_cast<double>(fp16_to_f32(x[i].d)) * isum - static_cast<double>(fp16_to_f32(x[i].dmin)) * msum);
  }
  return static_cast<float>(s);
}

}  // namespace hymt
