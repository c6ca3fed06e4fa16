// attention_avx512.cpp: the attention kernels (attention_simd.h) on 16-float AVX-512 vectors.
#include <immintrin.h>

#include "kernels/dispatch.h"
#include "kernels/attention_simd.h"

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
};
}  // namespace

void register_avx512_attention(KernelTable& t) { install_attention<V512>(t); }

}  // namespace hymt
