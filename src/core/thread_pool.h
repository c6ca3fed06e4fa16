// thread_pool.h: a fixed pool of worker threads, one per Engine, passed explicitly to kernels.
// parallel_for splits [0, n) into contiguous chunks; callers must make each output element depend
// only on its own index (never on the chunking), so results are identical for any thread count.
// Built to degrade gracefully when other processes take cores: no job waits for a thread that has
// not started it (the others take its chunks), every wait spins only briefly before sleeping, and
// after a job held up by a preempted thread the next jobs run on the caller alone for a while.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace hymt {

class ThreadPool {
 public:
  // n_threads <= 0 means "all hardware threads".
  explicit ThreadPool(int n_threads = 1);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int n_threads() const { return n_threads_; }

  // Calls fn(begin, end, thread_index) over contiguous chunks covering [0, n); blocks until done.
  // The calling thread takes part as thread 0. Not re-entrant: one caller at a time, and fn must
  // not call back into the pool. Chunks of `grain` items (0: about four per thread; a multiple of
  // grain only if n / grain exceeds 65535) are claimed from a shared counter, so a thread slowed by
  // the machine or given costlier items (causal attention) does not hold the others back; which
  // thread runs a chunk varies from run to run, so fn must make each result depend only on its
  // index. A thread runs its chunks one after another, so per-thread scratch needs no lock.
  void parallel_for(int64_t n, const std::function<void(int64_t, int64_t, int)>& fn, int64_t grain = 0);
  // Calls f(i) for every i < n through parallel_for (so a single item runs inline on the caller).
  template <class F>
  void for_each(int64_t n, const F& f) {
    parallel_for(n, [&](int64_t b, int64_t e, int) {
      for (int64_t i = b; i < e; ++i) f(i);
    });
  }

 private:
  void worker(int index);
  int run_chunks(int index);     // returns the number of chunks it ran
  bool wait_done(int n_chunks);  // true if the caller had to sleep

  int n_threads_ = 1;
  std::vector<std::thread> workers_;
  // The job: written by the caller before it publishes claim_, read by a thread only after it has
  // claimed a chunk, which keeps the caller from moving on until that chunk is done.
  const std::function<void(int64_t, int64_t, int)>* job_fn_ = nullptr;
  int64_t job_n_ = 0;
  int64_t job_grain_ = 1;
  uint32_t job_id_ = 0;  // caller only
  // Stall back-off (caller only): jobs run inline until solo_until_ after a stalled job.
  std::chrono::steady_clock::time_point solo_until_{};
  std::chrono::steady_clock::duration solo_for_ = std::chrono::milliseconds(4);
  std::chrono::steady_clock::time_point last_stall_{};  // the window shrinks back only after a calm spell
  // Job id (32 bits) | chunk count (16) | next chunk to claim (16), claimed by compare-exchange: the
  // id makes a claim by a thread that saw an earlier job fail instead of taking a chunk of this one.
  alignas(64) std::atomic<uint64_t> claim_{0};
  alignas(64) std::atomic<uint32_t> done_{0};  // chunks of the current job finished
  std::atomic<uint32_t> caller_sleeping_{0};
  alignas(64) std::atomic<uint32_t> generation_{0};  // bumped per job: what idle workers wait on
  std::atomic<int> sleepers_{0};
  std::atomic<bool> stop_{false};
};

}  // namespace hymt
