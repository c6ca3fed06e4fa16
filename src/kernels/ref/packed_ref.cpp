// packed_ref.cpp: the packed layouts' scalar references (dispatch.h PackedKernel): the packing
// itself, used by every path, and a scalar product with exactly the SIMD kernels' arithmetic
// (integer block sums, then one fused multiply-add per block: acc = fma(float(isum), d_w * d_x,
// acc)), so tests can require bit-identical results.
#include <algorithm>
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

// --- STQ1_0 (stride-16 lanes), Q8_K activations ----------------------------------------------------
// isum = sum over the block of code * x - sum(x) (codes are value + 1), acc = fma(isum, d * d_x, acc).

size_t stq_bytes(int64_t ne0) { return static_cast<size_t>(ne0 / kQK_K) * kSTQ1_0x16BlockBytes; }

// Where group g's slot nibble and sign bit of row r lie in a packed block.
struct StqPlace {
  size_t quad;  // offset of the quad
  int k;        // position 4r + v in the quad
};
StqPlace stq_place(int g, int r) {
  const int c = g / 16, u = (g % 16) / 4, v = g % 4;
  return {kPackedScaleBytes + static_cast<size_t>(4 * c + u) * kSTQ1_0x16QuadBytes, 4 * r + v};
}

int stq_slot(const uint8_t* q, int k) { return k < 32 ? q[k] & 15 : q[k - 32] >> 4; }
int stq_sign(const uint8_t* q, int k) { return q[32 + k / 8] >> (k % 8) & 1; }

// Byte-wise (packing the head of every load must be quick): quad (c, u) of a row takes its groups
// 16c + 4u .. +3, whose 4 slot nibbles are the file's bytes qs[8c + 2u], qs[8c + 2u + 1] and whose
// 4 sign bits are one nibble of sign[2c + u / 2]; they land on positions 4r .. 4r + 3.
void pack_stq(const uint8_t* rows, size_t row_bytes, int64_t ne0, uint8_t* dst) {
  for (int64_t i = 0; i < ne0 / kQK_K; ++i) {
    uint8_t* g = dst + static_cast<size_t>(i) * kSTQ1_0x16BlockBytes;
    std::memset(g, 0, kSTQ1_0x16BlockBytes);
    for (int r = 0; r < kPackRows; ++r) {
      const auto& b = reinterpret_cast<const BlockSTQ1_0*>(rows + static_cast<size_t>(r) * row_bytes)[i];
      std::memcpy(g + 2 * r, &b.d, 2);
      for (int c = 0; c < 4; ++c)
        for (int u = 0; u < 4; ++u) {
          uint8_t* q = g + kPackedScaleBytes + static_cast<size_t>(4 * c + u) * kSTQ1_0x16QuadBytes;
          // The 4 slot nibbles spread to the 4 bytes of position 4r .. 4r + 3 (low or high nibbles).
          const uint32_t x = b.qs[8 * c + 2 * u] | static_cast<uint32_t>(b.qs[8 * c + 2 * u + 1]) << 8;
          const uint32_t spread = (x & 0xF) | (x & 0xF0) << 4 | (x & 0xF00) << 8 | (x & 0xF000) << 12;
          uint32_t word;
          std::memcpy(&word, q + 4 * (r % 8), 4);
          word |= spread << (r < 8 ? 0 : 4);
          std::memcpy(q + 4 * (r % 8), &word, 4);
          const int signs = b.sign[2 * c + u / 2] >> (4 * (u % 2)) & 15;
          q[32 + r / 2] |= static_cast<uint8_t>(signs << (4 * (r % 2)));
        }
    }
  }
}

void unpack_row_stq(const uint8_t* group, int64_t ne0, int r, uint8_t* dst) {
  for (int64_t i = 0; i < ne0 / kQK_K; ++i) {
    const uint8_t* g = group + static_cast<size_t>(i) * kSTQ1_0x16BlockBytes;
    auto& b = reinterpret_cast<BlockSTQ1_0*>(dst)[i];
    std::memcpy(&b.d, g + 2 * r, 2);
    std::memset(b.qs, 0, sizeof b.qs);
    std::memset(b.sign, 0, sizeof b.sign);
    for (int grp = 0; grp < 64; ++grp) {
      const StqPlace pl = stq_place(grp, r);
      b.qs[grp / 2] |= static_cast<uint8_t>(stq_slot(g + pl.quad, pl.k) << (4 * (grp % 2)));
      b.sign[grp / 8] |= static_cast<uint8_t>(stq_sign(g + pl.quad, pl.k) << (grp % 8));
    }
  }
}

