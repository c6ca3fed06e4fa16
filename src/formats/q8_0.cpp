// q8_0.cpp: Q8_0 (spec §5.2): 32 weights -> {fp16 d, int8 qs[32]}, w = d*qs.
// Activations for the dot product are quantized to Q8_0 as well (per 32 values), the pairing
// llama.cpp uses, so integer products are exact and only the two scales round.
#include <cmath>

#include "core/half.h"
#include "formats/blocks.h"
#include "formats/format_ref.h"

namespace hymt {

void dequantize_row_q8_0(const void* src, float* dst, int64_t n) {
  const BlockQ8_0* b = static_cast<const BlockQ8_0*>(src);
  for (int64_t i = 0; i < n / 32; ++i) {
    const float d = fp16_to_f32(b[i].d);
    for (int j = 0; j < 32; ++j) dst[i * 32 + j] = d * static_cast<float>(b[i].qs[j]);
  }
}

// Scale = absmax/127 stored as fp16; q = round(x / scale) with round-half-away-from-zero (roundf),
// the rounding ggml's reference quantizer uses, so files we write match theirs bit for bit.
void quantize_row_q8_0(const float* src, void* dst, int64_t n) {
  BlockQ8_0* b = static_cast<BlockQ8_0*>(dst);
  for (int64_t i = 0; i < n / 32; ++i) {
    const float* x = src + i * 32;
    float amax = 0;
    for (int j = 0; j < 32; ++j) amax = std::fmax(amax, std::fabs(x[j]));
    const float d = amax / 127.0f;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    b[i].d = f32_to_fp16(d);
    for (int j = 0; j < 32; ++j) b[i].qs[j] = static_cast<int8_t>(std::roundf(x[j] * id));
  }
}

float vec_dot_q8_0_q8_0(int64_t n, const void* w, const void* act) {
  const BlockQ8_0* a = static_cast<const BlockQ8_0*>(w);
  const BlockQ8_0* b = static_cast<const BlockQ8_0*>(act);
  float s = 0;
  for (int64_t i = 0; i < n / 32; ++i) {
    int32_t sumi = 0;
    for (int j = 0; j < 32; ++j) sumi += static_cast<int32_t>(a[i].qs[j]) * b[i].qs[j];
    s += static_cast<float>(sumi) * fp16_to_f32(a[i].d) * fp16_to_f32(b[i].d);
  }
  return s;
}

}  // namespace hymt
