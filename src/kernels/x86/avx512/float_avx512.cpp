// float_avx512.cpp: F32/F16/BF16 weight x F32 activation tiles with AVX-512 (16 lanes, FMA), plain
// and packed.
// Half and bfloat16 weights are widened in registers (vcvtph2ps / shift), never in memory. A tail
// shorter than 16 uses masked loads, so any row length works.
#include <immintrin.h>

#include "kernels/dispatch.h"
#include "kernels/tile_dispatch.h"

namespace hymt {

namespace {

enum class Src { kF32, kF16, kBF16 };

// 16 half or bfloat16 values widened to floats.
template <Src S>
inline __m512 widen(__m256i h) {
  if constexpr (S == Src::kF16) return _mm512_cvtph_ps(h);
  return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
}

// Weights k .. k+15 of a row as floats; the masked form reads only the lanes in m (a row's tail).
template <Src S>
inline __m512 load_w(const uint8_t* p, int64_t k, __mmask16 m) {
  if constexpr (S == Src::kF32) return _mm512_maskz_loadu_ps(m, reinterpret_cast<const float*>(p) + k);
  return widen<S>(_mm256_maskz_loadu_epi16(m, reinterpret_cast<const uint16_t*>(p) + k));
}
// The full form: the packed kernels' loads, which are never partial. (A masked load with a full
// mask made the packed F16 tile about twice as slow: GCC no longer folds the load into vcvtph2ps.)
template <Src S>
inline __m512 load_w(const uint8_t* p, int64_t k) {
  if constexpr (S == Src::kF32) return _mm512_loadu_ps(reinterpret_cast<const float*>(p) + k);
  return widen<S>(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(reinterpret_cast<const uint16_t*>(p) + k)));
}

template <Src S>
struct FloatKernel {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
    __m512 acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = _mm512_setzero_ps();
    for (int64_t k = 0; k < n; k += 16) {
      const __mmask16 m = n - k >= 16 ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << (n - k)) - 1);
      __m512 x[NT];
      for (int t = 0; t < NT; ++t) x[t] = _mm512_maskz_loadu_ps(m, reinterpret_cast<const float*>(a + t * as) + k);
      for (int r = 0; r < NR; ++r) {
        const __m512 wv = load_w<S>(w + r * ws, k, m);
        for (int t = 0; t < NT; ++t) acc[r][t] = _mm512_fmadd_ps(wv, x[t], acc[r][t]);
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = _mm512_reduce_add_ps(acc[r][t]);
  }
};

// Packed F32x16 / F16x16 / BF16x16 (kernels/packed_layout.h): the group is the 16 rows transposed,
// so weight k of all 16 rows is one register and each token's accumulator takes one fused
// multiply-add per k against the broadcast activation x[k]: an outer product with no horizontal
// sums. Up to 8 tokens share each widened weight register. Each output keeps two chains (even and
// odd k), so even one token has two FMAs in flight and 8 tokens have 16; the order of the adds is
// the scalar reference's (ref/packed_float_ref.cpp), so results are bit-identical.
template <Src S>
struct PackedFloat {
  static __m512 weight(const uint8_t* g, int64_t k) { return load_w<S>(g, 16 * k); }

  template <int NT>
  static void run(int64_t n, const uint8_t* g, const uint8_t* act, size_t as, float* y, int64_t ldy) {
    const float* x[NT];
    __m512 even[NT], odd[NT];
    for (int t = 0; t < NT; ++t) {
      x[t] = reinterpret_cast<const float*>(act + static_cast<size_t>(t) * as);
      even[t] = odd[t] = _mm512_setzero_ps();
    }
    int64_t k = 0;
#pragma GCC unroll 2
    for (; k + 2 <= n; k += 2) {
      const __m512 w0 = weight(g, k), w1 = weight(g, k + 1);
      for (int t = 0; t < NT; ++t) even[t] = _mm512_fmadd_ps(w0, _mm512_set1_ps(x[t][k]), even[t]);
      for (int t = 0; t < NT; ++t) odd[t] = _mm512_fmadd_ps(w1, _mm512_set1_ps(x[t][k + 1]), odd[t]);
    }
    if (k < n) {
      const __m512 w0 = weight(g, k);
      for (int t = 0; t < NT; ++t) even[t] = _mm512_fmadd_ps(w0, _mm512_set1_ps(x[t][k]), even[t]);
    }
    for (int t = 0; t < NT; ++t) _mm512_storeu_ps(y + t * ldy, _mm512_add_ps(even[t], odd[t]));
  }
};

}  // namespace

// The AVX2 transpose packs the 16-bit layouts on this path too (float_avx2.cpp).
void pack_u16x16_avx2(const uint8_t* rows, size_t row_bytes, int64_t ne0, uint8_t* dst);

void register_avx512_float(KernelTable& t) {
  install_packed_float(t, pack_u16x16_avx2, packed_passes<PackedFloat<Src::kF32>, kPackTokens>,
                       packed_passes<PackedFloat<Src::kF16>, kPackTokens>,
                       packed_passes<PackedFloat<Src::kBF16>, kPackTokens>);
  t.vec_dot[static_cast<size_t>(WeightType::kF32)] = dot_tile<FloatKernel<Src::kF32>>;
  t.gemm[static_cast<size_t>(WeightType::kF32)] = gemm_tiles<FloatKernel<Src::kF32>>;
  t.vec_dot[static_cast<size_t>(WeightType::kF16)] = dot_tile<FloatKernel<Src::kF16>>;
  t.gemm[static_cast<size_t>(WeightType::kF16)] = gemm_tiles<FloatKernel<Src::kF16>>;
  t.vec_dot[static_cast<size_t>(WeightType::kBF16)] = dot_tile<FloatKernel<Src::kBF16>>;
  t.gemm[static_cast<size_t>(WeightType::kBF16)] = gemm_tiles<FloatKernel<Src::kBF16>>;
}

}  // namespace hymt
