// float_avx2.cpp: F32/F16/BF16 weight x F32 activation tiles with AVX2 + FMA + F16C (8 lanes).
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

}  // namespace

void register_avx2_float(KernelTable& t) {
  t.vec_dot[static_cast<size_t>(WeightType::kF32)] = dot_tile<FloatKernel<Src::kF32>>;
  t.gemm[static_cast<size_t>(WeightType::kF32)] = gemm_tiles<FloatKernel<Src::kF32>>;
  t.vec_dot[static_cast<size_t>(WeightType::kF16)] = dot_tile<FloatKernel<Src::kF16>>;
  t.gemm[static_cast<size_t>(WeightType::kF16)] = gemm_tiles<FloatKernel<Src::kF16>>;
  t.vec_dot[static_cast<size_t>(WeightType::kBF16)] = dot_tile<FloatKernel<Src::kBF16>>;
  t.gemm[static_cast<size_t>(WeightType::kBF16)] = gemm_tiles<FloatKernel<Src::kBF16>>;
}

}  // namespace hymt