void gemm_ref_stq(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t* sums,
                  int64_t sums_stride, int nt, float* y, int64_t ldy) {
  for (int t = 0; t < nt; ++t)
    for (int r = 0; r < kPackRows; ++r) {
      float acc = 0;
      for (int64_t i = 0; i < ne0 / kQK_K; ++i) {
        const uint8_t* g = group + static_cast<size_t>(i) * kSTQ1_0x16BlockBytes;
        const BlockQ8_K& x = reinterpret_cast<const BlockQ8_K*>(act + static_cast<size_t>(t) * as)[i];
        int32_t isum = -sums[t * sums_stride + i];
        for (int grp = 0; grp < 64; ++grp) {
          const StqPlace pl = stq_place(grp, r);
          const int pack = kStq1_0Codebook[static_cast<size_t>(stq_sign(g + pl.quad, pl.k) << 4 | stq_slot(g + pl.quad, pl.k))];
          for (int p = 0; p < 4; ++p) isum += (pack >> (2 * p) & 3) * x.qs[stq1_0_pos_stride16(grp, p)];
        }
        uint16_t dh;
        std::memcpy(&dh, g + 2 * r, 2);
        acc = std::fma(static_cast<float>(isum), fp16_to_f32(dh) * x.d, acc);
      }
      y[t * ldy + r] = acc;
    }
}

// --- Q2_0C, Q8_K activations (two per 512-weight block) ----------------------------------------------
// Per half h: isum = 2 * sum(c x) - 3 * sum(x), acc = fma(isum, d * d_x, acc).

size_t q2c_bytes(int64_t ne0) { return static_cast<size_t>(ne0 / kQK_Q2_0C) * kQ2_0Cx16BlockBytes; }

int q2c_file_code(const BlockQ2_0C& b, int i) { return b.qs[i / 4] >> (2 * (i % 4)) & 3; }

void pack_q2c(const uint8_t* rows, size_t row_bytes, int64_t ne0, uint8_t* dst) {
  for (int64_t i = 0; i < ne0 / kQK_Q2_0C; ++i) {
    uint8_t* g = dst + static_cast<size_t>(i) * kQ2_0Cx16BlockBytes;
    for (int r = 0; r < kPackRows; ++r) {
      const auto& b = reinterpret_cast<const BlockQ2_0C*>(rows + static_cast<size_t>(r) * row_bytes)[i];
      std::memcpy(g + 2 * r, &b.d, 2);
      for (int G = 0; G < 32; ++G)
        for (int j = 0; j < 4; ++j) {
          int byte = 0;
          for (int p = 0; p < 4; ++p) byte |= q2c_file_code(b, 16 * G + 4 * p + j) << (2 * p);
          g[kPackedScaleBytes + 64 * G + 4 * r + j] = static_cast<uint8_t>(byte);
        }
    }
  }
}

void unpack_row_q2c(const uint8_t* group, int64_t ne0, int r, uint8_t* dst) {
  for (int64_t i = 0; i < ne0 / kQK_Q2_0C; ++i) {
    const uint8_t* g = group + static_cast<size_t>(i) * kQ2_0Cx16BlockBytes;
    auto& b = reinterpret_cast<BlockQ2_0C*>(dst)[i];
    std::memcpy(&b.d, g + 2 * r, 2);
    std::memset(b.qs, 0, sizeof b.qs);
    for (int G = 0; G < 32; ++G)
      for (int j = 0; j < 4; ++j)
        for (int p = 0; p < 4; ++p) {
          const int w = 16 * G + 4 * p + j, c = g[kPackedScaleBytes + 64 * G + 4 * r + j] >> (2 * p) & 3;
          b.qs[w / 4] |= static_cast<uint8_t>(c << (2 * (w % 4)));
        }
  }
}

void gemm_ref_q2c(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t* sums,
                  int64_t sums_stride, int nt, float* y, int64_t ldy) {
  for (int t = 0; t < nt; ++t)
    for (int r = 0; r < kPackRows; ++r) {
      float acc = 0;
      for (int64_t i = 0; i < ne0 / kQK_Q2_0C; ++i) {
        const uint8_t* g = group + static_cast<size_t>(i) * kQ2_0Cx16BlockBytes;
        uint16_t dh;
        std::memcpy(&dh, g + 2 * r, 2);
        for (int h = 0; h < 2; ++h) {
          const BlockQ8_K& x = reinterpret_cast<const BlockQ8_K*>(act + static_cast<size_t>(t) * as)[2 * i + h];
          const int32_t sum_x = sums[t * sums_stride + 2 * i + h];
          int32_t s = 0;
          for (int G = 16 * h; G < 16 * h + 16; ++G)
            for (int p = 0; p < 4; ++p)
              for (int j = 0; j < 4; ++j)
                s += (g[kPackedScaleBytes + 64 * G + 4 * r + j] >> (2 * p) & 3) * x.qs[16 * (G - 16 * h) + 4 * p + j];
          acc = std::fma(static_cast<float>(2 * s - 3 * sum_x), fp16_to_f32(dh) * x.d, acc);
        }
      }
      y[t * ldy + r] = acc;
    }
}

}  // namespace

