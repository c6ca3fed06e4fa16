// q6_k.cpp: Q6_K (spec §5.6): 256 weights in 16 sub-blocks of 16 with int8 scales: w = d*sc*(q-32),
// q 6-bit split into ql nibbles and qh 2-bit fields. The format of the HY-MT token embedding in
// the low-bit files. Dot against Q8_K activations (one integer sum per block).
#include <algorithm>
#include <cmath>

#include "core/half.h"
#include "formats/blocks.h"
#include "formats/format_ref.h"
#include "formats/quant_search.h"

namespace hymt {

namespace {
// Signed codes (q - 32) in weight order.
void unpack(const BlockQ6_K& b, int8_t* q) {
  for (int h = 0; h < 2; ++h) {
    const uint8_t* ql = b.ql + 64 * h;
    const uint8_t* qh = b.qh + 32 * h;
    int8_t* o = q + 128 * h;
    for (int l = 0; l < 32; ++l) {
      o[l] = static_cast<int8_t>(((ql[l] & 0xF) | ((qh[l] >> 0) & 3) << 4) - 32);
      o[l + 32] = static_cast<int8_t>(((ql[l + 32] & 0xF) | ((qh[l] >> 2) & 3) << 4) - 32);
      o[l + 64] = static_cast<int8_t>(((ql[l] >> 4) | ((qh[l] >> 4) & 3) << 4) - 32);
      o[l + 96] = static_cast<int8_t>(((ql[l + 32] >> 4) | ((qh[l] >> 6) & 3) << 4) - 32);
    }
  }
}
}  // namespace

void dequantize_row_q6_k(const void* src, float* dst, int64_t n) {
  const BlockQ6_K* b = static_cast<const BlockQ6_K*>(src);
  int8_t q[kQK_K];
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    unpack(b[i], q);
    const float d = fp16_to_f32(b[i].d);
    for (int k = 0; k < 16; ++k) {
      // d*sc is exact (11 + 7 bits) and so is the product with q (+5 bits and sign): one rounding.
      const float d1 = d * static_cast<float>(b[i].scales[k]);
      for (int l = 0; l < 16; ++l) dst[i * kQK_K + 16 * k + l] = d1 * static_cast<float>(q[16 * k + l]);
    }
  }
}

// Per sub-block: symmetric least-squares fit over codes -32..31 (negative scales allowed, so the
// extreme may use the -32 end); scales become int8 multiples of d = max|scale|/127, each polished.
void quantize_row_q6_k(const float* src, void* dst, int64_t n) {
  BlockQ6_K* b = static_cast<BlockQ6_K*>(dst);
  int8_t L[kQK_K];
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const float* x = src + i * kQK_K;
    float scale[16], max_abs = 0;
    for (int k = 0; k < 16; ++k) {
      scale[k] = fit_symmetric(x + 16 * k, 16, -32, 31, L + 16 * k);
      max_abs = std::max(max_abs, std::fabs(scale[k]));
    }
    b[i].d = f32_to_fp16(max_abs / 127.0f);
    const float d = fp16_to_f32(b[i].d);
    for (int k = 0; k < 16; ++k) {
      int sc = d > 0 ? clamp_int(nearest_int(scale[k] / d), -128, 127) : 0;
      polish_scale(x + 16 * k, 16, -32, 31, d, &sc, L + 16 * k);
      b[i].scales[k] = static_cast<int8_t>(sc);
    }
    for (int h = 0; h < 2; ++h)
      for (int l = 0; l < 32; ++l) {
        const int q1 = L[128 * h + l] + 32, q2 = L[128 * h + 32 + l] + 32;
        const int q3 = L[128 * h + 64 + l] + 32, q4 = L[128 * h + 96 + l] + 32;
        b[i].ql[64 * h + l] = static_cast<uint8_t>((q1 & 0xF) | (q3 & 0xF) << 4);
        b[i].ql[64 * h + 32 + l] = static_cast<uint8_t>((q2 & 0xF) | (q4 & 0xF) << 4);
        b[i].qh[32 * h + l] = static_cast<uint8_t>((q1 >> 4) | (q2 >> 4) << 2 | (q3 >> 4) << 4 | (q4 >> 4) << 6);
      }
  }
}

float vec_dot_q6_k_q8_k(int64_t n, const void* w, const void* act) {
  const BlockQ6_K* x = static_cast<const BlockQ6_K*>(w);
  const BlockQ8_K* y = static_cast<const BlockQ8_K*>(act);
  int8_t q[kQK_K];
  double s = 0;
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    unpack(x[i], q);
    int32_t isum = 0;
    for (int k = 0; k < 16; ++k) {
      int32_t dot = 0;
      for (int l = 0; l < 16; ++l) dot += q[16 * k + l] * y[i].qs[16 * k + l];
      isum += x[i].scales[k] * dot;
    }
    s += static_cast<double>(y[i].d) * fp16_to_f32(x[i].d) * isum;
  }
  return static_cast<float>(s);
}

}  // namespace hymt
