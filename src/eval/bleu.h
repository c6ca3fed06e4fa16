// bleu.h: BLEU as sacreBLEU 2.x computes it: n-grams up to 4 of the tokenized (optionally
// lower-cased, right-stripped) text, clipped counts against the per-n-gram maximum over the
// references, the closest reference length (ties: the shorter), brevity penalty, and the smoothing
// methods exp (default), floor (0.1), add-k (1) and none; effective order for sentence scores.
#pragma once

#include <string>

#include "eval/metric.h"
#include "eval/tokenizers.h"

namespace hymt::eval {

enum class Smooth { kExp, kFloor, kAddK, kNone };
bool parse_smooth(const std::string& s, Smooth* out);  // "exp", "floor", "add-k", "none"

struct BleuOptions {
  TokenizerKind tokenize = TokenizerKind::k13a;
  bool lowercase = false;
  Smooth smooth = Smooth::kExp;
  double smooth_value = -1;  // < 0: the method's default (floor 0.1, add-k 1)
  bool effective_order = false;
  int max_order = 4;
};

class Bleu : public Metric {
 public:
  explicit Bleu(const BleuOptions& o) : o_(o) {}
  std::string name() const override { return "BLEU"; }
  size_t n_stats() const override { return 2 + 2 * static_cast<size_t>(o_.max_order); }
  // [sys_len, ref_len, correct_1..N, total_1..N]
  std::vector<double> segment_stats(const U32& hyp, const std::vector<U32>& refs) const override;
  MetricScore score_from_stats(const std::vector<double>& stats) const override;
  std::string signature(int nrefs) const override;

  // The tokenized form of a segment (lower-case, rstrip, tokenizer), as BLEU sees it.
  U32 preprocess(const U32& s) const;

 private:
  BleuOptions o_;
};

}  // namespace hymt::eval
