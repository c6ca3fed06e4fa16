// metric.h: the metric interface shared by BLEU, chrF/chrF++ and TER, in sacreBLEU's shape: each
// segment (a hypothesis and its references) gives a vector of sufficient statistics; a corpus score
// is the metric computed on their column sums, so sentence scores, corpus scores and bootstrap
// resamples all go through one score_from_stats(). Statistics are integer counts held in doubles
// (exact to 2^53), except TER's averaged reference length.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "eval/text.h"

namespace hymt::eval {

// The sacreBLEU release whose definitions and signatures these metrics reproduce.
inline constexpr const char* kSacrebleuVersion = "2.6.0";

struct MetricScore {
  std::string name;     // "BLEU", "chrF2", "chrF2++", "TER"
  double score = 0;     // 0-100
  std::string verbose;  // BLEU: "p1/p2/p3/p4 (BP = ... ratio = ... hyp_len = ... ref_len = ...)"
  // BLEU only: n-gram statistics as sacreBLEU reports them.
  std::vector<double> counts, totals, precisions;
  double bp = 0, sys_len = 0, ref_len = 0;
};

class Metric {
 public:
  virtual ~Metric() = default;
  // "BLEU", "chrF2", "chrF2++", "TER".
  virtual std::string name() const = 0;
  virtual size_t n_stats() const = 0;
  // Statistics of one segment. refs: its references (at least one, none empty), raw text.
  virtual std::vector<double> segment_stats(const U32& hyp, const std::vector<U32>& refs) const = 0;
  // The score from (summed) statistics.
  virtual MetricScore score_from_stats(const std::vector<double>& stats) const = 0;
  // sacreBLEU's signature; nrefs -1 means a variable number ("var").
  virtual std::string signature(int nrefs) const = 0;
};

// Statistics of every segment. ref_streams: one vector of lines per reference file, each as long as
// hyps. An empty reference line is left out for that segment (sacreBLEU's variable references);
// a segment with no reference at all is an error, as in sacreBLEU. *nrefs gets the number of
// references per segment, or -1 when it varies.
Result<std::vector<std::vector<double>>> corpus_stats(const Metric& m, const std::vector<std::string>& hyps,
                                                      const std::vector<std::vector<std::string>>& ref_streams,
                                                      int* nrefs);
// Column sums of segment statistics (the corpus statistics).
std::vector<double> sum_stats(const Metric& m, const std::vector<std::vector<double>>& stats);

// sacreBLEU's one-line form: "BLEU = 25.13 35.9/... (BP = ...)", score to `width` decimals.
std::string format_score(const MetricScore& s, int width);

}  // namespace hymt::eval
