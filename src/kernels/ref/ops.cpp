// ops.cpp: scalar row operations of the forward pass (spec §2). Sums run in double where a
// reduction's length reaches thousands, so the reference is at least as accurate as the NumPy
// oracle it is compared with.
#include <cmath>
#include <cstring>

#include "kernels/dispatch.h"
#include "kernels/kernels.h"

namespace hymt {

void rms_norm(const float* x, const float* w, float* y, int64_t n, float eps) {
  double ss = 0;
  for (int64_t i = 0; i < n; ++i) ss += static_cast<double>(x[i]) * x[i];
  const float scale = static_cast<float>(1.0 / std::sqrt(ss / static_cast<double>(n) + eps));
  for (int64_t i = 0; i < n; ++i) y[i] = w[i] * (x[i] * scale);
}

void rope_angles(int64_t hd, int64_t pos, const float* inv_freq, float* cos_sin) {
  for (int64_t i = 0; i < hd / 2; ++i) {
    // Angle in double: pos * inv_freq reaches ~1e4 radians, where float cos/sin lose digits.
    const double a = static_cast<double>(pos) * inv_freq[i];
    cos_sin[2 * i] = static_cast<float>(std::cos(a));
    cos_sin[2 * i + 1] = static_cast<float>(std::sin(a));
  }
}

void rope_neox(float* x, int64_t hd, const float* cos_sin) {
  const int64_t half = hd / 2;
  for (int64_t i = 0; i < half; ++i) {
    const float c = cos_sin[2 * i], s = cos_sin[2 * i + 1];
    const float x0 = x[i], x1 = x[i + half];
    x[i] = x0 * c - x1 * s;
    x[i + half] = x1 * c + x0 * s;
  }
}

float exp_approx(float x) {
  if (std::isnan(x)) return x;
  x = kExpApproxLo > x ? kExpApproxLo : x;
  x = kExpApproxHi < x ? kExpApproxHi : x;
  const float n = std::nearbyint(x * kExpApproxLog2e);
  float r = std::fma(n, -kExpApproxLn2Hi, x);
  r = std::fma(n, -kExpApproxLn2Lo, r);
  float p = kExpApproxP[0];
  for (int i = 1; i < 6; ++i) p = std::fma(p, r, kExpApproxP[i]);
  const float r2 = r * r;
  float y = std::fma(p, r2, r);
  y = y + 1.0f;
  const uint32_t bits = static_cast<uint32_t>(static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, 4);
  return y * scale;
}

void softmax_ref(float* x, int64_t n) {
  float mx = -INFINITY;
  for (int64_t i = 0; i < n; ++i) mx = x[i] > mx ? x[i] : mx;
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    x[i] = exp_approx(x[i] - mx);
    sum += x[i];
  }
  const float inv = static_cast<float>(1.0 / sum);
  for (int64_t i = 0; i < n; ++i) x[i] *= inv;
}

void swiglu_ref(const float* g, const float* u, float* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = g[i] / (1.0f + exp_approx(-g[i])) * u[i];
}

void register_ref_ops(KernelTable& t) {
  t.softmax = softmax_ref;
  t.swiglu = swiglu_ref;
}

void softmax(float* x, int64_t n) { kernel_table().softmax(x, n); }

void swiglu(const float* g, const float* u, float* out, int64_t n) { kernel_table().swiglu(g, u, out, n); }

}  // namespace hymt
