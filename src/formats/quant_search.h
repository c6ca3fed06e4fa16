// quant_search.h: scale searches shared by the reference quantizers. Each one minimizes the plain
// squared error of a group of weights over a small grid of starting scales, each refined by
// "assign integer codes, then solve the least-squares scale (and offset) for them". Quality, not
// speed, is the goal (quantizing is offline); results are deterministic for a given build.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace hymt {

// Round to nearest, ties to even. Adding 1.5 * 2^23 makes the float adder do the rounding (in the
// default mode: ties to even) and leaves the integer in the low mantissa bits; this is the same
// result as nearbyint but without a libm call on baseline x86-64, where it dominated the
// quantizers' time. Valid for |x| < 2^22; larger values (only ever clamped afterwards) saturate.
inline int nearest_int(float x) {
  if (!(std::fabs(x) < 4194304.0f)) return x > 0 ? 4194304 : -4194304;
  const float v = x + 12582912.0f;
  int32_t i;
  std::memcpy(&i, &v, sizeof i);
  return (i & 0x007fffff) - 0x00400000;
}

// Largest group any search handles (Q2_0C's 512-weight block); groups live on the stack.
constexpr int kMaxSearchGroup = 512;

inline int clamp_int(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

// Affine fit x[i] ~= scale * L[i] + offset with integer codes L in [0, nmax] and scale >= 0.
// With offset_nonpositive the offset is kept <= 0: the K-quants store "min" unsigned and subtract
// it, so a group whose values are all positive must start at zero. Writes the codes to L and
// returns the fit (sse is the squared error of the returned scale/offset/codes).
struct AffineFit {
  float scale = 0;
  float offset = 0;
  float sse = 0;
};
AffineFit fit_affine(const float* x, int n, int nmax, bool offset_nonpositive, uint8_t* L);

// Symmetric fit x[i] ~= scale * L[i] with L in [qmin, qmax] (qmin < 0 < qmax, e.g. -32..31). The
// scale may be negative: then the larger negative range covers the positive extreme. Returns the
// scale and writes the codes to L.
float fit_symmetric(const float* x, int n, int qmin, int qmax, int8_t* L);

// Exact least-squares ternary fit x[i] ~= d * t[i], t in {-1, 0, +1}: the optimum keeps the k
// largest |x| for the k maximizing (sum of kept |x|)^2 / k, with d = mean of kept |x|.
// Returns d (>= 0) and writes t.
float fit_ternary(const float* x, int n, int8_t* t);

// Second-level polish for the K-quants: the sub-block scale and min are small integers times the
// super-block d and dmin, so after rounding them we try the neighbours sc-1..sc+1 and m-1..m+1
// (within [0, smax]) and keep the pair, with freshly chosen codes in [0, nmax], of least error.
// x ~= d*sc*L - dmin*m. Writes the chosen sc, m and codes; returns the squared error.
float polish_scale_min(const float* x, int n, int nmax, float d, float dmin, int smax, int* sc, int* m,
                       uint8_t* L);
// Symmetric version for Q6_K: x ~= d*sc*L, sc in [-128, 127], L in [qmin, qmax].
float polish_scale(const float* x, int n, int qmin, int qmax, float d, int* sc, int8_t* L);

// Q5_0 / Q5_1 share the code layout (q5_0.cpp): code of weight j (0..31), and packing of 32 codes.
int q5_code(const uint8_t* qs, const uint8_t* qh, int j);
void pack_q5(const uint8_t* L, uint8_t* qs, uint8_t* qh);

// Q4_K / Q5_K pack eight 6-bit scales and mins into 12 bytes (spec §5.4, get_scale_min_k4).
inline void get_scale_min_k4(int j, const uint8_t* q, int* sc, int* m) {
  if (j < 4) {
    *sc = q[j] & 63;
    *m = q[j + 4] & 63;
  } else {
    *sc = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
    *m = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
  }
}
inline void pack_scale_min_k4(const int* sc, const int* m, uint8_t* q) {
  for (int j = 0; j < 4; ++j) {
    q[j] = static_cast<uint8_t>((sc[j] & 63) | ((sc[j + 4] >> 4) << 6));
    q[j + 4] = static_cast<uint8_t>((m[j] & 63) | ((m[j + 4] >> 4) << 6));
    q[j + 8] = static_cast<uint8_t>((sc[j + 4] & 0xF) | ((m[j + 4] & 0xF) << 4));
  }
}

}  // namespace hymt
