// session.h: the forward pass over one or several sequences, each with its KV block table
// (kv_cache.h), and Session, one sequence with a pool of its own. Weights live in Model (shared,
// read-only); everything a sequence mutates lives in its blocks and the caller's scratch.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/status.h"
#include "core/thread_pool.h"
#include "kernels/kernels.h"
#include "model/kv_cache.h"
#include "model/model.h"

namespace hymt {

// Activation scratch of one forward pass, grown to the largest batch seen and then reused, so the
// token loop does not allocate.
struct ForwardScratch {
  std::vector<float> x, xn, q, k, v, attn, gate, up, scores;
  std::vector<float> rope;  // per token, rope_angles' head_dim values
  std::vector<int64_t> pos, seq;  // per token of the batch: its position and its sequence
  std::vector<int64_t> attn_blocks;  // first token of each attention block, then the token count
  std::vector<const void*> kv_ptrs;  // per thread: value-block pointers for one attention task
  KernelScratch ks;
};

// One sequence's part of a batched forward pass: n tokens appended to `kv` at positions
// kv->n_past() .. n_past+n-1. n_logits: logits wanted for the last n_logits of them (0: none, 1: the
// next-token distribution, n: every position, for speculative verification and scoring).
struct SeqBatch {
  KvSequence* kv;
  const int32_t* tokens;
  int64_t n;
  int64_t n_logits = 1;
};

// Runs several sequences (each with its own KV block table; the tables may share blocks) of one
// Model through one forward pass: the matrix products see every token of every sequence together,
// so each weight is read once per step for the whole batch; attention reads each token's own
// cache, block by block. logits: for each sequence in batch order, its n_logits rows of n_vocab
// (may be null when no sequence asks for any). A sequence's results are the same alone or in any
// batch, for any thread count, and a prompt fed in one pass or in pieces gives the same bits.
// Sequences must be distinct; each one's pool must hold n_past + n positions (else an
// out-of-memory or context-full error, before anything is computed).
Status forward_batch(const Model& model, const SeqBatch* seqs, int n_seq, ThreadPool& pool, ForwardScratch& scratch,
                     float* logits);

// One sequence on its own: a KV pool of its own (or a shared one) and its forward scratch. For the
// tools that drive the model directly (logits, the tests); requests go through runtime/engine.h.
class Session {
 public:
  // n_ctx: positions the KV cache holds. Never derived from the file's context_length (262144).
  // The blocks are allocated as positions fill and not written up front.
  Session(const Model& model, int64_t n_ctx, KvType kv = KvType::kF16);

  const Model& model() const { return model_; }
  int64_t n_ctx() const { return seq_.n_ctx(); }
  int64_t n_past() const { return seq_.n_past(); }
  KvType kv_type() const { return pool_->kv_type(); }
  KvSequence& kv() { return seq_; }
  // Forgets positions >= n (n <= n_past); n = 0 starts a new sequence.
  void truncate(int64_t n) { seq_.truncate(n); }

  // Runs `n` tokens at positions n_past .. n_past+n-1 (one batched prefill or a single decode step)
  // and appends their keys/values to the cache. logits: n_vocab floats for the last token, or
  // n * n_vocab (row per token) when all_logits is true; may be null.
  Status forward(const int32_t* tokens, int64_t n, ThreadPool& pool, float* logits, bool all_logits);

 private:
  const Model& model_;
  std::unique_ptr<KvPool> pool_;
  KvSequence seq_;
  ForwardScratch scratch_;
};

}  // namespace hymt
