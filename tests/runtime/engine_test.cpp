// engine_test.cpp: one Engine serving many threads at once: every result equals the request run
// alone, whatever the interleaving (also run under ThreadSanitizer: scripts/test-tsan.sh); cancel
// from another thread; shutdown answers what is pending; the blocks are all back at the end.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "runtime/engine.h"
#include "runtime_fixture.h"

namespace hymt {
namespace {

using test::run_alone;
using test::runtime_model;
using test::some_ids;

Request make_request(int i) {
  Request r;
  r.prompt = some_ids(20, 7);  // a shared head
  const std::vector<int32_t> t = some_ids(3 + i % 9, 50 + i);
  r.prompt.insert(r.prompt.end(), t.begin(), t.end());
  r.max_new_tokens = 4 + i % 7;
  if (i % 3 == 0) {
    r.sampling.temperature = 0.9f;
    r.sampling.seed = static_cast<uint64_t>(i);
  }
  return r;
}

TEST(Engine, ManyThreadsSubmittingAtOnceGetTheirSoloResults) {
  auto m = runtime_model();
  const int kThreads = 4, kPerThread = 6;
  std::vector<RequestResult> alone;
  for (int i = 0; i < kThreads * kPerThread; ++i) alone.push_back(run_alone(*m, make_request(i)));
  EngineOptions eo;
  eo.n_threads = 2;
  eo.max_seqs = 3;
  eo.step_tokens = 16;
  eo.n_ctx = 64;
  eo.cache_mb = 1;
  Engine engine(m, nullptr, eo);
  std::vector<Result<RequestResult>> got(static_cast<size_t>(kThreads * kPerThread), RequestResult{});
  std::atomic<int> streamed{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < kThreads; ++t)
    ts.emplace_back([&, t] {
      std::vector<std::future<Result<RequestResult>>> fs;
      for (int k = 0; k < kPerThread; ++k) {
        Request r = make_request(t * kPerThread + k);
        r.on_token = [&streamed](const TokenEvent&) {
          ++streamed;
          return true;
        };
        fs.push_back(engine.submit(std::move(r)));
      }
      for (int k = 0; k < kPerThread; ++k)
        got[static_cast<size_t>(t * kPerThread + k)] = fs[static_cast<size_t>(k)].get();
    });
  for (auto& t : ts) t.join();
  int64_t n_tokens = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_TRUE(got[i].ok()) << got[i].status().message();
    EXPECT_EQ(got[i]->ids, alone[i].ids) << "request " << i;
    EXPECT_EQ(got[i]->logprobs, alone[i].logprobs) << "request " << i;
    n_tokens += static_cast<int64_t>(got[i]->ids.size());
  }
  EXPECT_EQ(streamed.load(), n_tokens);
  // The stats are a snapshot taken after each step, and a future is fulfilled inside the step:
  // wait (boundedly) for the snapshot after the last one.
  EngineStats st = engine.stats();
  for (int i = 0; i < 500 && st.counters.finished < kThreads * kPerThread; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    st = engine.stats();
  }
  EXPECT_EQ(st.queued, 0);
  EXPECT_EQ(st.running, 0);
  EXPECT_EQ(st.kv_blocks_used, st.cache_blocks);  // only the prefix cache holds blocks
  EXPECT_GT(st.counters.cached_tokens, 0);
  EXPECT_EQ(st.counters.finished, kThreads * kPerThread);
}

TEST(Engine, CancelFromAnotherThreadAndShutdownAnswerEveryone) {
  auto m = runtime_model();
  EngineOptions eo;
  eo.n_threads = 1;
  eo.max_seqs = 1;
  eo.n_ctx = 512;
  std::vector<std::future<Result<RequestResult>>> fs;
  uint64_t first = 0;
  std::atomic<int> tokens{0};
  {
    Engine engine(m, nullptr, eo);
    for (int i = 0; i < 5; ++i) {
      Request r;
      r.prompt = some_ids(8, i);
      r.max_new_tokens = 400;
      r.sampling.loop_guard = false;
      r.on_token = [&tokens](const TokenEvent&) {
        ++tokens;
        return true;
      };
      uint64_t id = 0;
      fs.push_back(engine.submit(std::move(r), &id));
      if (i == 0) first = id;
    }
    while (tokens.load() < 3) std::this_thread::yield();
    std::thread([&] { engine.cancel(first); }).join();
    auto r0 = fs[0].get();
    ASSERT_TRUE(r0.ok());
    EXPECT_EQ(r0->stop, StopReason::kCancelled);
    EXPECT_LT(r0->ids.size(), 400u);
    // The engine goes away with four requests pending: each is answered.
  }
  for (size_t i = 1; i < fs.size(); ++i) {
    auto r = fs[i].get();
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->stop == StopReason::kCancelled || r->stop == StopReason::kLength);
  }
}

TEST(Engine, ErrorsComeBackThroughTheChannel) {
  auto m = runtime_model();
  Engine engine(m, nullptr, {});
  Request r;
  r.prompt = {-1};
  auto res = engine.run(std::move(r));
  EXPECT_FALSE(res.ok());
  EXPECT_NE(res.status().message().find("outside the vocabulary"), std::string::npos);
}

}  // namespace
}  // namespace hymt
