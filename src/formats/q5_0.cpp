// q5_0.cpp: Q5_0: 32 weights -> {fp16 d, uint32 qh (LE), 16 bytes of nibbles}, w = d * (q - 16)
// with q = nibble | (bit j of qh) << 4 for weight j (nibble order as Q4_0). Dot against Q8_0.
#include "core/half.h"
#include "formats/blocks.h"
#include "formats/format_ref.h"
#include "formats/quant_search.h"

namespace hymt {

namespace {
uint32_t load_qh(const uint8_t* qh) {
  return static_cast<uint32_t>(qh[0]) | static_cast<uint32_t>(qh[1]) << 8 | static_cast<uint32_t>(qh[2]) << 16 |
         static_cast<uint32_t>(qh[3]) << 24;
}
// Code (0..31) of weight j of a Q5_0 / Q5_1 block.
int code5(const uint8_t* qs, uint32_t qh, int j) {
  const int lo = j < 16 ? (qs[j] & 0xF) : (qs[j - 16] >> 4);
  return lo | static_cast<int>((qh >> j) & 1u) << 4;
}
}  // namespace

int q5_code(const uint8_t* qs, const uint8_t* qh, int j) { return code5(qs, load_qh(qh), j); }

void pack_q5(const uint8_t* L, uint8_t* qs, uint8_t* qh) {
  uint32_t h = 0;
  for (int j = 0; j < 16; ++j) qs[j] = static_cast<uint8_t>((L[j] & 0xF) | (L[j + 16] & 0xF) << 4);
  for (int j = 0; j < 32; ++j) h |= static_cast<uint32_t>(L[j] >> 4) << j;
  for (int k = 0; k < 4; ++k) qh[k] = static_cast<uint8_t>(h >> (8 * k));
}

void dequantize_row_q5_0(const void* src, float* dst, int64_t n) {
  const BlockQ5_0* b = static_cast<const BlockQ5_0*>(src);
  for (int64_t i = 0; i < n / 32; ++i) {
    const float d = fp16_to_f32(b[i].d);
    const uint32_t qh = load_qh(b[i].qh);
    for (int j = 0; j < 32; ++j) dst[i * 32 + j] = d * static_cast<float>(code5(b[i].qs, qh, j) - 16);
  }
}

void quantize_row_q5_0(const float* src, void* dst, int64_t n) {
  BlockQ5_0* b = static_cast<BlockQ5_0*>(dst);
  int8_t S[32];
  uint8_t L[32];
  for (int64_t i = 0; i < n / 32; ++i) {
    const float* x = src + i * 32;
    b[i].d = f32_to_fp16(fit_symmetric(x, 32, -16, 15, S));
    const float d = fp16_to_f32(b[i].d);
    const float id = d != 0 ? 1.0f / d : 0.0f;
    for (int j = 0; j < 32; ++j) L[j] = static_cast<uint8_t>(clamp_int(nearest_int(x[j] * id), -16, 15) + 16);
    pack_q5(L, b[i].qs, b[i].qh);
  }
}

float vec_dot_q5_0_q8_0(int64_t n, const void* w, const void* act) {
  const BlockQ5_0* x = static_cast<const BlockQ5_0*>(w);
  const BlockQ8_0* y = static_cast<const BlockQ8_0*>(act);
  double s = 0;
  for (int64_t i = 0; i < n / 32; ++i) {
    const uint32_t qh = load_qh(x[i].qh);
    int32_t sumi = 0;
    for (int j = 0; j < 32; ++j) sumi += (code5(x[i].qs, qh, j) - 16) * y[i].qs[j];
    s += static_cast<double>(fp16_to_f32(x[i].d)) * fp16_to_f32(y[i].d) * sumi;
  }
  return static_cast<float>(s);
}

}  // namespace hymt
