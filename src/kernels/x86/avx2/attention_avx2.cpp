// attention_avx2.cpp: the attention kernels (attention_simd.h) on 8-float AVX2 vectors (F16C for
// the fp16 cache).
#include <immintrin.h>

#include "kernels/dispatch.h"
#include "kernels/attention_simd.h"

namespace hymt {
namespace {
struct V256 {
  static constexpr int kW = 8;
  using Reg = __m256;
  static Reg zero() { return _mm256_setzero_ps(); }
  static Reg load(const float* p) { return _mm256_loadu_ps(p); }
  static Reg load(const uint16_t* p) { return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))); }
  static float scalar(const uint16_t* p) { return _cvtsh_ss(*p); }
  static Reg fma(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }
  static Reg add(Reg a, Reg b) { return _mm256_add_ps(a, b); }
  static Reg set1(float x) { return _mm256_set1_ps(x); }
  static float reduce(Reg a) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }
  static void store(float* p, Reg a) { _mm256_storeu_ps(p, a); }
};
}  // namespace

void register_avx2_attention(KernelTable& t) { install_attention<V256>(t); }

}  // namespace hymt
