// engine.h: the one owner of threads. An Engine holds the shared read-only model and tokenizer, the
// thread pool, the KV block pool with its prefix cache, and one decode thread that runs the
// scheduler (scheduler.h). submit() and cancel() are safe from any thread; a request's result comes
// back through its own channel (a callback on the decode thread, or a future). Tokenizing is the
// caller's job, in the caller's thread (the tokenizer is immutable and safe to share). The forward
// pass and the pool are used by the decode thread only, so any number of callers may share one
// engine. Requests' results do not depend on what else runs: see scheduler.h.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "core/thread_pool.h"
#include "model/kv_cache.h"
#include "model/model.h"
#include "runtime/prefix_cache.h"
#include "runtime/request.h"
#include "runtime/scheduler.h"
#include "tokenizer/tokenizer.h"

namespace hymt {

struct EngineOptions {
  int n_threads = 2;          // compute threads (<= 0: all hardware threads)
  int max_seqs = 8;           // sequences decoding together (slots)
  int64_t step_tokens = 512;  // tokens per forward pass at most (chunked prefill)
  int64_t n_ctx = 4096;       // a request's KV positions when it names none
  KvType kv_type = KvType::kF16;
  // KV memory for running sequences, MiB; 0: room for max_seqs sequences of n_ctx positions.
  int64_t kv_mb = 0;
  // KV memory the prefix cache may keep for finished requests, MiB (0: no prefix reuse).
  int64_t cache_mb = 128;
};

// A snapshot of what the engine is doing (the server's /health and /metrics), as of the end of the
// decode thread's last step (a result may reach its caller just before the step ends).
struct EngineStats {
  int64_t queued = 0, running = 0;
  int64_t kv_blocks_used = 0, kv_blocks_total = 0, cache_blocks = 0;
  SchedulerCounters counters;
};

class Engine {
 public:
  using Done = std::function<void(Result<RequestResult>)>;

  // Loads the model and, when the file has a vocabulary, its tokenizer.
  static Result<std::unique_ptr<Engine>> open(const std::string& model_path, const EngineOptions& opt);
  // Shares a model (and tokenizer, may be null) loaded elsewhere.
  Engine(std::shared_ptr<const Model> model, std::shared_ptr<const Tokenizer> tok, const EngineOptions& opt);
  // Ends every pending request with StopReason::kCancelled, then stops the decode thread.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const Model& model() const { return *model_; }
  const Tokenizer* tokenizer() const { return tok_.get(); }
  const EngineOptions& options() const { return opt_; }

  // Queues a request and returns its id. `done` runs on the decode thread exactly once; it may
  // call submit() or cancel() (they only take the inbox lock), and should be quick.
  uint64_t submit(Request r, Done done);
  // The same, with the result through a future.
  std::future<Result<RequestResult>> submit(Request r, uint64_t* id = nullptr);
  // submit and wait.
  Result<RequestResult> run(Request r);
  // Cancels a request at the next step (queued or running); unknown or finished ids are ignored.
  void cancel(uint64_t id);

  EngineStats stats() const;

 private:
  struct Pending {
    uint64_t id;
    Request r;
    Done done;
    double submit_ms;
  };
  void loop();

  std::shared_ptr<const Model> model_;
  std::shared_ptr<const Tokenizer> tok_;
  EngineOptions opt_;
  std::unique_ptr<ThreadPool> pool_;
  std::unique_ptr<KvPool> kv_;
  std::unique_ptr<PrefixCache> cache_;
  std::unique_ptr<Scheduler> sched_;  // decode thread only

  mutable std::mutex mu_;  // guards everything below
  std::condition_variable cv_;
  std::vector<Pending> inbox_;
  std::vector<uint64_t> cancels_;
  uint64_t next_id_ = 1;
  bool stop_ = false;
  EngineStats stats_;

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace hymt
