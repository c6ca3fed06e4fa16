// attention_avx512.cpp: the attention kernels (attention_simd.h) on 16-float AVX-512 vectors.
#include <immintrin.h>

#include "kernels/dispatch.h"
#include "kernels/attention_simd.h"
#include "kernels/ops_simd.h"

namespace hymt {
namespace {
struct V512 {
  static constexpr int kW = 16;
  using Reg = __m512;
  static Reg zero() { return _mm512_setzero_ps(); }
  static Reg load(const float* p) { return _mm512_loadu_ps(p); }
  static Reg load(const uint16_t* p) { return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))); }
  static float scalar(const uint16_t* p) { return _cvtsh_ss(*p); }
  static Reg fma(Reg a, Reg b, Reg c) { return _mm512_fmadd_ps(a, b, c); }
  static Reg add(Reg a, Reg b) { return _mm512_add_ps(a, b); }
  static Reg set1(float x) { return _mm512_set1_ps(x); }
  static float reduce(Reg a) { return _mm512_reduce_add_ps(a); }
  static void store(float* p, Reg a) { _mm512_storeu_ps(p, a); }
  static Reg sub(Reg a, Reg b) { return _mm512_sub_ps(a, b); }
  static Reg mul(Reg a, Reg b) { return _mm512_mul_ps(a, b); }
  static Reg div(Reg a, Reg b) { return _mm512_div_ps(a, b); }
  static Reg max(Reg a, Reg b) { return _mm512_max_ps(a, b); }
  static Reg min(Reg a, Reg b) { return _mm512_min_ps(a, b); }
  static Reg round(Reg a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static Reg pow2(Reg n) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127)), 23));
  }
  static float reduce_max(Reg a) { return _mm512_reduce_max_ps(a); }
};
}  // namespace

void register_avx512_attention(KernelTable& t) {
  install_attention<V512>(t);
  install_ops<V512>(t);
}

}  // namespace hymt
