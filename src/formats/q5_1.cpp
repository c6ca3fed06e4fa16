// q5_1.cpp: Q5_1: 32 weights -> {fp16 d, fp16 m, uint32 qh, 16 bytes of nibbles}, w = d * q + m,
// codes as in Q5_0. Paired with Q8_0 activations (see q4_1.cpp for why not Q8_1).
#include "core/half.h"
#include "formats/blocks.h"
#include "formats/format_ref.h"
#include "formats/quant_search.h"

namespace hymt {

void dequantize_row_q5_1(const void* src, float* dst, int64_t n) {
  const BlockQ5_1* b = static_cast<const BlockQ5_1*>(src);
  for (int64_t i = 0; i < n / 32; ++i) {
    const float d = fp16_to_f32(b[i].d), m = fp16_to_f32(b[i].m);
    for (int j = 0; j < 32; ++j) dst[i * 32 + j] = d * static_cast<float>(q5_code(b[i].qs, b[i].qh, j)) + m;
  }
}

void quantize_row_q5_1(const float* src, void* dst, int64_t n) {
  BlockQ5_1* b = static_cast<BlockQ5_1*>(dst);
  uint8_t L[32];
  for (int64_t i = 0; i < n / 32; ++i) {
    const float* x = src + i * 32;
    const AffineFit f = fit_affine(x, 32, 31, false, L);
    b[i].d = f32_to_fp16(f.scale);
    b[i].m = f32_to_fp16(f.offset);
    const float d = fp16_to_f32(b[i].d), m = fp16_to_f32(b[i].m);
    const float id = d != 0 ? 1.0f / d : 0.0f;
    for (int j = 0; j < 32; ++j) L[j] = static_cast<uint8_t>(clamp_int(nearest_int((x[j] - m) * id), 0, 31));
    pack_q5(L, b[i].qs, b[i].qh);
  }
}

float vec_dot_q5_1_q8_0(int64_t n, const void* w, const void* act) {
  const BlockQ5_1* x = static_cast<const BlockQ5_1*>(w);
  const BlockQ8_0* y = static_cast<const BlockQ8_0*>(act);
  double s = 0;
  for (int64_t i = 0; i < n / 32; ++i) {
    int32_t sumi = 0, sumy = 0;
    for (int j = 0; j < 32; ++j) {
      sumi += q5_code(x[i].qs, x[i].qh, j) * y[i].qs[j];
      sumy += y[i].qs[j];
    }
    const double dy = fp16_to_f32(y[i].d);
    s += dy * (static_cast<double>(fp16_to_f32(x[i].d)) * sumi + static_cast<double>(fp16_to_f32(x[i].m)) * sumy);
  }
  return static_cast<float>(s);
}

}  // namespace hymt
