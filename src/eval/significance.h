// significance.h: sacreBLEU's paired bootstrap resampling test (Koehn 2004, as in Moses'
// bootstrap-hypothesis-difference-significance.pl): the same resampled segment indices for the
// baseline and the system; p = (1 + #{ |d_i| - mean|d| > |real difference| }) / (1 + n_samples);
// the 95% interval as half the distance between the n/40-th smallest and largest resampled scores.
// The resample indices are numpy's: np.random.default_rng(seed).choice(n, size=(n_samples, n))
// (numpy_random.h); each resample sums float32 statistics as sacreBLEU does, and means use numpy's
// pairwise summation, so mean, interval and p agree with sacreBLEU's to the last bit (checked
// against numpy at test time: tests/eval/paired_bs_test.py; docs/eval.md).
#pragma once

#include <cstdint>
#include <vector>

#include "eval/metric.h"

namespace hymt::eval {

// numpy's float64 pairwise summation (np.sum, np.mean of a contiguous array), and the mean from it.
double numpy_pairwise_sum(const double* a, size_t n);
double numpy_mean(const double* a, size_t n);

struct BootstrapEstimate {
  double mean = 0, ci = 0;
};
BootstrapEstimate estimate_ci(std::vector<double> scores);

// n_samples rows of n_segments indices in [0, n_segments), drawn with replacement.
std::vector<std::vector<uint32_t>> bootstrap_indices(size_t n_segments, int n_samples, uint64_t seed);

// Scores of every resample of the segment statistics.
std::vector<double> resampled_scores(const Metric& m, const std::vector<std::vector<double>>& stats,
                                     const std::vector<std::vector<uint32_t>>& idx);

struct PairedResult {
  double baseline = 0, system = 0;  // full-corpus scores
  BootstrapEstimate baseline_est, system_est;
  double p_value = 1;
};
PairedResult paired_bootstrap(const Metric& m, const std::vector<std::vector<double>>& baseline,
                              const std::vector<std::vector<double>>& system,
                              const std::vector<std::vector<uint32_t>>& idx);

}  // namespace hymt::eval
