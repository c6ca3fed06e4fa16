// ter.h: TER as sacreBLEU 2.x computes it (its Tercom-compatible algorithm): lower-cased,
// whitespace-normalised words; greedy block shifts (at most 10 words, at most 50 positions away,
// at most 1000 candidates per sentence) chosen by the edit-distance gain, then length, then the
// earliest positions; a beam of 25 around the length-scaled diagonal in the edit distance. The
// corpus score is all edits over the sum of the segments' average reference lengths. sacreBLEU's
// shared vectors hold no TER values, so this one is checked by its own tests (docs/eval.md).
#pragma once

#include "eval/metric.h"

namespace hymt::eval {

struct TerOptions {
  bool case_sensitive = false;
};

class Ter : public Metric {
 public:
  explicit Ter(const TerOptions& o) : o_(o) {}
  std::string name() const override { return "TER"; }
  size_t n_stats() const override { return 2; }
  // [edits of the best reference, average reference length in words]
  std::vector<double> segment_stats(const U32& hyp, const std::vector<U32>& refs) const override;
  MetricScore score_from_stats(const std::vector<double>& stats) const override;
  std::string signature(int nrefs) const override;

 private:
  TerOptions o_;
};

// Edits (shifts + insertions, deletions, substitutions) turning hyp into ref; exposed for tests.
int64_t ter_edits(const std::vector<U32>& hyp, const std::vector<U32>& ref);

}  // namespace hymt::eval
