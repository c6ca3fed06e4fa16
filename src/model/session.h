// session.h: per-sequence state: the KV cache and the activation scratch of one forward pass.
// Weights live in Model (shared, read-only); everything a request mutates lives here.
#pragma once

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "core/thread_pool.h"
#include "kernels/kernels.h"
#include "model/model.h"

namespace hymt {

class Session {
 public:
  // n_ctx: positions the KV cache holds. Never derived from the file's context_length (262144).
  Session(const Model& model, int64_t n_ctx);

  const Model& model() const { return model_; }
  int64_t n_ctx() const { return n_ctx_; }
  int64_t n_past() const { return n_past_; }
  // Forgets positions >= n (n <= n_past); n = 0 starts a new sequence.
  void truncate(int64_t n);

  // Runs `n` tokens at positions n_past .. n_past+n-1 (one batched prefill or a single decode step)
  // and appends their keys/values to the cache. logits: n_vocab floats for the last token, or
  // n * n_vocab (row per token) when all_logits is true; may be null.
  Status forward(const int32_t* tokens, int64_t n, ThreadPool& pool, float* logits, bool all_logits);

 private:
  void reserve(int64_t n_tok, int n_threads);
  float* k_at(int64_t layer, int64_t pos) { return k_cache_.data() + (layer * n_ctx_ + pos) * kv_dim_; }
  float* v_at(int64_t layer, int64_t pos) { return v_cache_.data() + (layer * n_ctx_ + pos) * kv_dim_; }

  const Model& model_;
  int64_t n_ctx_;
  int64_t kv_dim_;
  int64_t n_past_ = 0;
  std::vector<float> k_cache_, v_cache_;  // [layer][pos][n_head_kv * head_dim], F32
  // Scratch, grown to the largest batch seen and then reused (no allocation per token).
  std::vector<float> x_, xn_, q_, k_, v_, attn_, gate_, up_, scores_;
  KernelScratch ks_;
};

}  // namespace hymt
