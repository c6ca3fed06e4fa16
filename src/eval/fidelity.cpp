// fidelity.cpp: KL divergence and top-1 agreement of two logit rows (log-softmax in double).
#include "eval/fidelity.h"

#include <cmath>
#include <vector>

namespace hymt::eval {

void FidelityAccum::add(const float* p, const float* q, int64_t n) {
  if (n <= 0) return;
  double pmax = p[0], qmax = q[0];
  int64_t pa = 0, qa = 0;
  for (int64_t i = 1; i < n; ++i) {
    if (p[i] > pmax) {
      pmax = p[i];
      pa = i;
    }
    if (q[i] > qmax) {
      qmax = q[i];
      qa = i;
    }
  }
  double ps = 0, qs = 0;
  for (int64_t i = 0; i < n; ++i) {
    ps += std::exp(static_cast<double>(p[i]) - pmax);
    qs += std::exp(static_cast<double>(q[i]) - qmax);
  }
  const double plse = pmax + std::log(ps), qlse = qmax + std::log(qs);
  double kl = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double lp = static_cast<double>(p[i]) - plse, lq = static_cast<double>(q[i]) - qlse;
    kl += std::exp(lp) * (lp - lq);
  }
  kl_sum += kl > 0 ? kl : 0.0;  // rounding can leave -1e-17 for identical rows; KL is never negative
  ++n_positions;
  n_top1_agree += pa == qa;
}

}  // namespace hymt::eval
