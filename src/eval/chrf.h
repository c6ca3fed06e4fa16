// chrf.h: chrF and chrF++ as sacreBLEU 2.x computes them: character n-grams 1..6 of the text with all
// whitespace removed, plus (chrF++) word n-grams 1..2 of the words after splitting one ASCII
// punctuation mark off a word's end (else its start); per order precision and recall averaged over
// the orders that have both hypothesis and reference n-grams ("effective order"), F-beta with
// beta 2. With several references, the one with the best sentence F-score gives the statistics.
#pragma once

#include "eval/metric.h"

namespace hymt::eval {

struct ChrfOptions {
  int char_order = 6;
  int word_order = 0;  // 2: chrF++
  int beta = 2;
  bool lowercase = false;
  bool whitespace = false;  // keep whitespace in character n-grams
  bool eps_smoothing = false;
};

class Chrf : public Metric {
 public:
  explicit Chrf(const ChrfOptions& o) : o_(o) {}
  std::string name() const override;
  size_t n_stats() const override { return 3 * static_cast<size_t>(o_.char_order + o_.word_order); }
  // Per order (characters 1..char_order, then words 1..word_order): [n_hyp, n_ref, n_match].
  std::vector<double> segment_stats(const U32& hyp, const std::vector<U32>& refs) const override;
  MetricScore score_from_stats(const std::vector<double>& stats) const override;
  std::string signature(int nrefs) const override;

  // sacreBLEU's word splitting for chrF++ (exposed for tests).
  static std::vector<U32> split_punctuation(const U32& sent);

 private:
  double f_score(const std::vector<double>& stats) const;
  ChrfOptions o_;
};

}  // namespace hymt::eval
