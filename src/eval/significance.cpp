// significance.cpp: bootstrap resampling and the paired test of significance.h.
#include "eval/significance.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace hymt::eval {

BootstrapEstimate estimate_ci(std::vector<double> scores) {
  BootstrapEstimate e;
  if (scores.empty()) return e;
  std::sort(scores.begin(), scores.end());
  const size_t n = scores.size();
  const size_t lo = n / 40, hi = n - lo - 1;
  double sum = 0;
  for (double s : scores) sum += s;
  e.mean = sum / static_cast<double>(n);
  e.ci = 0.5 * (scores[hi] - scores[lo]);
  return e;
}

std::vector<std::vector<uint32_t>> bootstrap_indices(size_t n_segments, int n_samples, uint64_t seed) {
  std::mt19937_64 rng(seed);
  // Rejection sampling keeps every index equally likely (a plain modulo would not).
  const uint64_t n = n_segments, limit = n ? (UINT64_MAX / n) * n : 0;
  std::vector<std::vector<uint32_t>> idx(static_cast<size_t>(n_samples), std::vector<uint32_t>(n_segments));
  for (auto& row : idx)
    for (auto& v : row) {
      uint64_t x;
      do x = rng();
      while (x >= limit);
      v = static_cast<uint32_t>(x % n);
    }
  return idx;
}

std::vector<double> resampled_scores(const Metric& m, const std::vector<std::vector<double>>& stats,
                                     const std::vector<std::vector<uint32_t>>& idx) {
  std::vector<double> out;
  out.reserve(idx.size());
  std::vector<double> sum(m.n_stats());
  for (const auto& row : idx) {
    std::fill(sum.begin(), sum.end(), 0.0);
    for (uint32_t i : row)
      for (size_t k = 0; k < sum.size(); ++k) sum[k] += stats[i][k];
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
  double mean = 0;
  for (size_t i = 0; i < bl.size(); ++i) {
    d[i] = std::fabs(sy[i] - bl[i]);
    mean += d[i];
  }
  if (!d.empty()) mean /= static_cast<double>(d.size());
  size_t c = 0;
  for (double x : d) c += (x - mean) > real;
  r.p_value = static_cast<double>(c + 1) / static_cast<double>(d.size() + 1);
  return r;
}

}  // namespace hymt::eval
