// stq1_0.cpp: STQ1_0 (spec §5.10), Tencent's 1.25-bit "Sherry" 3:4 sparse ternary format: 256
// weights = 64 groups of 4 lanes, exactly one lane zero and three +-d; a group is 5 bits (a 4-bit
// slot code and a sign bit) decoded through the 32-entry codebook in blocks.h. Two lane layouts
// exist (stride-16 in the Hy-MT2 release, consecutive in the older file); each is its own
// WeightType so the layout travels with the tensor. Dot against Q8_K.
#include <cmath>

#include "core/half.h"
#include "formats/blocks.h"
#include "formats/format_ref.h"
#include "formats/quant_search.h"

namespace hymt {

namespace {
int pos(StqLayout layout, int g, int p) {
  return layout == StqLayout::kStride16 ? stq1_0_pos_stride16(g, p) : stq1_0_pos_consecutive(g, p);
}

// Signed weights (-1, 0, +1) in position order.
void unpack(const BlockSTQ1_0& b, StqLayout layout, int8_t* w) {
  for (int g = 0; g < 64; ++g) {
    const int slot = (b.qs[g / 2] >> (4 * (g % 2))) & 0xF;
    const int sign = (b.sign[g / 8] >> (g % 8)) & 1;
    const int pack = kStq1_0Codebook[static_cast<size_t>(sign << 4 | slot)];
    for (int p = 0; p < 4; ++p) w[pos(layout, g, p)] = static_cast<int8_t>(((pack >> (2 * p)) & 3) - 1);
  }
}

void dequantize(const void* src, float* dst, int64_t n, StqLayout layout) {
  const BlockSTQ1_0* b = static_cast<const BlockSTQ1_0*>(src);
  int8_t w[kQK_K];
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    unpack(b[i], layout, w);
    const float d = fp16_to_f32(b[i].d);
    for (int j = 0; j < kQK_K; ++j) dst[i * kQK_K + j] = d * static_cast<float>(w[j]);
  }
}

float vec_dot(int64_t n, const void* w, const void* act, StqLayout layout) {
  const BlockSTQ1_0* x = static_cast<const BlockSTQ1_0*>(w);
  const BlockQ8_K* y = static_cast<const BlockQ8_K*>(act);
  int8_t q[kQK_K];
  double s = 0;
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    unpack(x[i], layout, q);
    int32_t sumi = 0;
    for (int j = 0; j < kQK_K; ++j) sumi += q[j] * y[i].qs[j];
    s += static_cast<double>(y[i].d) * fp16_to_f32(x[i].d) * sumi;
  }
  return static_cast<float>(s);
}
}  // namespace

// Codes: in each group the lane with the smallest |x| is zero (strict <, ties to the lowest lane),
// the others take the sign of x (x >= 0 -> +1). That choice is optimal for every d > 0: moving the
// zero from lane z to lane p changes the error by 2d(|x_p| - |x_z|) >= 0. Scale: absmax (what
// llama.cpp's reference writes; exact for QAT weights already in {-s, 0, +s}) or the mean |x| of
// the 192 kept lanes, the least-squares optimum for those codes (Sherry's "Sparse-Absmean").
void quantize_row_stq1_0_opts(const float* src, void* dst, int64_t n, StqLayout layout, StqScale scale) {
  BlockSTQ1_0* b = static_cast<BlockSTQ1_0*>(dst);
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const float* x = src + i * kQK_K;
    BlockSTQ1_0& y = b[i];
    for (auto& v : y.qs) v = 0;
    for (auto& v : y.sign) v = 0;
    float amax = 0;
    double kept_sum = 0;
    for (int g = 0; g < 64; ++g) {
      int zero = 0;
      for (int p = 1; p < 4; ++p)
        if (std::fabs(x[pos(layout, g, p)]) < std::fabs(x[pos(layout, g, zero)])) zero = p;
      int pack = 0;
      for (int p = 0; p < 4; ++p) {
        const float v = x[pos(layout, g, p)];
        amax = std::fmax(amax, std::fabs(v));
        const int code = p == zero ? 1 : v >= 0 ? 2 : 0;
        if (p != zero) kept_sum += std::fabs(v);
        pack |= code << (2 * p);
      }
      const int idx = kStq1_0Inverse[static_cast<size_t>(pack)];  // always valid: 3 non-zero lanes
      y.qs[g / 2] = static_cast<uint8_t>(y.qs[g / 2] | (idx & 0xF) << (4 * (g % 2)));
      y.sign[g / 8] = static_cast<uint8_t>(y.sign[g / 8] | (idx >> 4) << (g % 8));
    }
    const float d = scale == StqScale::kAbsmax ? amax : static_cast<float>(kept_sum / 192.0);
    y.d = f32_to_fp16(d);
  }
}

void dequantize_row_stq1_0(const void* src, float* dst, int64_t n) { dequantize(src, dst, n, StqLayout::kStride16); }
void quantize_row_stq1_0(const float* src, void* dst, int64_t n) {
  quantize_row_stq1_0_opts(src, dst, n, StqLayout::kStride16, StqScale::kAbsmax);
}
float vec_dot_stq1_0_q8_k(int64_t n, const void* w, const void* act) { return vec_dot(n, w, act, StqLayout::kStride16); }

void dequantize_row_stq1_0_consec(const void* src, float* dst, int64_t n) {
  dequantize(src, dst, n, StqLayout::kConsecutive);
}
void quantize_row_stq1_0_consec(const float* src, void* dst, int64_t n) {
  quantize_row_stq1_0_opts(src, dst, n, StqLayout::kConsecutive, StqScale::kAbsmax);
}
float vec_dot_stq1_0_consec_q8_k(int64_t n, const void* w, const void* act) {
  return vec_dot(n, w, act, StqLayout::kConsecutive);
}

}  // namespace hymt
