// thread_pool.cpp: claim-based pool that stays fast when other processes take cores.
// A job is one 64-bit claim word (job id, chunk count, next chunk) plus a count of finished
// chunks. The caller waits for its chunks to be done, not for its workers to turn up: a worker the
// kernel has descheduled simply finds nothing left to claim when it runs again, so a busy core
// costs at most the chunk a thread holds when it is preempted. Every wait (an idle worker, the
// caller waiting for the last chunks) spins for a bounded time, then sleeps on an atomic
// (std::atomic::wait, a futex on Linux), giving the core back to whichever thread needs it.
#include "core/thread_pool.h"

#include <algorithm>
#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HYMT_CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define HYMT_CPU_RELAX() asm volatile("yield" ::: "memory")
#else
#define HYMT_CPU_RELAX() ((void)0)
#endif

namespace hymt {

namespace {
// A decode step issues hundreds of jobs a few microseconds apart, and waking a sleeping thread
// costs tens of microseconds, so an idle worker spins about this long before it sleeps. Bounded in
// time, not in iterations: a pause instruction takes from 3 to 150 cycles depending on the CPU.
constexpr auto kWorkerSpin = std::chrono::microseconds(50);
// The caller waits for chunks other threads hold; a running thread finishes one within
// microseconds, and a chunk held longer is held by a preempted thread, which needs the core.
constexpr auto kCallerSpin = std::chrono::microseconds(20);
constexpr int kChunksPerThread = 4;
// After a job that took longer than the caller alone would have (it slept waiting for a chunk held
// by a preempted thread), jobs run on the caller alone for this long, doubling while stalls recur.
// The first job after a window often runs clean by luck (the competitor was between time slices),
// so the window shrinks back only after kCalm without a stall; otherwise a steady competitor would
// cost a stall every 4 ms (measured: 2t/1t 0.95x loaded with an immediate reset).
constexpr auto kSoloFirst = std::chrono::milliseconds(4);
constexpr auto kSoloMax = std::chrono::milliseconds(256);
constexpr auto kCalm = std::chrono::milliseconds(1000);
// ... and only when it waited at least this long: a scheduler time slice, so that chunks of uneven
// cost (causal attention) on a quiet machine are not taken for a preempted thread.
constexpr auto kStallWait = std::chrono::milliseconds(1);
constexpr int64_t kMaxChunks = 0xffff;

constexpr uint64_t pack(uint32_t id, uint64_t count, uint64_t next) {
  return (static_cast<uint64_t>(id) << 32) | (count << 16) | next;
}
constexpr uint32_t count_of(uint64_t w) { return static_cast<uint32_t>((w >> 16) & 0xffff); }
constexpr uint32_t next_of(uint64_t w) { return static_cast<uint32_t>(w & 0xffff); }

// Spins until done() holds or `budget` has passed; returns done(). The clock is read every 32
// pauses, so it costs little against the pauses themselves.
template <class Done>
bool spin_for(std::chrono::steady_clock::duration budget, const Done& done) {
  const auto until = std::chrono::steady_clock::now() + budget;
  for (;;) {
    for (int i = 0; i < 32; ++i) {
      if (done()) return true;
      HYMT_CPU_RELAX();
    }
    if (std::chrono::steady_clock::now() >= until) return done();
  }
}

}  // namespace

ThreadPool::ThreadPool(int n_threads) {
  if (n_threads <= 0) n_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  n_threads_ = n_threads;
  for (int i = 1; i < n_threads_; ++i) workers_.emplace_back([this, i] { worker(i); });
}

ThreadPool::~ThreadPool() {
  stop_.store(true);
  generation_.fetch_add(1);
  generation_.notify_all();
  for (auto& t : workers_) t.join();
}

int ThreadPool::run_chunks(int index) {
  int ran = 0;
  uint64_t w = claim_.load(std::memory_order_acquire);
  for (;;) {
    const uint32_t count = count_of(w), c = next_of(w);
    if (c >= count) return ran;
    // A failed exchange reloads w: another thread took chunk c, or a new job was published.
    if (!claim_.compare_exchange_weak(w, w + 1, std::memory_order_acq_rel, std::memory_order_acquire)) continue;
    // Chunk c of a job whose caller is waiting for it: the job's fields stay as published.
    const int64_t b = static_cast<int64_t>(c) * job_grain_;
    (*job_fn_)(b, std::min(job_n_, b + job_grain_), index);
    ++ran;
    // After this add the caller may return and publish the next job; nothing of it is read here.
    if (done_.fetch_add(1) + 1 == count && caller_sleeping_.load() != 0) done_.notify_one();
    w = claim_.load(std::memory_order_acquire);
  }
}

bool ThreadPool::wait_done(int n_chunks) {
  const auto all_done = [&] { return done_.load(std::memory_order_acquire) == static_cast<uint32_t>(n_chunks); };
  if (spin_for(kCallerSpin, all_done)) return false;
  // Store the flag before the last look at done_; the finishing worker adds to done_ before it
  // reads the flag, so one of the two sees the other (both seq_cst) and no wake-up is lost.
  caller_sleeping_.store(1);
  for (uint32_t d = done_.load(); d != static_cast<uint32_t>(n_chunks); d = done_.load()) done_.wait(d);
  caller_sleeping_.store(0, std::memory_order_relaxed);
  return true;
}

void ThreadPool::parallel_for(int64_t n, const std::function<void(int64_t, int64_t, int)>& fn, int64_t grain) {
  if (n <= 0) return;
  if (n_threads_ == 1 || n == 1) {  // the single-thread path, as cheap as a plain call
    fn(0, n, 0);
    return;
  }
  if (grain <= 0)
    grain = std::max<int64_t>(1, (n + kChunksPerThread * n_threads_ - 1) / (kChunksPerThread * n_threads_));
  int64_t chunks = (n + grain - 1) / grain;
  if (chunks > kMaxChunks) {  // the claim word holds 16-bit chunk numbers
    grain *= (chunks + kMaxChunks - 1) / kMaxChunks;
    chunks = (n + grain - 1) / grain;
  }
  if (chunks == 1) {
    fn(0, n, 0);
    return;
  }
  const auto start = std::chrono::steady_clock::now();
  if (start < solo_until_) {  // the same chunks, all on the caller: no thread to wait for
    for (int64_t b = 0; b < n; b += grain) fn(b, std::min(n, b + grain), 0);
    return;
  }
  job_fn_ = &fn;
  job_n_ = n;
  job_grain_ = grain;
  done_.store(0, std::memory_order_relaxed);
  claim_.store(pack(++job_id_, static_cast<uint64_t>(chunks), 0), std::memory_order_release);
  generation_.fetch_add(1);  // seq_cst, before the sleepers_ load: pairs with worker()
  if (sleepers_.load() > 0) generation_.notify_all();
  const int own = run_chunks(0);
  const auto own_end = std::chrono::steady_clock::now();
  if (!wait_done(static_cast<int>(chunks))) {
    if (own_end - last_stall_ > kCalm) solo_for_ = kSoloFirst;
    return;
  }
  // The caller slept for the last chunks. Alone it would have taken about its own time per chunk
  // times the chunk count; a job slower than that was held up by a thread the machine preempted.
  const auto end = std::chrono::steady_clock::now();
  if (own > 0 && end - own_end > kStallWait && end - start > (own_end - start) * chunks / own) {
    solo_until_ = end + solo_for_;
    last_stall_ = end;
    solo_for_ = std::min<std::chrono::steady_clock::duration>(2 * solo_for_, kSoloMax);
  } else if (end - last_stall_ > kCalm) {
    solo_for_ = kSoloFirst;
  }
}

void ThreadPool::worker(int index) {
  uint32_t seen = 0;
  for (;;) {
    if (!spin_for(kWorkerSpin, [&] { return generation_.load(std::memory_order_acquire) != seen; })) {
      // Count ourselves before the last look at generation_ (see parallel_for).
      sleepers_.fetch_add(1);
      generation_.wait(seen);
      sleepers_.fetch_sub(1);
    }
    seen = generation_.load(std::memory_order_acquire);
    if (stop_.load()) return;
    run_chunks(index);
  }
}

}  // namespace hymt
