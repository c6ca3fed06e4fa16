// tq1_0.cpp: TQ1_0 (spec §5.8): ternary weights (t - 1) * d, t in {0,1,2}, packed in base 3: five
// trits per qs byte, four per qh byte. A byte stores ceil(v * 256 / 243) for v = sum t_n 3^(4-n),
// so trit n is the top base-3 digit of (byte * 3^n mod 256): `(uint8(byte * 3^n) * 3) >> 8`.
// Dot against Q8_K.
#include "core/half.h"
#include "formats/blocks.h"
#include "formats/format_ref.h"
#include "formats/quant_search.h"

namespace hymt {

namespace {
constexpr int kPow3[5] = {1, 3, 9, 27, 81};

int trit(uint8_t byte, int n) {
  const uint8_t q = static_cast<uint8_t>(byte * kPow3[n]);  // mod 256 on purpose
  return (q * 3) >> 8;
}
// Inverse of trit(): five digits, most significant first.
uint8_t pack_trits(const int* t, int count) {
  int v = 0;
  for (int k = 0; k < 5; ++k) v = v * 3 + (k < count ? t[k] : 0);
  return static_cast<uint8_t>((v * 256 + 242) / 243);  // ceiling division
}

// Signed weights (t - 1) in position order.
void unpack(const BlockTQ1_0& b, int8_t* w) {
  for (int n = 0; n < 5; ++n) {
    for (int m = 0; m < 32; ++m) w[32 * n + m] = static_cast<int8_t>(trit(b.qs[m], n) - 1);
    for (int m = 0; m < 16; ++m) w[160 + 16 * n + m] = static_cast<int8_t>(trit(b.qs[32 + m], n) - 1);
  }
  for (int n = 0; n < 4; ++n)
    for (int m = 0; m < 4; ++m) w[240 + 4 * n + m] = static_cast<int8_t>(trit(b.qh[m], n) - 1);
}
}  // namespace

void dequantize_row_tq1_0(const void* src, float* dst, int64_t n) {
  const BlockTQ1_0* b = static_cast<const BlockTQ1_0*>(src);
  int8_t w[kQK_K];
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    unpack(b[i], w);
    const float d = fp16_to_f32(b[i].d);
    for (int j = 0; j < kQK_K; ++j) dst[i * kQK_K + j] = d * static_cast<float>(w[j]);
  }
}

// Exact least-squares ternary fit per block (quant_search.h fit_ternary), then d rounded to fp16.
// llama.cpp uses d = absmax, which is the same for already-ternary weights and worse otherwise.
void quantize_row_tq1_0(const float* src, void* dst, int64_t n) {
  BlockTQ1_0* b = static_cast<BlockTQ1_0*>(dst);
  int8_t t[kQK_K];
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    b[i].d = f32_to_fp16(fit_ternary(src + i * kQK_K, kQK_K, t));
    int d5[5];
    for (int m = 0; m < 32; ++m) {
      for (int k = 0; k < 5; ++k) d5[k] = t[32 * k + m] + 1;
      b[i].qs[m] = pack_trits(d5, 5);
    }
    for (int m = 0; m < 16; ++m) {
      for (int k = 0; k < 5; ++k) d5[k] = t[160 + 16 * k + m] + 1;
      b[i].qs[32 + m] = pack_trits(d5, 5);
    }
    for (int m = 0; m < 4; ++m) {
      for (int k = 0; k < 4; ++k) d5[k] = t[240 + 4 * k + m] + 1;
      b[i].qh[m] = pack_trits(d5, 4);
    }
  }
}

float vec_dot_tq1_0_q8_k(int64_t n, const void* w, const void* act) {
  const BlockTQ1_0* x = static_cast<const BlockTQ1_0*>(w);
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
