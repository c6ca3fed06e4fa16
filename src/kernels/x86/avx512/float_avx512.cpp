// float_avx512.cpp: F32/F16/BF16 weight x F32 activation tiles with AVX-512 (16 lanes, FMA).
// Half and bfloat16 weights are widened in registers (vcvtph2ps / shift), never in memory. A tail
// shorter than 16 uses masked loads, so any row length works.
#include <immintrin.h>

#include "kernels/dispatch.h"
#include "kernels/tile_dispatch.h"

namespace hymt {

namespace {

enum class Src { kF32, kF16, kBF16 };

template <Src S>
inline __m512 load_w(const uint8_t* p, int64_t k, __mmask16 m) {
  if constexpr (S == Src::kF32) {
    return _mm512_maskz_loadu_ps(m, reinterpret_cast<const float*>(p) + k);
  } else if constexpr (S == Src::kF16) {
    return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, reinterpret_cast<const uint16_t*>(p) + k));
  } else {
    const __m256i h = _mm256_maskz_loadu_epi16(m, reinterpret_cast<const uint16_t*>(p) + k);
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
  }
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

}  // namespace

void register_avx512_float(KernelTable& t) {
  t.vec_dot[static_cast<size_t>(WeightType::kF32)] = dot_tile<FloatKernel<Src::kF32>>;
  t.gemm[static_cast<size_t>(WeightType::kF32)] = gemm_tiles<FloatKernel<Src::kF32>>;
  t.vec_dot[static_cast<size_t>(WeightType::kF16)] = dot_tile<FloatKernel<Src::kF16>>;
  t.gemm[static_cast<size_t>(WeightType::kF16)] = gemm_tiles<FloatKernel<Src::kF16>>;
  t.vec_dot[static_cast<size_t>(WeightType::kBF16)] = dot_tile<FloatKernel<Src::kBF16>>;
  t.gemm[static_cast<size_t>(WeightType::kBF16)] = gemm_tiles<FloatKernel<Src::kBF16>>;
}

}  // namespace hymt