size_t act_tile_q8_0_bytes(int64_t ne0, int nt) { return static_cast<size_t>(ne0 / 32) * act_tile_q8_0_record(nt); }

void act_tile_q8_0(int64_t ne0, const uint8_t* act, size_t a_stride, const int32_t* sums, int64_t sums_stride,
                   int nt, uint8_t* dst) {
  const size_t n = static_cast<size_t>(nt);
  for (int64_t i = 0; i < ne0 / 32; ++i) {
    uint8_t* rec = dst + static_cast<size_t>(i) * act_tile_q8_0_record(nt);
    for (int t = 0; t < nt; ++t) {
      const BlockQ8_0& x = reinterpret_cast<const BlockQ8_0*>(act + static_cast<size_t>(t) * a_stride)[i];
      uint16_t dh;
      std::memcpy(&dh, &x.d, 2);
      const float d = fp16_to_f32(dh);
      const int32_t s = sums[t * sums_stride + i];
      const int32_t c8 = -8 * s, c128 = -128 * s;
      const size_t u = static_cast<size_t>(t);
      std::memcpy(rec + 4 * u, &d, 4);
      std::memcpy(rec + kActTileOff8 * n + 4 * u, &c8, 4);
      std::memcpy(rec + kActTileOff128 * n + 4 * u, &c128, 4);
      std::memcpy(rec + kActTileQs * n + 32 * u, x.qs, 32);
    }
  }
}

size_t act_tile_q8_k_bytes(int64_t ne0, int nt) { return static_cast<size_t>(ne0 / kQK_K) * act_tile_q8_k_record(nt); }

void act_tile_q8_k(int64_t ne0, const uint8_t* act, size_t a_stride, const int32_t*, int64_t, int nt, uint8_t* dst) {
  const int64_t nb = ne0 / kQK_K;
  for (int t0 = 0; t0 < nt; t0 += kActTileQ8KSub) {
    const int m = std::min(kActTileQ8KSub, nt - t0);
    const size_t mm = static_cast<size_t>(m);
    uint8_t* sub = dst + static_cast<size_t>(t0 / kActTileQ8KSub) * static_cast<size_t>(nb) * act_tile_q8_k_record(kActTileQ8KSub);
    for (int64_t i = 0; i < nb; ++i) {
      uint8_t* rec = sub + static_cast<size_t>(i) * act_tile_q8_k_record(m);
      for (int u = 0; u < m; ++u) {
        const BlockQ8_K& x = reinterpret_cast<const BlockQ8_K*>(act + static_cast<size_t>(t0 + u) * a_stride)[i];
        const size_t uu = static_cast<size_t>(u);
        std::memcpy(rec + 4 * uu, &x.d, 4);
        for (int k = 0; k < 4; ++k) {
          const uint32_t lo = static_cast<uint16_t>(x.bsums[4 * k] + x.bsums[4 * k + 1]);
          const uint32_t hi = static_cast<uint16_t>(x.bsums[4 * k + 2] + x.bsums[4 * k + 3]);
          const uint32_t pair = lo | hi << 16;
          std::memcpy(rec + kActTileQ8KPairs * mm + 4 * (static_cast<size_t>(k) * mm + uu), &pair, 4);
        }
        for (int sb = 0; sb < 16; ++sb) {
          const int32_t c32 = -32 * x.bsums[sb];
          std::memcpy(rec + kActTileQ8KBsums32 * mm + 4 * (static_cast<size_t>(sb) * mm + uu), &c32, 4);
        }
        std::memcpy(rec + kActTileQ8KQs * mm + 256 * uu, x.qs, 256);
      }
    }
  }
}

PackedKernel packed_reference(WeightType t) {
  PackedKernel k = packed_float_reference(t);
  if (t == WeightType::kQ4_0) k = kernel<Q4x16>();
  if (t == WeightType::kQ8_0) k = kernel<Q8x16>();
  if (t == WeightType::kQ4_K) k = {q4k_bytes, pack_q4k, unpack_row_q4k, gemm_ref_q4k};
  if (t == WeightType::kQ6_K) k = {q6k_bytes, pack_q6k, unpack_row_q6k, gemm_ref_q6k};
  if (t == WeightType::kSTQ1_0) k = {stq_bytes, pack_stq, unpack_row_stq, gemm_ref_stq};
  if (t == WeightType::kQ2_0C) k = {q2c_bytes, pack_q2c, unpack_row_q2c, gemm_ref_q2c};
  return k;
}

}  // namespace hymt
