// q8_k.cpp: Q8_K (spec §5.9), the activation format of the K-quants, TQ1_0/TQ2_0, STQ1_0 and Q2_0C.
// 256 values -> {float d, int8 qs[256], int16 bsums[16]}. Quantization follows llama.cpp's
// reference exactly (signed extreme -> -127, ties to even, d = 1/iscale), so activations match
// theirs bit for bit; bsums let a dot product subtract per-16 activation sums without re-adding.
#include <cmath>

#include "formats/blocks.h"
#include "formats/format_ref.h"
#include "formats/quant_search.h"

namespace hymt {

void quantize_row_q8_k(const float* src, void* dst, int64_t n) {
  BlockQ8_K* b = static_cast<BlockQ8_K*>(dst);
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const float* x = src + i * kQK_K;
    float max = 0, amax = 0;  // max keeps its sign: the extreme maps to -127 exactly
    for (int j = 0; j < kQK_K; ++j) {
      const float ax = std::fabs(x[j]);
      if (ax > amax) {
        amax = ax;
        max = x[j];
      }
    }
    BlockQ8_K& y = b[i];
    if (amax == 0) {
      y.d = 0;
      for (int j = 0; j < kQK_K; ++j) y.qs[j] = 0;
      for (int j = 0; j < kQK_K / 16; ++j) y.bsums[j] = 0;
      continue;
    }
    const float iscale = -127.0f / max;
    for (int j = 0; j < kQK_K; ++j) {
      // Only +127 can overflow (the extreme itself lands on -127); clamp that side as ggml does.
      const int v = nearest_int(iscale * x[j]);
      y.qs[j] = static_cast<int8_t>(v > 127 ? 127 : v);
    }
    for (int j = 0; j < kQK_K / 16; ++j) {
      int s = 0;
      for (int k = 0; k < 16; ++k) s += y.qs[16 * j + k];
      y.bsums[j] = static_cast<int16_t>(s);
    }
    y.d = 1.0f / iscale;
  }
}

void dequantize_row_q8_k(const void* src, float* dst, int64_t n) {
  const BlockQ8_K* b = static_cast<const BlockQ8_K*>(src);
  for (int64_t i = 0; i < n / kQK_K; ++i)
    for (int j = 0; j < kQK_K; ++j) dst[i * kQK_K + j] = b[i].d * static_cast<float>(b[i].qs[j]);
}

// Q8_K weights are not a file format anyone ships; the dot exists so Q8_K works as a --type in
// generated models and as the simplest check of the activation path.
float vec_dot_q8_k_q8_k(int64_t n, const void* w, const void* act) {
  const BlockQ8_K* a = static_cast<const BlockQ8_K*>(w);
  const BlockQ8_K* b = static_cast<const BlockQ8_K*>(act);
  double s = 0;
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    int32_t sumi = 0;
    for (int j = 0; j < kQK_K; ++j) sumi += static_cast<int32_t>(a[i].qs[j]) * b[i].qs[j];
    s += static_cast<double>(a[i].d) * b[i].d * sumi;
  }
  return static_cast<float>(s);
}

}  // namespace hymt
