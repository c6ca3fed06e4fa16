// ops_simd.h: the row operations of the forward pass that need exp (kernels.h softmax, swiglu),
// written once over the vector-traits type V of attention_simd.h and instantiated per instruction
// set by attention_<isa>.cpp. Beyond attention_simd.h's operations, V provides mul, div, max(a, b)
// and min(a, b) (x86 semantics: a > b ? a : b, so a NaN in b passes), round (to nearest even),
// pow2(n) (2^n for an integral n in [-126, 127], built in the exponent field) and reduce_max.
//
// exp is exp_approx of ref/ops.cpp, step for step (each step one IEEE operation or one FMA), so
// swiglu matches the scalar reference bit for bit; softmax sums its exponentials in V::kW float
// lanes (the reference: one double), and agrees with it to within a few float rounding steps.
// Unnamed namespace: see tile_dispatch.h.
#pragma once

#include <cmath>
#include <cstdint>

#include "kernels/kernels.h"

namespace hymt {
namespace {

template <class V>
inline typename V::Reg exp_simd(typename V::Reg x) {
  using R = typename V::Reg;
  x = V::max(V::set1(kExpApproxLo), x);  // NaN stays NaN: max and min return b when unordered
  x = V::min(V::set1(kExpApproxHi), x);
  const R n = V::round(V::mul(x, V::set1(kExpApproxLog2e)));
  R r = V::fma(n, V::set1(-kExpApproxLn2Hi), x);
  r = V::fma(n, V::set1(-kExpApproxLn2Lo), r);
  R p = V::set1(kExpApproxP[0]);
  for (int i = 1; i < 6; ++i) p = V::fma(p, r, V::set1(kExpApproxP[i]));
  R y = V::fma(p, V::mul(r, r), r);
  y = V::add(y, V::set1(1.0f));
  return V::mul(y, V::pow2(n));
}

template <class V>
void swiglu_simd(const float* g, const float* u, float* out, int64_t n) {
  int64_t i = 0;
  for (; i + V::kW <= n; i += V::kW) {
    const typename V::Reg gi = V::load(g + i);
    const typename V::Reg e = exp_simd<V>(V::sub(V::zero(), gi));
    V::store(out + i, V::mul(V::div(gi, V::add(V::set1(1.0f), e)), V::load(u + i)));
  }
  for (; i < n; ++i) out[i] = g[i] / (1.0f + exp_approx(-g[i])) * u[i];
}

template <class V>
void softmax_simd(float* x, int64_t n) {
  using R = typename V::Reg;
  int64_t i = 0;
  R m = V::set1(-INFINITY);
  for (; i + V::kW <= n; i += V::kW) m = V::max(m, V::load(x + i));
  float mx = V::reduce_max(m);
  for (; i < n; ++i) mx = x[i] > mx ? x[i] : mx;
  const R vmx = V::set1(mx);
  R s = V::zero();
  for (i = 0; i + V::kW <= n; i += V::kW) {
    const R e = exp_simd<V>(V::sub(V::load(x + i), vmx));
    V::store(x + i, e);
    s = V::add(s, e);
  }
  float sum = V::reduce(s);
  for (; i < n; ++i) {
    x[i] = exp_approx(x[i] - mx);
    sum += x[i];
  }
  const float inv = 1.0f / sum;
  for (i = 0; i + V::kW <= n; i += V::kW) V::store(x + i, V::mul(V::load(x + i), V::set1(inv)));
  for (; i < n; ++i) x[i] *= inv;
}

template <class V>
void install_ops(KernelTable& t) {
  t.softmax = softmax_simd<V>;
  t.swiglu = swiglu_simd<V>;
}

}  // namespace
}  // namespace hymt
