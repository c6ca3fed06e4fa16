// float_avx2.cpp: F32/F16/BF16 weight x F32 activation tiles with AVX2 + FMA + F16C (8 lanes), plain
// and packed, and the 16-bit layouts' packing transpose.
// Rows whose length is not a multiple of 8 finish with a scalar tail added after the vector sum.
#include <immintrin.h>

#include "core/half.h"
#include "kernels/dispatch.h"
#include "kernels/tile_dispatch.h"

namespace hymt {

namespace {

enum class Src { kF32, kF16, kBF16 };

template <Src S>
inline __m256 load_w(const uint8_t* p, int64_t k) {
  if constexpr (S == Src::kF32) {
    return _mm256_loadu_ps(reinterpret_cast<const float*>(p) + k);
  } else if constexpr (S == Src::kF16) {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(reinterpret_cast<const uint16_t*>(p) + k)));
  } else {
    const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(reinterpret_cast<const uint16_t*>(p) + k));
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
  }
}

template <Src S>
inline float scalar_w(const uint8_t* p, int64_t k) {
  if constexpr (S == Src::kF32) return reinterpret_cast<const float*>(p)[k];
  else if constexpr (S == Src::kF16) return fp16_to_f32(reinterpret_cast<const uint16_t*>(p)[k]);
  else return bf16_to_f32(reinterpret_cast<const uint16_t*>(p)[k]);
}

inline float hsum(__m256 v) {
  const __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  const __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
  return _mm_cvtss_f32(_mm_add_ss(s2, _mm_movehdup_ps(s2)));
}

template <Src S>
struct FloatKernel {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    __m256 acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = _mm256_setzero_ps();
    const int64_t n8 = n / 8 * 8;
    for (int64_t k = 0; k < n8; k += 8) {
      __m256 x[NT];
      for (int t = 0; t < NT; ++t) x[t] = _mm256_loadu_ps(reinterpret_cast<const float*>(a + t * as) + k);
      for (int r = 0; r < NR; ++r) {
        const __m256 wv = load_w<S>(w + r * ws, k);
        for (int t = 0; t < NT; ++t) acc[r][t] = _mm256_fmadd_ps(wv, x[t], acc[r][t]);
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) {
        float s = hsum(acc[r][t]);
        const float* xt = reinterpret_cast<const float*>(a + t * as);
        for (int64_t k = n8; k < n; ++k) s += scalar_w<S>(w + r * ws, k) * xt[k];
        y[t * ldy + r] = s;
      }
  }
};

// Packed F32x16 / F16x16 / BF16x16 (kernels/packed_layout.h): the outer product of
// float_avx512.cpp's PackedFloat in two 8-row halves. Sixteen ymm registers hold the accumulators
// of at most 3 tokens (2 halves x 2 chains each: even and odd k), so a tile of up to 8 tokens runs
// in passes of 3, each widening the group's weights again. The order of the adds is the scalar
// reference's (two chains per output, added at the end): bit-identical results.
template <Src S>
struct PackedFloat {
  template <int NT>
  static void run(int64_t n, const uint8_t* g, const uint8_t* act, size_t as, float* y, int64_t ldy) {
    const float* x[NT];
    __m256 acc[2][NT][2];  // [chain: even/odd k][token][half]
    for (int t = 0; t < NT; ++t) {
      x[t] = reinterpret_cast<const float*>(act + static_cast<size_t>(t) * as);
      for (int c = 0; c < 2; ++c) acc[c][t][0] = acc[c][t][1] = _mm256_setzero_ps();
    }
    auto step = [&](int64_t k, int c) {
      const __m256 lo = load_w<S>(g, 16 * k), hi = load_w<S>(g, 16 * k + 8);  // rows 0..7, 8..15
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
};

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

void register_avx2_float(KernelTable& t) {
  t.vec_dot[static_cast<size_t>(WeightType::kF32)] = dot_tile<FloatKernel<Src::kF32>>;
  t.gemm[static_cast<size_t>(WeightType::kF32)] = gemm_tiles<FloatKernel<Src::kF32>>;
  t.vec_dot[static_cast<size_t>(WeightType::kF16)] = dot_tile<FloatKernel<Src::kF16>>;
  t.gemm[static_cast<size_t>(WeightType::kF16)] = gemm_tiles<FloatKernel<Src::kF16>>;
  t.vec_dot[static_cast<size_t>(WeightType::kBF16)] = dot_tile<FloatKernel<Src::kBF16>>;
  t.gemm[static_cast<size_t>(WeightType::kBF16)] = gemm_tiles<FloatKernel<Src::kBF16>>;
  install_packed_float(t, pack_u16x16_avx2, packed_passes<PackedFloat<Src::kF32>, 3>,
                       packed_passes<PackedFloat<Src::kF16>, 3>, packed_passes<PackedFloat<Src::kBF16>, 3>);
}

}  // namespace hymt
