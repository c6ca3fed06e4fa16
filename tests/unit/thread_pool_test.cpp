// thread_pool_test.cpp: the pool under the conditions a loaded machine creates. Results must not
// depend on the thread count or the chunking, every chunk runs exactly once, and a worker that is
// stopped (as the kernel deschedules it when another process takes its core) must not hold up jobs.
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "core/thread_pool.h"

namespace hymt {
namespace {

// A float result per index through a chain of operations whose rounding depends on the order, so
// a chunking that leaked into the result (a sum across items) would show as different bits.
std::vector<float> compute(ThreadPool& pool, int64_t n, int64_t grain) {
  std::vector<float> out(static_cast<size_t>(n));
  pool.parallel_for(
      n,
      [&](int64_t b, int64_t e, int) {
        for (int64_t i = b; i < e; ++i) {
          float s = 0.0f;
          for (int k = 1; k <= 64; ++k) s += std::sin(static_cast<float>(i * k)) / static_cast<float>(k);
          out[static_cast<size_t>(i)] = s;
        }
      },
      grain);
  return out;
}

TEST(ThreadPool, SameResultsForAnyThreadCount) {
  ThreadPool one(1);
  for (int64_t grain : {0, 1, 7, 100}) {
    const std::vector<float> want = compute(one, 1000, grain);
    for (int threads : {2, 3, 7}) {
      ThreadPool pool(threads);
      for (int rep = 0; rep < 5; ++rep) {
        const std::vector<float> got = compute(pool, 1000, grain);
        ASSERT_EQ(std::memcmp(got.data(), want.data(), want.size() * sizeof(float)), 0)
            << threads << " threads, grain " << grain;
      }
    }
  }
}

// Every chunk is one call: chunks tile [0, n) without overlap, all of `grain` items but the last
// (a multiple of grain past 65535 chunks), and thread indices stay below the thread count.
TEST(ThreadPool, EveryChunkExactlyOnce) {
  struct Call {
    int64_t b, e;
  };
  for (int threads : {2, 3, 7}) {
    ThreadPool pool(threads);
    for (auto [n, grain] : {std::pair<int64_t, int64_t>{1000, 1}, {1000, 3}, {1000, 0}, {7, 0}, {200000, 1}}) {
      for (int rep = 0; rep < 20; ++rep) {
        std::mutex mu;
        std::vector<Call> calls;
        std::atomic<bool> bad_tid{false};
        pool.parallel_for(
            n,
            [&](int64_t b, int64_t e, int tid) {
              if (tid < 0 || tid >= threads) bad_tid = true;
              std::lock_guard<std::mutex> lock(mu);
              calls.push_back({b, e});
            },
            grain);
        ASSERT_FALSE(bad_tid.load());
        std::sort(calls.begin(), calls.end(), [](const Call& x, const Call& y) { return x.b < y.b; });
        ASSERT_FALSE(calls.empty());
        const int64_t size = calls[0].e - calls[0].b;
        if (grain > 0) {
          ASSERT_EQ(size % grain, 0);
          if (n / grain <= 0xffff) {
            ASSERT_EQ(size, grain);
          }
        }
        int64_t at = 0;
        for (size_t c = 0; c < calls.size(); ++c) {
          ASSERT_EQ(calls[c].b, at) << "chunk " << c << " of n " << n;
          ASSERT_EQ(calls[c].e - calls[c].b, c + 1 < calls.size() ? size : n - at);
          at = calls[c].e;
        }
        ASSERT_EQ(at, n);
        ASSERT_LE(calls.size(), size_t{0xffff});
      }
    }
  }
}

// One chunk that takes 200 ms: the other chunks go to the other threads meanwhile, and the job
// still ends (the caller sleeps while it waits, then wakes).
TEST(ThreadPool, SlowChunkDoesNotStallTheRest) {
  for (int rep = 0; rep < 3; ++rep) {
    ThreadPool pool(3);  // a fresh pool: after such a stall, one runs jobs on the caller alone
    std::atomic<int> finished{0}, finished_during_sleep{-1};
    pool.parallel_for(
        64,
        [&](int64_t b, int64_t, int) {
          if (b == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            finished_during_sleep = finished.load();
          }
          finished++;
        },
        1);
    EXPECT_EQ(finished.load(), 64);
    EXPECT_EQ(finished_during_sleep.load(), 63);
  }
}

// A worker stopped by a signal handler that sleeps stands in for one the kernel has descheduled:
// jobs must go on without it (the caller and the other worker take every chunk), not wait for it.
std::atomic<bool> g_stopped{false};
std::atomic<bool> g_release{false};
void hold_thread(int) {
  g_stopped = true;
  const timespec tick{0, 1000000};
  for (int i = 0; i < 5000 && !g_release.load(); ++i) nanosleep(&tick, nullptr);
}

TEST(ThreadPool, JobsDoNotWaitForAStoppedWorker) {
  struct sigaction sa {
  }, old{};
  sa.sa_handler = hold_thread;
  sigemptyset(&sa.sa_mask);
  ASSERT_EQ(sigaction(SIGUSR1, &sa, &old), 0);
  g_stopped = false;
  g_release = false;
  {
    ThreadPool pool(3);
    // Find worker 1's thread: keep issuing one-item chunks until it has taken one.
    std::atomic<bool> seen{false};
    pthread_t victim{};
    for (int i = 0; i < 100000 && !seen.load(); ++i) {
      pool.parallel_for(
          64,
          [&](int64_t, int64_t, int tid) {
            if (tid == 1 && !seen.exchange(true)) victim = pthread_self();
          },
          1);
    }
    ASSERT_TRUE(seen.load());
    ASSERT_EQ(pthread_kill(victim, SIGUSR1), 0);
    for (int i = 0; i < 5000 && !g_stopped.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_TRUE(g_stopped.load()) << "the signal never reached the worker";
    const auto t0 = std::chrono::steady_clock::now();
    std::atomic<int> by_victim{0};
    for (int job = 0; job < 200; ++job) {
      std::vector<int> hits(256, 0);
      pool.parallel_for(
          256,
          [&](int64_t b, int64_t e, int tid) {
            if (tid == 1) by_victim++;
            for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(i)]++;
          },
          4);
      ASSERT_EQ(std::count(hits.begin(), hits.end(), 1), 256);
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    g_release = true;  // the handler returns; the worker then finds no job and goes idle
    EXPECT_EQ(by_victim.load(), 0);
    EXPECT_LT(ms, 2500.0) << "200 jobs waited for the stopped worker";
  }
  sigaction(SIGUSR1, &old, nullptr);
}

// A job held up by a chunk on a slow worker (slower than the caller alone would have been) makes
// the pool run the next jobs on the caller alone for a few milliseconds, in the same chunks.
TEST(ThreadPool, RunsOnTheCallerAloneAfterAStall) {
  ThreadPool pool(2);
  bool stalled = false;
  for (int rep = 0; rep < 1000 && !stalled; ++rep) {
    std::atomic<bool> slept{false};
    pool.parallel_for(
        64,
        [&](int64_t, int64_t, int tid) {
          if (tid == 1 && !slept.exchange(true)) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
          } else {  // 10 us of work, so that the worker wakes up in time to take a chunk
            const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(10);
            while (std::chrono::steady_clock::now() < until) {}
          }
        },
        1);
    stalled = slept.load();
  }
  ASSERT_TRUE(stalled) << "the worker never took a chunk";
  const auto t0 = std::chrono::steady_clock::now();
  std::mutex mu;
  std::vector<std::pair<int64_t, int>> calls;
  pool.parallel_for(
      64,
      [&](int64_t b, int64_t e, int tid) {
        std::lock_guard<std::mutex> lock(mu);
        calls.push_back({e - b, tid});
      },
      2);
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(calls.size(), 32u);
  for (auto [size, tid] : calls) ASSERT_EQ(size, 2);
  if (ms < 2.0) {  // well inside the first back-off (4 ms), unless this thread was preempted
    for (auto [size, tid] : calls) EXPECT_EQ(tid, 0);
  }
}

// Jobs far apart (workers asleep between them) and jobs back to back, from a thread other than
// the one that made the pool, while another pool runs on a third thread: as the engine's decode
// thread and a converter's pool may run at once.
TEST(ThreadPool, SleepWakeAndConcurrentPools) {
  ThreadPool a(2), b(3);
  auto drive = [](ThreadPool* pool, int jobs, bool pause, std::atomic<int>* errors) {
    for (int j = 0; j < jobs; ++j) {
      if (pause && j % 4 == 0) std::this_thread::sleep_for(std::chrono::microseconds(300));
      std::vector<int64_t> out(513, -1);
      pool->parallel_for(513, [&](int64_t lo, int64_t hi, int) {
        for (int64_t i = lo; i < hi; ++i) out[static_cast<size_t>(i)] = i * j;
      });
      for (int64_t i = 0; i < 513; ++i) *errors += out[static_cast<size_t>(i)] != i * j;
    }
  };
  std::atomic<int> errors{0};
  std::thread ta(drive, &a, 400, true, &errors), tb(drive, &b, 2000, false, &errors);
  ta.join();
  tb.join();
  EXPECT_EQ(errors.load(), 0);
}

}  // namespace
}  // namespace hymt
