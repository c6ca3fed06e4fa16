// significance.h: sacreBLEU's paired bootstrap resampling test (Koehn 2004, as in Moses'
// bootstrap-hypothesis-difference-significance.pl): the same resampled segment indices for the
// baseline and the system; p = (1 + #{ |d_i| - mean|d| > |real difference| }) / (1 + n_samples);
// the 95% interval as half the distance between the n/40-th smallest and largest resampled scores.
// The resampling draws come from std::mt19937_64 seeded with `seed`, not numpy's PCG64: p-values
// follow the same procedure but are not digit-equal to sacreBLEU's (the shared vectors carry no
// bootstrap results to match; docs/eval.md).
#pragma once

#include <cstdint>
#include <vector>

#include "eval/metric.h"

namespace hymt::eval {

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
