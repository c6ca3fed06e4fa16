// scheduler.h: continuous batching over one model. Requests wait in a FIFO queue; up to max_seqs
// of them run at once, each with its own KV block table and sampler. Every step() is one
// forward_batch over the running sequences: each decoding sequence feeds its last token, and the
// sequences still reading their prompt feed the next chunk of it, all under a per-step token budget
// (chunked prefill: a long prompt never holds running decodes up for more than one chunk). A
// request is admitted when a slot is free and the KV pool can hold all of it (prompt + budget), so
// a running sequence never runs out of blocks; its prompt starts after the longest prefix found in
// the prefix cache. A sequence's tokens are exactly those of the same request run alone
// (forward_batch is batch-invariant, a reused block holds the bits a recomputation would, and each
// sequence has its own sampler). Single-threaded: the engine's decode thread drives it.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <unordered_set>
#include <vector>

#include "core/status.h"
#include "core/thread_pool.h"
#include "model/kv_cache.h"
#include "model/model.h"
#include "model/session.h"
#include "runtime/prefix_cache.h"
#include "runtime/request.h"

namespace hymt {

struct SchedulerOptions {
  int max_seqs = 8;           // sequences running at once (slots)
  int64_t step_tokens = 512;  // tokens one forward pass takes at most (>= 1)
  int64_t n_ctx = 4096;       // a request's n_ctx when it names none
};

// Counters since the scheduler started (the server's /metrics).
struct SchedulerCounters {
  int64_t steps = 0, prompt_tokens = 0, cached_tokens = 0, generated_tokens = 0;
  int64_t finished = 0, failed = 0, cancelled = 0;
};

class Scheduler {
 public:
  using Done = std::function<void(Result<RequestResult>)>;
  // cache may be null (no prefix reuse).
  Scheduler(const Model& model, KvPool& kv, PrefixCache* cache, ThreadPool& pool, const SchedulerOptions& opt);
  ~Scheduler();

  // Queues a request; `done` is called from a later step() (or cancel_all) with its result.
  // submit_ms: when the caller received it (steady clock, ms), for the queue and TTFT times.
  void add(uint64_t id, Request r, Done done, double submit_ms);
  // Cancels a queued or running request at the next step (unknown ids are ignored).
  void cancel(uint64_t id);
  // Ends every request now with kCancelled.
  void cancel_all();
  // Admits what fits, runs one forward pass over the running sequences and answers the finished
  // ones. Returns false when there was nothing to run.
  bool step();

  bool idle() const { return queue_.empty() && live_.empty(); }
  int64_t n_queued() const { return static_cast<int64_t>(queue_.size()); }
  int64_t n_running() const { return static_cast<int64_t>(live_.size()); }
  const SchedulerCounters& counters() const { return counters_; }

 private:
  struct Queued;
  struct Live;
  void cancel_marked();
  void admit();
  void finish(Live& s, StopReason why);
  void answer(std::vector<std::unique_ptr<Live>>& done);
  int64_t outstanding_blocks() const;

  const Model& model_;
  KvPool& kv_;
  PrefixCache* cache_;
  ThreadPool& pool_;
  SchedulerOptions opt_;
  std::deque<std::unique_ptr<Queued>> queue_;
  std::vector<std::unique_ptr<Live>> live_;
  std::unordered_set<uint64_t> cancelled_;
  ForwardScratch scratch_;
  std::vector<float> logits_, work_;
  std::vector<SeqBatch> batch_;
  SchedulerCounters counters_;
};

double steady_ms();

}  // namespace hymt
