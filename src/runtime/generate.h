// generate.h: the token loop: one batched prefill of the prompt, then single-token decode steps
// through the KV cache, greedy (argmax) selection until a stop id or the token budget.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/status.h"
#include "core/thread_pool.h"
#include "model/session.h"

namespace hymt {

struct GreedyOptions {
  int64_t max_new_tokens = 64;
  std::vector<int32_t> stop_ids;  // generation ends after emitting one of these (it is included)
  // Called with each new token as soon as it is chosen; return false to stop early.
  std::function<bool(int32_t)> on_token;
};

// Index of the largest value (lowest index on ties, so results never depend on summation noise
// beyond the values themselves).
int32_t argmax(const float* x, int64_t n);

// Appends the prompt to the session and returns the generated ids.
Result<std::vector<int32_t>> generate_greedy(Session& s, const std::vector<int32_t>& prompt, ThreadPool& pool,
                                             const GreedyOptions& opt);

// Stop ids a model's metadata names: tokenizer.ggml.{eos,eot,eom}_token_id, plus the HY family's
// safety stops (<｜hy_end▁of▁sentence｜>, <｜hy_EOT｜>) when those tokens exist (spec §3.6).
std::vector<int32_t> default_stop_ids(const Model& m);

}  // namespace hymt
