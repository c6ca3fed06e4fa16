// q4_0.cpp: Q4_0 (spec §5.3): 32 weights -> {fp16 d, 16 bytes of nibbles}, w = d * (q - 8); byte j
// holds weight j (low nibble) and j + 16 (high). Dot product against Q8_0 activations, as in
// llama.cpp: the integer sum is exact and the two fp16 scales are applied once per block.
#include "core/half.h"
#include "formats/blocks.h"
#include "formats/format_ref.h"
#include "formats/quant_search.h"

namespace hymt {

void dequantize_row_q4_0(const void* src, float* dst, int64_t n) {
  const BlockQ4_0* b = static_cast<const BlockQ4_0*>(src);
  for (int64_t i = 0; i < n / 32; ++i) {
    const float d = fp16_to_f32(b[i].d);
    float* y = dst + i * 32;
    for (int j = 0; j < 16; ++j) {
      y[j] = d * static_cast<float>((b[i].qs[j] & 0xF) - 8);
      y[j + 16] = d * static_cast<float>((b[i].qs[j] >> 4) - 8);
    }
  }
}

// Symmetric least-squares search over codes -8..7 (quant_search.h), then the codes are chosen
// again for the fp16-rounded scale, so the stored block is the best fit for the stored d.
void quantize_row_q4_0(const float* src, void* dst, int64_t n) {
  BlockQ4_0* b = static_cast<BlockQ4_0*>(dst);
  int8_t L[32];
  for (int64_t i = 0; i < n / 32; ++i) {
    const float* x = src + i * 32;
    b[i].d = f32_to_fp16(fit_symmetric(x, 32, -8, 7, L));
    const float d = fp16_to_f32(b[i].d);
    const float id = d != 0 ? 1.0f / d : 0.0f;
    for (int j = 0; j < 32; ++j) L[j] = static_cast<int8_t>(clamp_int(nearest_int(x[j] * id), -8, 7));
    for (int j = 0; j < 16; ++j) b[i].qs[j] = static_cast<uint8_t>((L[j] + 8) | ((L[j + 16] + 8) << 4));
  }
}

float vec_dot_q4_0_q8_0(int64_t n, const void* w, const void* act) {
  const BlockQ4_0* x = static_cast<const BlockQ4_0*>(w);
  const BlockQ8_0* y = static_cast<const BlockQ8_0*>(act);
  double s = 0;
  for (int64_t i = 0; i < n / 32; ++i) {
    int32_t sumi = 0;
    for (int j = 0; j < 16; ++j) {
      sumi += ((x[i].qs[j] & 0xF) - 8) * y[i].qs[j];
      sumi += ((x[i].qs[j] >> 4) - 8) * y[i].qs[j + 16];
    }
    s += static_cast<double>(fp16_to_f32(x[i].d)) * fp16_to_f32(y[i].d) * sumi;
  }
  return static_cast<float>(s);
}

}  // namespace hymt
