// significance.cpp: bootstrap resampling and the paired test of significance.h.
#include "eval/significance.h"

#include <algorithm>
#include <cmath>

#include "eval/numpy_random.h"

namespace hymt::eval {

double numpy_mean(const double* a, size_t n) { return n ? numpy_pairwise_sum(a, n) / static_cast<double>(n) : 0.0; }

// numpy's pairwise_sum for float64 (loops_utils.h): sequential below 8 values, eight running
// sums combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) up to 128, else split at n/2 rounded
// down to a multiple of 8.
double numpy_pairwise_sum(const double* a, size_t n) {
  if (n < 8) {
    double r = 0.;
    for (size_t i = 0; i < n; ++i) r += a[i];
    return r;
  }
  if (n <= 128) {
    double r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    size_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  size_t n2 = n / 2;
  n2 -= n2 % 8;
  return numpy_pairwise_sum(a, n2) + numpy_pairwise_sum(a + n2, n - n2);
}

BootstrapEstimate estimate_ci(std::vector<double> scores) {
  BootstrapEstimate e;
  if (scores.empty()) return e;
  std::sort(scores.begin(), scores.end());
  const size_t n = scores.size();
  const size_t lo = n / 40, hi = n - lo - 1;
  e.mean = numpy_mean(scores.data(), n);  // sacreBLEU takes the mean of the sorted array
  e.ci = 0.5 * (scores[hi] - scores[lo]);
  return e;
}

std::vector<std::vector<uint32_t>> bootstrap_indices(size_t n_segments, int n_samples, uint64_t seed) {
  // rng.choice(n, size=(n_samples, n), replace=True): one integers(0, n) fill in row-major order.
  NumpyPcg64 rng(seed);
  std::vector<std::vector<uint32_t>> idx(static_cast<size_t>(n_samples), std::vector<uint32_t>(n_segments));
  std::vector<uint64_t> row(n_segments);
  for (auto& r : idx) {
    rng.integers_fill(n_segments, n_segments, row.data());
    for (size_t i = 0; i < n_segments; ++i) r[i] = static_cast<uint32_t>(row[i]);
  }
  return idx;
}

std::vector<double> resampled_scores(const Metric& m, const std::vector<std::vector<double>>& stats,
                                     const std::vector<std::vector<uint32_t>>& idx) {
  std::vector<double> out;
  out.reserve(idx.size());
  // sacreBLEU converts the statistics to float32 and sums each resample's rows in float32
  // (exact for integer counts below 2^24; it matters for TER's averaged reference lengths).
  const size_t k_n = m.n_stats();
  std::vector<float> f(stats.size() * k_n);
  for (size_t i = 0; i < stats.size(); ++i)
    for (size_t k = 0; k < k_n; ++k) f[i * k_n + k] = static_cast<float>(stats[i][k]);
  std::vector<float> acc(k_n);
  std::vector<double> sum(k_n);
  for (const auto& row : idx) {
    std::fill(acc.begin(), acc.end(), 0.0f);
    for (uint32_t i : row)
      for (size_t k = 0; k < k_n; ++k) acc[k] += f[i * k_n + k];
    for (size_t k = 0; k < k_n; ++k) sum[k] = acc[k];
    out.push_back(m.score_from_stats(sum).score);
  }
  return out;
}

PairedResult paired_bootstrap(const Metric& m, const std::vector<std::vector<double>>& baseline,
                              const std::vector<std::vector<double>>& system,
                              const std::vector<std::vector<uint32_t>>& idx) {
  PairedResult r;
  r.baseline = m.score_from_stats(sum_stats(m, baseline)).score;
  r.system = m.score_from_stats(sum_stats(m, system)).score;
  const auto bl = resampled_scores(m, baseline, idx);
  const auto sy = resampled_scores(m, system, idx);
  r.baseline_est = estimate_ci(bl);
  r.system_est = estimate_ci(sy);
  const double real = std::fabs(r.baseline - r.system);
  std::vector<double> d(bl.size());
  for (size_t i = 0; i < bl.size(); ++i) d[i] = std::fabs(sy[i] - bl[i]);
  const double mean = numpy_mean(d.data(), d.size());
  size_t c = 0;
  for (double x : d) c += (x - mean) > real;
  r.p_value = static_cast<double>(c + 1) / static_cast<double>(d.size() + 1);
  return r;
}

}  // namespace hymt::eval
