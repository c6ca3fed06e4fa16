// packed_float_avx512.cpp: F32x16 / F16x16 / BF16x16 products with AVX-512 (kernels/packed_layout.h).
// The group is the 16 rows transposed, so weight k of all 16 rows is one register (half and
// bfloat16 widened in it) and each token's accumulator takes one fused multiply-add per k against
// the broadcast activation x[k]: an outer product with no horizontal sums. Up to 8 tokens share each
// converted weight register. Each output keeps two chains (even and odd k), so even one token has
// two FMAs in flight and 8 tokens have 16; the order of the adds is the scalar reference's, so
// results are bit-identical.
#include <immintrin.h>

#include "kernels/dispatch.h"

namespace hymt {

namespace {

enum class Src { kF32, kF16, kBF16 };

// Weight k of the group's 16 rows as floats.
template <Src S>
inline __m512 load_k(const uint8_t* g, int64_t k) {
  if constexpr (S == Src::kF32) {
    return _mm512_loadu_ps(reinterpret_cast<const float*>(g) + 16 * k);
  } else {
    const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(reinterpret_cast<const uint16_t*>(g) + 16 * k));
    if constexpr (S == Src::kF16) return _mm512_cvtph_ps(h);
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
  }
}

template <Src S, int NT>
void run(int64_t n, const uint8_t* g, const uint8_t* act, size_t as, float* y, int64_t ldy) {
  const float* x[NT];
  __m512 even[NT], odd[NT];  // the two chains of each output (even and odd k)
  for (int t = 0; t < NT; ++t) {
    x[t] = reinterpret_cast<const float*>(act + static_cast<size_t>(t) * as);
    even[t] = odd[t] = _mm512_setzero_ps();
  }
  int64_t k = 0;
#pragma GCC unroll 2
  for (; k + 2 <= n; k += 2) {
    const __m512 w0 = load_k<S>(g, k), w1 = load_k<S>(g, k + 1);
    for (int t = 0; t < NT; ++t) even[t] = _mm512_fmadd_ps(w0, _mm512_set1_ps(x[t][k]), even[t]);
    for (int t = 0; t < NT; ++t) odd[t] = _mm512_fmadd_ps(w1, _mm512_set1_ps(x[t][k + 1]), odd[t]);
  }
  if (k < n) {
    const __m512 w0 = load_k<S>(g, k);
    for (int t = 0; t < NT; ++t) even[t] = _mm512_fmadd_ps(w0, _mm512_set1_ps(x[t][k]), even[t]);
  }
  for (int t = 0; t < NT; ++t) _mm512_storeu_ps(y + t * ldy, _mm512_add_ps(even[t], odd[t]));
}

template <Src S>
void gemm(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t*, int64_t, int nt, float* y,
          int64_t ldy) {
  switch (nt) {
    case 1: run<S, 1>(ne0, group, act, as, y, ldy); break;
    case 2: run<S, 2>(ne0, group, act, as, y, ldy); break;
    case 3: run<S, 3>(ne0, group, act, as, y, ldy); break;
    case 4: run<S, 4>(ne0, group, act, as, y, ldy); break;
    case 5: run<S, 5>(ne0, group, act, as, y, ldy); break;
    case 6: run<S, 6>(ne0, group, act, as, y, ldy); break;
    case 7: run<S, 7>(ne0, group, act, as, y, ldy); break;
    default: run<S, 8>(ne0, group, act, as, y, ldy); break;
  }
}

}  // namespace

// The AVX2 transpose packs the 16-bit layouts here too (packed_float_avx2.cpp).
void pack_u16x16_avx2(const uint8_t* rows, size_t row_bytes, int64_t ne0, uint8_t* dst);

void register_avx512_packed_float(KernelTable& t) {
  install_packed_float(t, pack_u16x16_avx2, gemm<Src::kF32>, gemm<Src::kF16>, gemm<Src::kBF16>);
}

}  // namespace hymt
