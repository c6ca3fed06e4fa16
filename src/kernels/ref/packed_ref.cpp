// packed_ref.cpp: the packed layouts' scalar references (dispatch.h PackedKernel): the packing
// itself, used by every path, and a scalar product with exactly the SIMD kernels' arithmetic
// (integer block sums, then one fused multiply-add per block: acc = fma(float(isum), d_w * d_x,
// acc)), so tests can require bit-identical results.
#include <cmath>
#include <cstring>

#include "core/half.h"
#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/packed_layout.h"

namespace hymt {

namespace {

size_t q4_0x16_bytes(int64_t ne0) { return static_cast<size_t>(ne0 / 32) * kQ4_0x16BlockBytes; }

void q4_0x16_pack(const uint8_t* rows, size_t row_bytes, int64_t ne0, uint8_t* dst) {
  const int64_t nb = ne0 / 32;
  for (int64_t i = 0; i < nb; ++i) {
    uint8_t* g = dst + static_cast<size_t>(i) * kQ4_0x16BlockBytes;
    for (int r = 0; r < kPackRows; ++r) {
      const BlockQ4_0& b = reinterpret_cast<const BlockQ4_0*>(rows + static_cast<size_t>(r) * row_bytes)[i];
      std::memcpy(g + 2 * r, &b.d, 2);
      for (int j = 0; j < 4; ++j) std::memcpy(g + kPackedScaleBytes + 64 * j + 4 * r, b.qs + 4 * j, 4);
    }
  }
}

void q4_0x16_gemm_ref(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t* sums,
                      int64_t sums_stride, int nt, float* y, int64_t ldy) {
  const int64_t nb = ne0 / 32;
  for (int t = 0; t < nt; ++t) {
    const BlockQ8_0* x = reinterpret_cast<const BlockQ8_0*>(act + static_cast<size_t>(t) * as);
    for (int r = 0; r < kPackRows; ++r) {
      float acc = 0;
      for (int64_t i = 0; i < nb; ++i) {
        const uint8_t* g = group + static_cast<size_t>(i) * kQ4_0x16BlockBytes;
        uint16_t dh;
        std::memcpy(&dh, g + 2 * r, 2);
        int32_t isum = -8 * sums[t * sums_stride + i];
        for (int j = 0; j < 4; ++j)
          for (int b = 0; b < 4; ++b) {
            const uint8_t q = g[kPackedScaleBytes + 64 * j + 4 * r + b];
            isum += (q & 0x0F) * x[i].qs[4 * j + b] + (q >> 4) * x[i].qs[16 + 4 * j + b];
          }
        acc = std::fma(static_cast<float>(isum), fp16_to_f32(dh) * fp16_to_f32(x[i].d), acc);
      }
      y[t * ldy + r] = acc;
    }
  }
}

size_t q8_0x16_bytes(int64_t ne0) { return static_cast<size_t>(ne0 / 32) * kQ8_0x16BlockBytes; }

void q8_0x16_pack(const uint8_t* rows, size_t row_bytes, int64_t ne0, uint8_t* dst) {
  const int64_t nb = ne0 / 32;
  for (int64_t i = 0; i < nb; ++i) {
    uint8_t* g = dst + static_cast<size_t>(i) * kQ8_0x16BlockBytes;
    for (int r = 0; r < kPackRows; ++r) {
      const BlockQ8_0& b = reinterpret_cast<const BlockQ8_0*>(rows + static_cast<size_t>(r) * row_bytes)[i];
      std::memcpy(g + 2 * r, &b.d, 2);
      for (int j = 0; j < 8; ++j)
        for (int k = 0; k < 4; ++k)
          g[kPackedScaleBytes + 64 * j + 4 * r + k] = static_cast<uint8_t>(b.qs[4 * j + k]) ^ 0x80;
    }
  }
}

void q8_0x16_gemm_ref(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t* sums,
                      int64_t sums_stride, int nt, float* y, int64_t ldy) {
  const int64_t nb = ne0 / 32;
  for (int t = 0; t < nt; ++t) {
    const BlockQ8_0* x = reinterpret_cast<const BlockQ8_0*>(act + static_cast<size_t>(t) * as);
    for (int r = 0; r < kPackRows; ++r) {
      float acc = 0;
      for (int64_t i = 0; i < nb; ++i) {
        const uint8_t* g = group + static_cast<size_t>(i) * kQ8_0x16BlockBytes;
        uint16_t dh;
        std::memcpy(&dh, g + 2 * r, 2);
        int32_t isum = -128 * sums[t * sums_stride + i];
        for (int j = 0; j < 8; ++j)
          for (int b = 0; b < 4; ++b) isum += g[kPackedScaleBytes + 64 * j + 4 * r + b] * x[i].qs[4 * j + b];
        acc = std::fma(static_cast<float>(isum), fp16_to_f32(dh) * fp16_to_f32(x[i].d), acc);
      }
      y[t * ldy + r] = acc;
    }
  }
}

}  // namespace

PackedKernel packed_reference(WeightType t) {
  PackedKernel k;
  if (t == WeightType::kQ4_0) k = {q4_0x16_bytes, q4_0x16_pack, q4_0x16_gemm_ref};
  if (t == WeightType::kQ8_0) k = {q8_0x16_bytes, q8_0x16_pack, q8_0x16_gemm_ref};
  return k;
}

}  // namespace hymt
