// scheduler_test.cpp: continuous batching gives every request exactly the tokens (and
// log-probabilities) of the same request run alone, under random arrival, chunked prefill with a
// small step budget, cancellation, sampled and greedy decoding, and prefix reuse on or off; and
// when everything has ended, no block is held but the prefix cache's.
#include <cmath>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <vector>

#include "core/rng.h"
#include "runtime/prefix_cache.h"
#include "runtime/scheduler.h"
#include "runtime_fixture.h"

namespace hymt {
namespace {

using test::run_alone;
using test::runtime_model;
using test::some_ids;

struct Case {
  Request r;
  int arrive = 0;      // step at which it is added
  int cancel_at = -1;  // step at which it is cancelled (-1: never)
};

// Prompts share heads (a common "template" of 20 tokens, and one of three 17-token "documents"),
// so that the prefix cache has something to find.
std::vector<Case> random_cases(uint64_t seed, int n) {
  SplitMix64 rng(seed);
  const std::vector<int32_t> head = some_ids(20, 9);
  std::vector<Case> cs;
  for (int i = 0; i < n; ++i) {
    Case c;
    c.r.prompt = head;
    if (rng.next() % 2) {
      const std::vector<int32_t> doc = some_ids(17, 20 + static_cast<int>(rng.next() % 3));
      c.r.prompt.insert(c.r.prompt.end(), doc.begin(), doc.end());
    }
    const int tail = 1 + static_cast<int>(rng.next() % 12);
    const std::vector<int32_t> t = some_ids(tail, 100 + i);
    c.r.prompt.insert(c.r.prompt.end(), t.begin(), t.end());
    c.r.max_new_tokens = 1 + static_cast<int64_t>(rng.next() % 12);
    if (rng.next() % 2) {
      c.r.sampling.temperature = 0.8f;
      c.r.sampling.top_k = 40;
      c.r.sampling.seed = rng.next();
    }
    c.r.sampling.loop_guard = rng.next() % 2;
    c.r.stop_ids = {static_cast<int32_t>(300 + rng.next() % 700)};
    c.arrive = static_cast<int>(rng.next() % 15);
    if (rng.next() % 6 == 0) c.cancel_at = c.arrive + static_cast<int>(rng.next() % 4);
    cs.push_back(std::move(c));
  }
  return cs;
}

void run_randomized(bool with_cache, uint64_t seed) {
  const Model& m = *runtime_model();
  const std::vector<Case> cs = random_cases(seed, 24);
  std::vector<RequestResult> alone;
  for (const Case& c : cs) alone.push_back(run_alone(m, c.r));

  KvPool kv(m.hparams().n_layer, m.hparams().n_embd_kv(), KvType::kF16, 40);
  std::unique_ptr<PrefixCache> cache;
  if (with_cache) {
    cache = std::make_unique<PrefixCache>(kv, 16);
    kv.set_reclaim([&] { return cache->evict_one(); });
  }
  ThreadPool pool(2);
  SchedulerOptions so;
  so.max_seqs = 3;
  so.step_tokens = 7;  // prompts of 21..49 tokens take several steps, beside running decodes
  Scheduler s(m, kv, cache.get(), pool, so);
  std::map<size_t, Result<RequestResult>> got;
  int64_t cached_tokens = 0;
  for (int step = 0; step < 2000 && got.size() < cs.size(); ++step) {
    for (size_t i = 0; i < cs.size(); ++i) {
      if (cs[i].arrive == step)
        s.add(
            i, cs[i].r, [&got, i](Result<RequestResult> r) { got.emplace(i, std::move(r)); }, steady_ms());
      if (cs[i].cancel_at == step) s.cancel(i);
    }
    s.step();
  }
  ASSERT_EQ(got.size(), cs.size());
  int compared = 0;
  for (size_t i = 0; i < cs.size(); ++i) {
    const Result<RequestResult>& r = got.at(i);
    ASSERT_TRUE(r.ok()) << i << ": " << r.status().message();
    cached_tokens += r->n_cached;
    if (r->stop == StopReason::kCancelled) {
      EXPECT_NE(cs[i].cancel_at, -1) << "request " << i << " cancelled without being asked";
      // What it produced before the cancel is a prefix of the solo run.
      ASSERT_LE(r->ids.size(), alone[i].ids.size());
      EXPECT_TRUE(std::equal(r->ids.begin(), r->ids.end(), alone[i].ids.begin()));
      continue;
    }
    EXPECT_EQ(r->ids, alone[i].ids) << "request " << i;
    EXPECT_EQ(r->logprobs, alone[i].logprobs) << "request " << i;
    EXPECT_EQ(r->stop, alone[i].stop) << "request " << i;
    EXPECT_EQ(r->n_prompt, static_cast<int64_t>(cs[i].r.prompt.size()));
    ++compared;
  }
  EXPECT_GE(compared, 16);
  if (with_cache)
    EXPECT_GT(cached_tokens, 0) << "the prefix cache was never used";
  else
    EXPECT_EQ(cached_tokens, 0);
  EXPECT_TRUE(s.idle());
  // Nothing leaks: only the cache holds blocks, and then nothing.
  EXPECT_EQ(kv.n_used(), cache ? cache->n_blocks() : 0);
  if (cache) cache->clear();
  EXPECT_EQ(kv.n_used(), 0);
}

// A scheduler over the test model with a pool of n_blocks, one thread, no prefix cache.
struct Rig {
  explicit Rig(int64_t n_blocks, const SchedulerOptions& so = {})
      : m(*runtime_model()),
        kv(m.hparams().n_layer, m.hparams().n_embd_kv(), KvType::kF16, n_blocks),
        pool(1),
        s(m, kv, nullptr, pool, so) {}
  const Model& m;
  KvPool kv;
  ThreadPool pool;
  Scheduler s;
};

TEST(Scheduler, RandomArrivalEqualsEachRequestAlone) { run_randomized(false, 1); }
TEST(Scheduler, RandomArrivalWithPrefixReuseEqualsEachRequestAlone) { run_randomized(true, 2); }

TEST(Scheduler, RefusesWhatCanNeverRun) {
  SchedulerOptions so;
  so.n_ctx = 64;
  Rig rig(2, so);
  const Model& m = rig.m;
  KvPool& kv = rig.kv;
  Scheduler& s = rig.s;
  std::vector<Status> st;
  auto add = [&](Request r) {
    s.add(
        st.size(), std::move(r), [&st](Result<RequestResult> res) { st.push_back(res.status()); }, steady_ms());
  };
  Request empty;
  add(empty);
  Request oov;
  oov.prompt = {static_cast<int32_t>(m.hparams().n_vocab)};
  add(oov);
  Request too_long;
  too_long.prompt = some_ids(65, 1);  // n_ctx 64
  add(too_long);
  Request too_big;
  too_big.prompt = some_ids(40, 1);  // 40 + 63 positions: 7 blocks, the pool holds 2
  too_big.max_new_tokens = 64;
  add(too_big);
  Request bad_sampling;
  bad_sampling.prompt = some_ids(3, 1);
  bad_sampling.sampling.top_p = 0;
  add(bad_sampling);
  s.step();
  ASSERT_EQ(st.size(), 5u);
  EXPECT_NE(st[0].message().find("empty prompt"), std::string::npos);
  EXPECT_NE(st[1].message().find("outside the vocabulary"), std::string::npos);
  EXPECT_NE(st[2].message().find("more than n_ctx"), std::string::npos);
  EXPECT_EQ(st[3].code(), StatusCode::kOutOfMemory);
  EXPECT_NE(st[4].message().find("top-p"), std::string::npos);
  EXPECT_EQ(kv.n_used(), 0);
}

TEST(Scheduler, WaitsForBlocksInsteadOfFailing) {
  // Two requests that each need 2 of the pool's 3 blocks: the second waits for the first.
  SchedulerOptions so;
  so.max_seqs = 4;
  Rig rig(3, so);
  KvPool& kv = rig.kv;
  Scheduler& s = rig.s;
  Request r;
  r.prompt = some_ids(20, 3);
  r.max_new_tokens = 5;
  int done = 0;
  s.add(
      1, r, [&](Result<RequestResult> res) { done += res.ok(); }, steady_ms());
  s.add(
      2, r, [&](Result<RequestResult> res) { done += res.ok(); }, steady_ms());
  s.step();
  EXPECT_EQ(s.n_running(), 1);
  EXPECT_EQ(s.n_queued(), 1);
  for (int i = 0; i < 50 && done < 2; ++i) s.step();
  EXPECT_EQ(done, 2);
  EXPECT_EQ(kv.n_used(), 0);
}

TEST(Scheduler, LogprobsOffChangesNoToken) {
  Request r;
  r.prompt = some_ids(9, 2);
  r.max_new_tokens = 6;
  r.sampling.temperature = 0.7f;
  r.sampling.seed = 3;
  const RequestResult with = run_alone(*runtime_model(), r);
  r.logprobs = false;
  const RequestResult without = run_alone(*runtime_model(), r);
  EXPECT_EQ(with.ids, without.ids);
  EXPECT_EQ(with.logprobs.size(), with.ids.size());
  EXPECT_TRUE(without.logprobs.empty());
}

TEST(Scheduler, OnTokenFalseAndCancelFlagStop) {
  Rig rig(16);
  KvPool& kv = rig.kv;
  Scheduler& s = rig.s;
  Request a;
  a.prompt = some_ids(5, 1);
  a.max_new_tokens = 20;
  a.sampling.loop_guard = false;
  int seen = 0;
  a.on_token = [&seen](const TokenEvent&) { return ++seen < 3; };
  Request b = a;
  b.on_token = nullptr;
  b.cancel = std::make_shared<std::atomic<bool>>(false);
  std::vector<RequestResult> out(2);
  s.add(
      0, a, [&](Result<RequestResult> r) { out[0] = std::move(r).value(); }, steady_ms());
  s.add(
      1, b, [&](Result<RequestResult> r) { out[1] = std::move(r).value(); }, steady_ms());
  for (int i = 0; i < 4; ++i) s.step();
  b.cancel->store(true);
  for (int i = 0; i < 30 && !s.idle(); ++i) s.step();
  EXPECT_EQ(out[0].stop, StopReason::kCancelled);
  EXPECT_EQ(out[0].ids.size(), 3u);
  EXPECT_EQ(out[1].stop, StopReason::kCancelled);
  EXPECT_EQ(out[1].ids.size(), 4u);  // 4 steps ran before the flag
  EXPECT_EQ(out[1].logprobs.size(), 4u);
  EXPECT_EQ(kv.n_used(), 0);
}

// top_logprobs: per generated token, the k most likely ids under the unmodified logits, most likely
// first; under greedy decoding the first is the chosen token with its own log-probability.
TEST(Scheduler, TopLogprobsRankTheChosenTokenFirstUnderGreedy) {
  auto m = runtime_model();
  Request r;
  r.prompt = some_ids(12, 3);
  r.max_new_tokens = 10;
  r.sampling.loop_guard = false;
  r.top_logprobs = 4;
  RequestResult res = run_alone(*m, r);
  ASSERT_EQ(res.top_logprobs.size(), res.ids.size());
  ASSERT_EQ(res.logprobs.size(), res.ids.size());
  for (size_t i = 0; i < res.ids.size(); ++i) {
    const auto& top = res.top_logprobs[i];
    ASSERT_EQ(top.size(), 4u);
    EXPECT_EQ(top[0].id, res.ids[i]);
    EXPECT_DOUBLE_EQ(top[0].logprob, res.logprobs[i]);
    for (size_t k = 1; k < top.size(); ++k) {
      EXPECT_LE(top[k].logprob, top[k - 1].logprob);
      EXPECT_NE(top[k].id, top[k - 1].id);
    }
    double mass = 0;
    for (const TokenLogprob& t : top) mass += std::exp(t.logprob);
    EXPECT_LE(mass, 1.0 + 1e-9);
  }
  // Without top_logprobs nothing is kept, and the tokens are the same.
  Request plain = r;
  plain.top_logprobs = 0;
  RequestResult res2 = run_alone(*m, plain);
  EXPECT_TRUE(res2.top_logprobs.empty());
  EXPECT_EQ(res2.ids, res.ids);
}

}  // namespace
}  // namespace hymt
