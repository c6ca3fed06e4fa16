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
#include "formats/quant_search.h"

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
  static void load(const uint8_t* g, int r, Block& b) {
    for (int j = 0; j < 4; ++j) std::memcpy(b.qs + 4 * j, g + kPackedScaleBytes + 64 * j + 4 * r, 4);
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
  static void load(const uint8_t* g, int r, Block& b) {
    for (int j = 0; j < 8; ++j)
      for (int k = 0; k < 4; ++k) b.qs[4 * j + k] = static_cast<int8_t>(g[kPackedScaleBytes + 64 * j + 4 * r + k] ^ 0x80);
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
void unpack_row(const uint8_t* group, int64_t ne0, int r, uint8_t* dst) {
  for (int64_t i = 0; i < ne0 / 32; ++i) {
    const uint8_t* g = group + static_cast<size_t>(i) * F::kBlockBytes;
    auto& b = reinterpret_cast<typename F::Block*>(dst)[i];
    std::memcpy(&b.d, g + 2 * r, 2);
    F::load(g, r, b);
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
  return {packed_bytes<F>, pack<F>, unpack_row<F>, gemm_ref<F>};
}

// --- k-quants (Q8_K activations), per 256-weight superblock --------------------------------------
// Integer sums per superblock and row: Q4_K isc = sum_j sc_j * sum(q x) over sub-block j and
// imin = sum_j m_j * (sum of x over sub-block j), then acc = fma(isc, d * d_x, acc) and
// acc = fma(-imin, dmin * d_x, acc). Q6_K: isc = sum_s sc_s * (sum(q x) - 32 * bsum_s), then
// acc = fma(isc, d * d_x, acc).

size_t q4k_bytes(int64_t ne0) { return static_cast<size_t>(ne0 / kQK_K) * kQ4_Kx16BlockBytes; }
size_t q6k_bytes(int64_t ne0) { return static_cast<size_t>(ne0 / kQK_K) * kQ6_Kx16BlockBytes; }

// Gathers row r's 4-byte groups back (the inverse of scatter_chunks).
void gather_chunks(const uint8_t* src, int n_chunks, int r, uint8_t* dst) {
  for (int c = 0; c < n_chunks; ++c) std::memcpy(dst + 4 * c, src + 64 * c + 4 * r, 4);
}

// Scatters row r's 4-byte groups of src (n_chunks of them) into 64-byte chunks at dst.
void scatter_chunks(const uint8_t* src, int n_chunks, int r, uint8_t* dst) {
  for (int c = 0; c < n_chunks; ++c) std::memcpy(dst + 64 * c + 4 * r, src + 4 * c, 4);
}

void pack_q4k(const uint8_t* rows, size_t row_bytes, int64_t ne0, uint8_t* dst) {
  for (int64_t i = 0; i < ne0 / kQK_K; ++i) {
    uint8_t* g = dst + static_cast<size_t>(i) * kQ4_Kx16BlockBytes;
    for (int r = 0; r < kPackRows; ++r) {
      const auto& b = reinterpret_cast<const BlockQ4_K*>(rows + static_cast<size_t>(r) * row_bytes)[i];
      std::memcpy(g + 2 * r, &b.d, 2);
      std::memcpy(g + 32 + 2 * r, &b.dmin, 2);
      for (int j = 0; j < 8; ++j) {
        int sc, m;
        get_scale_min_k4(j, b.scales, &sc, &m);
        g[kQ4_Kx16Scales + 16 * j + r] = static_cast<uint8_t>(sc);
        g[kQ4_Kx16Mins + 32 * (j / 2) + 2 * r + j % 2] = static_cast<uint8_t>(m);
      }
      for (int p = 0; p < 4; ++p) scatter_chunks(b.qs + 32 * p, 8, r, g + kQ4_Kx16Qs + 512 * p);
    }
  }
}

void unpack_row_q4k(const uint8_t* group, int64_t ne0, int r, uint8_t* dst) {
  for (int64_t i = 0; i < ne0 / kQK_K; ++i) {
    const uint8_t* g = group + static_cast<size_t>(i) * kQ4_Kx16BlockBytes;
    auto& b = reinterpret_cast<BlockQ4_K*>(dst)[i];
    std::memcpy(&b.d, g + 2 * r, 2);
    std::memcpy(&b.dmin, g + 32 + 2 * r, 2);
    int sc[8], m[8];
    for (int j = 0; j < 8; ++j) {
      sc[j] = g[kQ4_Kx16Scales + 16 * j + r];
      m[j] = g[kQ4_Kx16Mins + 32 * (j / 2) + 2 * r + j % 2];
    }
    pack_scale_min_k4(sc, m, b.scales);  // 8 x (6 + 6) bits fill the 12 bytes: the exact inverse
    for (int p = 0; p < 4; ++p) gather_chunks(g + kQ4_Kx16Qs + 512 * p, 8, r, b.qs + 32 * p);
  }
}

void unpack_row_q6k(const uint8_t* group, int64_t ne0, int r, uint8_t* dst) {
  for (int64_t i = 0; i < ne0 / kQK_K; ++i) {
    const uint8_t* g = group + static_cast<size_t>(i) * kQ6_Kx16BlockBytes;
    auto& b = reinterpret_cast<BlockQ6_K*>(dst)[i];
    std::memcpy(&b.d, g + 2 * r, 2);
    for (int s = 0; s < 16; ++s) b.scales[s] = static_cast<int8_t>(g[kQ6_Kx16Scales + 16 * s + r]);
    for (int n = 0; n < 2; ++n) {
      gather_chunks(g + kQ6_Kx16Ql + 1024 * n, 16, r, b.ql + 64 * n);
      gather_chunks(g + kQ6_Kx16Qh + 512 * n, 8, r, b.qh + 32 * n);
    }
  }
}

void pack_q6k(const uint8_t* rows, size_t row_bytes, int64_t ne0, uint8_t* dst) {
  for (int64_t i = 0; i < ne0 / kQK_K; ++i) {
    uint8_t* g = dst + static_cast<size_t>(i) * kQ6_Kx16BlockBytes;
    for (int r = 0; r < kPackRows; ++r) {
      const auto& b = reinterpret_cast<const BlockQ6_K*>(rows + static_cast<size_t>(r) * row_bytes)[i];
      std::memcpy(g + 2 * r, &b.d, 2);
      for (int s = 0; s < 16; ++s) g[kQ6_Kx16Scales + 16 * s + r] = static_cast<uint8_t>(b.scales[s]);
      for (int n = 0; n < 2; ++n) {
        scatter_chunks(b.ql + 64 * n, 16, r, g + kQ6_Kx16Ql + 1024 * n);
        scatter_chunks(b.qh + 32 * n, 8, r, g + kQ6_Kx16Qh + 512 * n);
      }
    }
  }
}

void gemm_ref_q4k(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t*, int64_t, int nt,
                  float* y, int64_t ldy) {
  for (int t = 0; t < nt; ++t)
    for (int r = 0; r < kPackRows; ++r) {
      float acc = 0;
      for (int64_t i = 0; i < ne0 / kQK_K; ++i) {
        const uint8_t* g = group + static_cast<size_t>(i) * kQ4_Kx16BlockBytes;
        const BlockQ8_K& x = reinterpret_cast<const BlockQ8_K*>(act + static_cast<size_t>(t) * as)[i];
        int32_t isc = 0, imin = 0;
        for (int j = 0; j < 8; ++j) {
          const int p = j / 2, shift = 4 * (j % 2);
          int32_t s = 0;
          for (int c = 0; c < 8; ++c)
            for (int b = 0; b < 4; ++b)
              s += (g[kQ4_Kx16Qs + 512 * p + 64 * c + 4 * r + b] >> shift & 15) * x.qs[32 * j + 4 * c + b];
          isc += s * g[kQ4_Kx16Scales + 16 * j + r];
          imin += g[kQ4_Kx16Mins + 32 * p + 2 * r + j % 2] * (x.bsums[2 * j] + x.bsums[2 * j + 1]);
        }
        uint16_t dh, mh;
        std::memcpy(&dh, g + 2 * r, 2);
        std::memcpy(&mh, g + 32 + 2 * r, 2);
        acc = std::fma(static_cast<float>(isc), fp16_to_f32(dh) * x.d, acc);
        acc = std::fma(-static_cast<float>(imin), fp16_to_f32(mh) * x.d, acc);
      }
      y[t * ldy + r] = acc;
    }
}

// The 6-bit code of weight 128n + 32m + 4c + b (c < 8) of row r, from the packed group.
int32_t q6k_code(const uint8_t* g, int r, int n, int m, int c, int b) {
  const uint8_t ql = g[kQ6_Kx16Ql + 1024 * n + 64 * (c + 8 * (m & 1)) + 4 * r + b];
  const uint8_t qh = g[kQ6_Kx16Qh + 512 * n + 64 * c + 4 * r + b];
  return (m < 2 ? ql & 15 : ql >> 4) | (qh >> (2 * m) & 3) << 4;
}

void gemm_ref_q6k(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t*, int64_t, int nt,
                  float* y, int64_t ldy) {
  for (int t = 0; t < nt; ++t)
    for (int r = 0; r < kPackRows; ++r) {
      float acc = 0;
      for (int64_t i = 0; i < ne0 / kQK_K; ++i) {
        const uint8_t* g = group + static_cast<size_t>(i) * kQ6_Kx16BlockBytes;
        const BlockQ8_K& x = reinterpret_cast<const BlockQ8_K*>(act + static_cast<size_t>(t) * as)[i];
        int32_t isc = 0;
        for (int n = 0; n < 2; ++n)
          for (int m = 0; m < 4; ++m)
            for (int h = 0; h < 2; ++h) {
              const int sb = 8 * n + 2 * m + h;
              int32_t s = -32 * x.bsums[sb];
              for (int c = 4 * h; c < 4 * h + 4; ++c)
                for (int b = 0; b < 4; ++b) s += q6k_code(g, r, n, m, c, b) * x.qs[16 * sb + 4 * (c - 4 * h) + b];
              isc += s * static_cast<int8_t>(g[kQ6_Kx16Scales + 16 * sb + r]);
            }
        uint16_t dh;
        std::memcpy(&dh, g + 2 * r, 2);
        acc = std::fma(static_cast<float>(isc), fp16_to_f32(dh) * x.d, acc);
      }
      y[t * ldy + r] = acc;
    }
}

}  // namespace

PackedKernel packed_reference(WeightType t) {
  PackedKernel k;
  if (t == WeightType::kQ4_0) k = kernel<Q4x16>();
  if (t == WeightType::kQ8_0) k = kernel<Q8x16>();
  if (t == WeightType::kQ4_K) k = {q4k_bytes, pack_q4k, unpack_row_q4k, gemm_ref_q4k};
  if (t == WeightType::kQ6_K) k = {q6k_bytes, pack_q6k, unpack_row_q6k, gemm_ref_q6k};
  return k;
}

}  // namespace hymt
