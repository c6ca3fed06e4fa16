// packed_float_avx2.cpp: F32x16 / F16x16 / BF16x16 products with AVX2 (kernels/packed_layout.h), the
// outer product of packed_float_avx512.cpp in two 8-row halves. Sixteen ymm registers hold the
// accumulators of at most 3 tokens (2 halves x 2 chains each: even and odd k), so a tile of up to
// 8 tokens is done in passes of 3, each converting the group's weights again. The order of the adds
// is the scalar reference's (two chains per output, added at the end): bit-identical results.
#include <immintrin.h>

#include <algorithm>

#include "kernels/dispatch.h"

namespace hymt {

namespace {

enum class Src { kF32, kF16, kBF16 };

// Weight k of rows 8h .. 8h+7 of the group as floats.
template <Src S>
inline __m256 load_k(const uint8_t* g, int64_t k, int h) {
  if constexpr (S == Src::kF32) {
    return _mm256_loadu_ps(reinterpret_cast<const float*>(g) + 16 * k + 8 * h);
  } else {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(reinterpret_cast<const uint16_t*>(g) + 16 * k + 8 * h));
    if constexpr (S == Src::kF16) return _mm256_cvtph_ps(v);
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(v), 16));
  }
}

template <Src S, int NT>
void run(int64_t n, const uint8_t* g, const uint8_t* act, size_t as, float* y, int64_t ldy) {
  const float* x[NT];
  __m256 acc[2][NT][2];  // [chain: even/odd k][token][half]
  for (int t = 0; t < NT; ++t) {
    x[t] = reinterpret_cast<const float*>(act + static_cast<size_t>(t) * as);
    for (int c = 0; c < 2; ++c) acc[c][t][0] = acc[c][t][1] = _mm256_setzero_ps();
  }
  auto step = [&](int64_t k, int c) {
    const __m256 lo = load_k<S>(g, k, 0), hi = load_k<S>(g, k, 1);
    for (int t = 0; t < NT; ++t) {
      const __m256 xv = _mm256_broadcast_ss(x[t] + k);
      acc[c][t][0] = _mm256_fmadd_ps(lo, xv, acc[c][t][0]);
      acc[c][t][1] = _mm256_fmadd_ps(hi, xv, acc[c][t][1]);
    }
  };
  int64_t k = 0;
  for (; k + 2 <= n; k += 2) {
    step(k, 0);
    step(k + 1, 1);
  }
  if (k < n) step(k, 0);
  for (int t = 0; t < NT; ++t)
    for (int h = 0; h < 2; ++h) _mm256_storeu_ps(y + t * ldy + 8 * h, _mm256_add_ps(acc[0][t][h], acc[1][t][h]));
}

template <Src S>
void gemm(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t*, int64_t, int nt, float* y,
          int64_t ldy) {
  for (int t0 = 0; t0 < nt; t0 += 3) {
    const uint8_t* a = act + static_cast<size_t>(t0) * as;
    float* yt = y + t0 * ldy;
    switch (std::min(3, nt - t0)) {
      case 1: run<S, 1>(ne0, group, a, as, yt, ldy); break;
      case 2: run<S, 2>(ne0, group, a, as, yt, ldy); break;
      default: run<S, 3>(ne0, group, a, as, yt, ldy); break;
    }
  }
}

}  // namespace

// The 16-bit layouts' packing (F16x16, BF16x16) by 16 x 16 squares transposed in registers: the
// F16 file's whole 3.4 GB is packed at every load, and the scalar transpose took seconds of it.
// Same bytes as the reference (tests compare them).
void pack_u16x16_avx2(const uint8_t* rows, size_t row_bytes, int64_t ne0, uint8_t* dst) {
  uint16_t* g = reinterpret_cast<uint16_t*>(dst);
  int64_t k0 = 0;
  for (; k0 + 16 <= ne0; k0 += 16) {
    __m256i v[16];  // v[r] = weights k0 .. k0+15 of row r
    for (int r = 0; r < 16; ++r)
      v[r] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(rows + static_cast<size_t>(r) * row_bytes) + k0 / 16);
    // Three rounds of interleaving (16-, 32-, then 64-bit units), within each 128-bit lane: after
    // them a[j] (j = 0..7) holds weight j of rows 0..7 in its low lane and weight j + 8 in its
    // high lane, and b[j] the same for rows 8..15.
    __m256i a[8], b[8];
    for (int h = 0; h < 2; ++h) {
      __m256i* out = h == 0 ? a : b;
      const __m256i* in = v + 8 * h;
      __m256i s1[8], s2[8];
      for (int p = 0; p < 4; ++p) {
        s1[2 * p] = _mm256_unpacklo_epi16(in[2 * p], in[2 * p + 1]);
        s1[2 * p + 1] = _mm256_unpackhi_epi16(in[2 * p], in[2 * p + 1]);
      }
      for (int p = 0; p < 2; ++p)
        for (int q = 0; q < 2; ++q) {
          s2[4 * p + 2 * q] = _mm256_unpacklo_epi32(s1[4 * p + q], s1[4 * p + q + 2]);
          s2[4 * p + 2 * q + 1] = _mm256_unpackhi_epi32(s1[4 * p + q], s1[4 * p + q + 2]);
        }
      for (int q = 0; q < 4; ++q) {
        out[2 * q] = _mm256_unpacklo_epi64(s2[q], s2[q + 4]);
        out[2 * q + 1] = _mm256_unpackhi_epi64(s2[q], s2[q + 4]);
      }
    }
    for (int j = 0; j < 8; ++j) {
      __m256i* o = reinterpret_cast<__m256i*>(g + (k0 + j) * 16);
      _mm256_storeu_si256(o, _mm256_permute2x128_si256(a[j], b[j], 0x20));      // weight j
      _mm256_storeu_si256(o + 8, _mm256_permute2x128_si256(a[j], b[j], 0x31));  // weight j + 8
    }
  }
  for (; k0 < ne0; ++k0)
    for (int r = 0; r < 16; ++r) g[k0 * 16 + r] = reinterpret_cast<const uint16_t*>(rows + static_cast<size_t>(r) * row_bytes)[k0];
}

void register_avx2_packed_float(KernelTable& t) {
  install_packed_float(t, pack_u16x16_avx2, gemm<Src::kF32>, gemm<Src::kF16>, gemm<Src::kBF16>);
}

}  // namespace hymt
