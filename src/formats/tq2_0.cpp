// tq2_0.cpp: TQ2_0 (spec §5.8): ternary weights as 2-bit codes, w = (q - 1) * d (code 3 unused).
// Byte j + m (j in {0, 32}) holds weights 4j + 32l + m at bits 2l. Dot against Q8_K.
#include "core/half.h"
#include "formats/blocks.h"
#include "formats/format_ref.h"
#include "formats/quant_search.h"

namespace hymt {

namespace {
void unpack(const BlockTQ2_0& b, int8_t* w) {
  for (int j = 0; j < 64; j += 32)
    for (int l = 0; l < 4; ++l)
      for (int m = 0; m < 32; ++m) w[4 * j + 32 * l + m] = static_cast<int8_t>(((b.qs[j + m] >> (2 * l)) & 3) - 1);
}
}  // namespace

void dequantize_row_tq2_0(const void* src, float* dst, int64_t n) {
  const BlockTQ2_0* b = static_cast<const BlockTQ2_0*>(src);
  int8_t w[kQK_K];
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    unpack(b[i], w);
    const float d = fp16_to_f32(b[i].d);
    for (int j = 0; j < kQK_K; ++j) dst[i * kQK_K + j] = d * static_cast<float>(w[j]);
  }
}

// Exact least-squares ternary fit, as TQ1_0 (tq1_0.cpp).
void quantize_row_tq2_0(const float* src, void* dst, int64_t n) {
  BlockTQ2_0* b = static_cast<BlockTQ2_0*>(dst);
  int8_t t[kQK_K];
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    b[i].d = f32_to_fp16(fit_ternary(src + i * kQK_K, kQK_K, t));
    for (int j = 0; j < 64; j += 32)
      for (int m = 0; m < 32; ++m) {
        int v = 0;
        for (int l = 0; l < 4; ++l) v |= (t[4 * j + 32 * l + m] + 1) << (2 * l);
        b[i].qs[j + m] = static_cast<uint8_t>(v);
      }
  }
}

float vec_dot_tq2_0_q8_k(int64_t n, const void* w, const void* act) {
  const BlockTQ2_0* x = static_cast<const BlockTQ2_0*>(w);
  const BlockQ8_K* y = static_cast<const BlockQ8_K*>(act);
  int8_t q[kQK_K];
  double s = 0;
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    unpack(x[i], q);
    int32_t sumi = 0;
    for (int j = 0; j < kQK_K; ++j) sumi += q[j] * y[i].qs[j];
    s += static_cast<double>(y[i].d) * fp16_to_f32(x[i].d) * sumi;
  }
  return static_cast<float>(s);
}

}  // namespace hymt
