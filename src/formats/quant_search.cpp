// quant_search.cpp: the scale searches behind the reference quantizers (see quant_search.h).
// The grid spans 0.70x..1.10x of the "extremes map to the end codes" scale: below 1 clips the
// extremes to buy resolution for the bulk, which is what wins on bell-shaped weights; each start
// is refined by least squares, so the grid only has to land in the right basin.
#include "formats/quant_search.h"

#include <algorithm>
#include <numeric>

#include "core/status.h"

namespace hymt {

namespace {

constexpr int kGridSteps = 9;  // factors 0.70, 0.75, ..., 1.10
constexpr float kGridLo = 0.70f, kGridStep = 0.05f;
constexpr int kRefineRounds = 1;

}  // namespace

AffineFit fit_affine(const float* x, int n, int nmax, bool offset_nonpositive, uint8_t* L) {
  HYMT_ASSERT(n > 0 && n <= kMaxSearchGroup);
  float xmin = x[0], xmax = x[0];
  for (int i = 1; i < n; ++i) {
    xmin = std::min(xmin, x[i]);
    xmax = std::max(xmax, x[i]);
  }
  if (offset_nonpositive) xmin = std::min(xmin, 0.0f);
  AffineFit best;
  if (xmax <= xmin) {  // constant group (zero when the offset must be <= 0 and all x are >= 0)
    for (int i = 0; i < n; ++i) L[i] = 0;
    best.offset = xmin;
    best.sse = 0;
    for (int i = 0; i < n; ++i) best.sse += (x[i] - xmin) * (x[i] - xmin);
    return best;
  }
  uint8_t cur[kMaxSearchGroup];
  best.sse = INFINITY;
  for (int k = 0; k < kGridSteps; ++k) {
    float scale = (xmax - xmin) / (static_cast<float>(nmax) * (kGridLo + kGridStep * static_cast<float>(k)));
    float offset = xmin;
    AffineFit fit;
    for (int round = 0; round <= kRefineRounds; ++round) {
      const float inv = scale > 0 ? 1.0f / scale : 0.0f;
      for (int i = 0; i < n; ++i) cur[i] = static_cast<uint8_t>(clamp_int(nearest_int((x[i] - offset) * inv), 0, nmax));
      // Least squares for (scale, offset) given the codes.
      double sl = 0, sll = 0, sx = 0, slx = 0;
      for (int i = 0; i < n; ++i) {
        const double l = cur[i];
        sl += l;
        sll += l * l;
        sx += x[i];
        slx += l * x[i];
      }
      const double det = n * sll - sl * sl;
      double a = 0, b = sx / n;
      if (det > 0) {
        a = (n * slx - sl * sx) / det;
        b = (sll * sx - sl * slx) / det;
      }
      if (offset_nonpositive && b > 0) {
        b = 0;
        a = sll > 0 ? slx / sll : 0;
      }
      if (a < 0) {  // cannot happen with codes monotone in x; kept as a guard
        a = 0;
        b = offset_nonpositive ? std::min(sx / n, 0.0) : sx / n;
      }
      fit.scale = static_cast<float>(a);
      fit.offset = static_cast<float>(b);
      double sse = 0;
      for (int i = 0; i < n; ++i) {
        const double e = a * cur[i] + b - x[i];
        sse += e * e;
      }
      fit.sse = static_cast<float>(sse);
      if (fit.sse < best.sse) {
        best = fit;
        std::copy(cur, cur + n, L);
      }
      if (a == 0) break;
      scale = fit.scale;
      offset = fit.offset;
    }
  }
  return best;
}

float fit_symmetric(const float* x, int n, int qmin, int qmax, int8_t* L) {
  HYMT_ASSERT(n > 0 && n <= kMaxSearchGroup);
  float m = 0;  // the signed extreme
  for (int i = 0; i < n; ++i)
    if (std::fabs(x[i]) > std::fabs(m)) m = x[i];
  if (m == 0) {
    for (int i = 0; i < n; ++i) L[i] = 0;
    return 0;
  }
  int8_t cur[kMaxSearchGroup];
  double best_sse = INFINITY;
  float best_scale = 0;
  for (int end : {qmin, qmax}) {  // map the extreme near the negative end, then near the positive
    for (int k = 0; k < kGridSteps; ++k) {
      float scale = m / (static_cast<float>(end) * (kGridLo + kGridStep * static_cast<float>(k)));
      for (int round = 0; round <= kRefineRounds; ++round) {
        const float inv = 1.0f / scale;
        double slx = 0, sll = 0;
        for (int i = 0; i < n; ++i) {
          const int l = clamp_int(nearest_int(x[i] * inv), qmin, qmax);
          cur[i] = static_cast<int8_t>(l);
          slx += static_cast<double>(l) * x[i];
          sll += static_cast<double>(l) * l;
        }
        if (sll == 0) break;
        const double a = slx / sll;
        double sse = 0;
        for (int i = 0; i < n; ++i) {
          const double e = a * cur[i] - x[i];
          sse += e * e;
        }
        if (sse < best_sse) {
          best_sse = sse;
          best_scale = static_cast<float>(a);
          std::copy(cur, cur + n, L);
        }
        if (a == 0) break;
        scale = static_cast<float>(a);
      }
    }
  }
  return best_scale;
}

float fit_ternary(const float* x, int n, int8_t* t) {
  HYMT_ASSERT(n > 0 && n <= kMaxSearchGroup);
  int idx[kMaxSearchGroup];
  std::iota(idx, idx + n, 0);
  std::stable_sort(idx, idx + n, [&](int a, int b) { return std::fabs(x[a]) > std::fabs(x[b]); });
  double sum = 0, best = 0, best_sum = 0;
  int best_k = 0;
  for (int k = 1; k <= n; ++k) {
    sum += std::fabs(x[idx[k - 1]]);
    const double gain = sum * sum / k;  // error reduction vs. all-zero codes
    if (gain > best) {
      best = gain;
      best_k = k;
      best_sum = sum;
    }
  }
  for (int i = 0; i < n; ++i) t[i] = 0;
  for (int k = 0; k < best_k; ++k) {
    const int i = idx[k];
    t[i] = x[i] < 0 ? -1 : 1;
  }
  return best_k ? static_cast<float>(best_sum / best_k) : 0.0f;
}

float polish_scale_min(const float* x, int n, int nmax, float d, float dmin, int smax, int* sc, int* m,
                       uint8_t* L) {
  HYMT_ASSERT(n > 0 && n <= kMaxSearchGroup);
  const int sc0 = *sc, m0 = *m;
  float best = INFINITY;
  uint8_t cur[kMaxSearchGroup];
  for (int ds = -1; ds <= 1; ++ds)
    for (int dm = -1; dm <= 1; ++dm) {
      const int s = sc0 + ds, mm = m0 + dm;
      if (s < 0 || s > smax || mm < 0 || mm > smax) continue;
      const float step = d * static_cast<float>(s), off = dmin * static_cast<float>(mm);
      const float inv = step > 0 ? 1.0f / step : 0.0f;
      float sse = 0;
      for (int i = 0; i < n; ++i) {
        const int l = step > 0 ? clamp_int(nearest_int((x[i] + off) * inv), 0, nmax) : 0;
        cur[i] = static_cast<uint8_t>(l);
        const float e = step * static_cast<float>(l) - off - x[i];
        sse += e * e;
      }
      if (sse < best) {
        best = sse;
        *sc = s;
        *m = mm;
        std::copy(cur, cur + n, L);
      }
    }
  return best;
}

float polish_scale(const float* x, int n, int qmin, int qmax, float d, int* sc, int8_t* L) {
  HYMT_ASSERT(n > 0 && n <= kMaxSearchGroup);
  const int sc0 = *sc;
  float best = INFINITY;
  int8_t cur[kMaxSearchGroup];
  for (int ds = -1; ds <= 1; ++ds) {
    const int s = sc0 + ds;
    if (s < -128 || s > 127) continue;
    const float step = d * static_cast<float>(s);
    const float inv = step != 0 ? 1.0f / step : 0.0f;
    float sse = 0;
    for (int i = 0; i < n; ++i) {
      const int l = step != 0 ? clamp_int(nearest_int(x[i] * inv), qmin, qmax) : 0;
      cur[i] = static_cast<int8_t>(l);
      const float e = step * static_cast<float>(l) - x[i];
      sse += e * e;
    }
    if (sse < best) {
      best = sse;
      *sc = s;
      std::copy(cur, cur + n, L);
    }
  }
  return best;
}

}  // namespace hymt
