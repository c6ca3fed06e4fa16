// q4_1.cpp: Q4_1: 32 weights -> {fp16 d, fp16 m, 16 bytes of nibbles}, w = d * q + m (nibble order
// as Q4_0). Paired with Q8_0 activations (llama.cpp uses Q8_1, whose codes and d are identical to
// Q8_0's; its extra field is the fp16-rounded activation sum, which we compute exactly instead).
#include "core/half.h"
#include "formats/blocks.h"
#include "formats/format_ref.h"
#include "formats/quant_search.h"

namespace hymt {

void dequantize_row_q4_1(const void* src, float* dst, int64_t n) {
  const BlockQ4_1* b = static_cast<const BlockQ4_1*>(src);
  for (int64_t i = 0; i < n / 32; ++i) {
    const float d = fp16_to_f32(b[i].d), m = fp16_to_f32(b[i].m);
    float* y = dst + i * 32;
    for (int j = 0; j < 16; ++j) {
      y[j] = d * static_cast<float>(b[i].qs[j] & 0xF) + m;
      y[j + 16] = d * static_cast<float>(b[i].qs[j] >> 4) + m;
    }
  }
}

// Affine least-squares search over codes 0..15 with a free offset, then codes re-chosen for the
// fp16-rounded d and m.
void quantize_row_q4_1(const float* src, void* dst, int64_t n) {
  BlockQ4_1* b = static_cast<BlockQ4_1*>(dst);
  uint8_t L[32];
  for (int64_t i = 0; i < n / 32; ++i) {
    const float* x = src + i * 32;
    const AffineFit f = fit_affine(x, 32, 15, false, L);
    b[i].d = f32_to_fp16(f.scale);
    b[i].m = f32_to_fp16(f.offset);
    const float d = fp16_to_f32(b[i].d), m = fp16_to_f32(b[i].m);
    const float id = d != 0 ? 1.0f / d : 0.0f;
    for (int j = 0; j < 32; ++j) L[j] = static_cast<uint8_t>(clamp_int(nearest_int((x[j] - m) * id), 0, 15));
    for (int j = 0; j < 16; ++j) b[i].qs[j] = static_cast<uint8_t>(L[j] | (L[j + 16] << 4));
  }
}

float vec_dot_q4_1_q8_0(int64_t n, const void* w, const void* act) {
  const BlockQ4_1* x = static_cast<const BlockQ4_1*>(w);
  const BlockQ8_0* y = static_cast<const BlockQ8_0*>(act);
  double s = 0;
  for (int64_t i = 0; i < n / 32; ++i) {
    int32_t sumi = 0, sumy = 0;
    for (int j = 0; j < 16; ++j) {
      sumi += (x[i].qs[j] & 0xF) * y[i].qs[j] + (x[i].qs[j] >> 4) * y[i].qs[j + 16];
      sumy += y[i].qs[j] + y[i].qs[j + 16];
    }
    const double dy = fp16_to_f32(y[i].d);
    s += dy * (static_cast<double>(fp16_to_f32(x[i].d)) * sumi + static_cast<double>(fp16_to_f32(x[i].m)) * sumy);
  }
  return static_cast<float>(s);
}

}  // namespace hymt
