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

// What differs between the packed formats: the file's block, the packed block size, the code
// offset, how a row's codes are stored in the group (store) and how code c of weight 4k + b of
// row r is read back (code; unsigned, weights 4k .. 4k+3 lined up with activations 4k .. 4k+3).
struct Q4x16 {
  using Block = BlockQ4_0;
  static constexpr size_t kBlockBytes = kQ4_0x16BlockBytes;
  static constexpr int32_t kOffset = 8;
  static void store(const Block& b, int r, uint8_t* g) {
    for (int j = 0; j < 4; ++j) std::memcpy(g + kPackedScaleBytes + 64 * j + 4 * r, b.qs + 4 * j, 4);
  }
  static int32_t code(const uint8_t* g, int r, int k, int b) {  // k < 4: low nibbles, else high
    const uint8_t q = g[kPackedScaleBytes + 64 * (k & 3) + 4 * r + b];
    return k < 4 ? (q & 0x0F) : (q >> 4);
  }
};
struct Q8x16 {
  using Block = BlockQ8_0;
  static constexpr size_t kBlockBytes = kQ8_0x16BlockBytes;
  static constexpr int32_t kOffset = 128;
  static void store(const Block& b, int r, uint8_t* g) {
    for (int j = 0; j < 8; ++j)
      for (int k = 0; k < 4; ++k)
        g[kPackedScaleBytes + 64 * j + 4 * r + k] = static_cast<uint8_t>(b.qs[4 * j + k]) ^ 0x80;
  }
  static int32_t code(const uint8_t* g, int r, int k, int b) { return g[kPackedScaleBytes + 64 * k + 4 * r + b]; }
};

template <class F>
size_t packed_bytes(int64_t ne0) {
  return static_cast<size_t>(ne0 / 32) * F::kBlockBytes;
}

template <class F>
void pack(const uint8_t* rows, size_t row_bytes, int64_t ne0, uint8_t* dst) {
  const int64_t nb = ne0 / 32;
  for (int64_t i = 0; i < nb; ++i) {
    uint8_t* g = dst + static_cast<size_t>(i) * F::kBlockBytes;
    for (int r = 0; r < kPackRows; ++r) {
      const auto& b = reinterpret_cast<const typename F::Block*>(rows + static_cast<size_t>(r) * row_bytes)[i];
      std::memcpy(g + 2 * r, &b.d, 2);
      F::store(b, r, g);
    }
  }
}

template <class F>
void gemm_ref(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t* sums,
              int64_t sums_stride, int nt, float* y, int64_t ldy) {
  const int64_t nb = ne0 / 32;
  for (int t = 0; t < nt; ++t) {
    const BlockQ8_0* x = reinterpret_cast<const BlockQ8_0*>(act + static_cast<size_t>(t) * as);
    for (int r = 0; r < kPackRows; ++r) {
      float acc = 0;
      for (int64_t i = 0; i < nb; ++i) {
        const uint8_t* g = group + static_cast<size_t>(i) * F::kBlockBytes;
        uint16_t dh;
        std::memcpy(&dh, g + 2 * r, 2);
        int32_t isum = -F::kOffset * sums[t * sums_stride + i];
        for (int k = 0; k < 8; ++k)
          for (int b = 0; b < 4; ++b) isum += F::code(g, r, k, b) * x[i].qs[4 * k + b];
        acc = std::fma(static_cast<float>(isum), fp16_to_f32(dh) * fp16_to_f32(x[i].d), acc);
      }
      y[t * ldy + r] = acc;
    }
  }
}

template <class F>
PackedKernel kernel() {
  return {packed_bytes<F>, pack<F>, gemm_ref<F>};
}

}  // namespace

PackedKernel packed_reference(WeightType t) {
  PackedKernel k;
  if (t == WeightType::kQ4_0) k = kernel<Q4x16>();
  if (t == WeightType::kQ8_0) k = kernel<Q8x16>();
  return k;
}

}  // namespace hymt
