// fidelity.h: how closely one model's next-token distributions follow another's, on the same token
// sequence (teacher forcing): KL(P || Q) per position from the two logit rows, with the softmax in
// double (float32 logits lose the tail probabilities otherwise), and top-1 agreement (the two
// argmaxes equal, ties to the lower id). The numbers docs/formats.md reports for each weight format.
#pragma once

#include <cstdint>

namespace hymt::eval {

struct FidelityAccum {
  double kl_sum = 0;
  int64_t n_positions = 0;
  int64_t n_top1_agree = 0;

  // One position: p = reference model's logits, q = the compared model's, n_vocab each.
  void add(const float* p, const float* q, int64_t n_vocab);
  double mean_kl() const { return n_positions ? kl_sum / static_cast<double>(n_positions) : 0.0; }
  double top1() const {
    return n_positions ? static_cast<double>(n_top1_agree) / static_cast<double>(n_positions) : 0.0;
  }
  void merge(const FidelityAccum& o) {
    kl_sum += o.kl_sum;
    n_positions += o.n_positions;
    n_top1_agree += o.n_top1_agree;
  }
};

}  // namespace hymt::eval
