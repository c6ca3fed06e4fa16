// thread_pool.h: a fixed pool of worker threads, one per Engine, passed explicitly to kernels.
// parallel_for splits [0, n) into contiguous chunks; callers must make each output element depend
// only on its own index (never on the chunking), so results are identical for any thread count.
// A decode step issues hundreds of parallel_for calls, so workers spin briefly on an atomic
// generation counter before sleeping: waking a sleeping thread costs tens of microseconds.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
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
  // The calling thread takes part as thread 0. Not re-entrant. Chunks of `grain` items (0: about
  // four per thread) are claimed from a shared counter, so a thread slowed by the machine or given
  // costlier items (causal attention) does not hold the others back; which thread runs a chunk
  // varies from run to run, so fn must make each result depend only on its index.
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
  void run_chunks(int index);

  int n_threads_ = 1;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_start_;
  const std::function<void(int64_t, int64_t, int)>* job_ = nullptr;
  int64_t job_n_ = 0;
  int64_t job_grain_ = 1;
  std::atomic<int64_t> next_{0};  // first item not yet claimed
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<int> sleepers_{0};
  std::atomic<bool> stop_{false};
};

}  // namespace hymt
