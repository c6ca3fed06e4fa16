// session.h: per-sequence state: the KV cache of one sequence, and the forward pass over one or
// several sequences. Weights live in Model (shared, read-only); everything a request mutates lives
// here.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/status.h"
#include "core/thread_pool.h"
#include "kernels/kernels.h"
#include "model/model.h"

namespace hymt {

// Activation scratch of one forward pass, grown to the largest batch seen and then reused, so the
// token loop does not allocate.
struct ForwardScratch {
  std::vector<float> x, xn, q, k, v, attn, gate, up, scores;
  std::vector<float> rope;  // per token, rope_angles' head_dim values
  std::vector<int64_t> pos, seq;  // per token of the batch: its position and its sequence
  std::vector<int64_t> attn_blocks;  // first token of each attention block, then the token count
  KernelScratch ks;
};

class Session;

// One sequence's part of a batched forward pass: n tokens appended to `session`.
struct SeqBatch {
  Session* session;
  const int32_t* tokens;
  int64_t n;
};

// Runs several sequences (each with its own Session and KV cache, all of one Model) through one
// forward pass: the matrix products see every token of every sequence together, so each weight is
// read once per step for the whole batch; attention reads each token's own cache. logits: one row
// of n_vocab per sequence (its last token), or one per token in batch order when all_logits; may
// be null. A sequence's results are the same alone or in any batch. Sessions must be distinct.
Status forward_batch(const SeqBatch* seqs, int n_seq, ThreadPool& pool, ForwardScratch& scratch, float* logits,
                     bool all_logits);

class Session {
 public:
  // n_ctx: positions the KV cache holds. Never derived from the file's context_length (262144).
  // The cache is allocated but not written up front, so memory is only touched as positions fill.
  Session(const Model& model, int64_t n_ctx, KvType kv = KvType::kF16);

  const Model& model() const { return model_; }
  int64_t n_ctx() const { return n_ctx_; }
  int64_t n_past() const { return n_past_; }
  KvType kv_type() const { return kv_type_; }
  // Forgets positions >= n (n <= n_past); n = 0 starts a new sequence.
  void truncate(int64_t n);

  // Runs `n` tokens at positions n_past .. n_past+n-1 (one batched prefill or a single decode step)
  // and appends their keys/values to the cache. logits: n_vocab floats for the last token, or
  // n * n_vocab (row per token) when all_logits is true; may be null.
  Status forward(const int32_t* tokens, int64_t n, ThreadPool& pool, float* logits, bool all_logits);

 private:
  friend Status forward_batch(const SeqBatch*, int, ThreadPool&, ForwardScratch&, float*, bool);
  uint8_t* k_at(int64_t layer, int64_t pos) { return k_cache_.get() + ((layer * n_ctx_ + pos) * kv_dim_) * kv_size_; }
  uint8_t* v_at(int64_t layer, int64_t pos) { return v_cache_.get() + ((layer * n_ctx_ + pos) * kv_dim_) * kv_size_; }

  const Model& model_;
  int64_t n_ctx_;
  int64_t kv_dim_;
  KvType kv_type_;
  int64_t kv_size_;  // bytes per cached value
  int64_t n_past_ = 0;
  // [layer][pos][n_head_kv * head_dim] in kv_type_. new[] without value-initialisation: pages of
  // positions never reached are never touched (peak RSS follows the context actually used).
  std::unique_ptr<uint8_t[]> k_cache_, v_cache_;
  ForwardScratch scratch_;
};

}  // namespace hymt
