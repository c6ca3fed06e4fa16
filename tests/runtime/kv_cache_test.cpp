// kv_cache_test.cpp: the block pool's accounting and budget, block tables (truncate, fork with
// copy-on-write, adopted prefixes), and the forward pass over them: a forked sequence continues
// exactly as a fresh one fed the same tokens, and per-sequence n_logits returns the right rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "model/kv_cache.h"
#include "runtime_fixture.h"

namespace hymt {
namespace {

using test::runtime_model;
using test::some_ids;

TEST(KvPool, AllocatesWithinTheBudgetAndReusesReleasedBlocks) {
  KvPool p(2, 8, KvType::kF32, 3);
  EXPECT_EQ(p.block_bytes(), 2 * 2 * kKvBlockTokens * 8 * 4);
  const int32_t a = p.alloc(), b = p.alloc(), c = p.alloc();
  EXPECT_GE(a, 0);
  EXPECT_GE(b, 0);
  EXPECT_GE(c, 0);
  EXPECT_EQ(p.alloc(), -1);  // budget spent
  EXPECT_EQ(p.n_used(), 3);
  p.retain(b);
  p.release(b);
  EXPECT_EQ(p.refs(b), 1);
  p.release(b);
  EXPECT_EQ(p.n_free(), 1);
  EXPECT_EQ(p.alloc(), b);  // the released id comes back
  // The reclaim hook is asked once the budget is spent.
  int asked = 0;
  p.set_reclaim([&] {
    ++asked;
    p.release(a);
    return true;
  });
  EXPECT_EQ(p.alloc(), a);
  EXPECT_EQ(asked, 1);
}

TEST(KvSequence, TruncateForkAndCopyOnWrite) {
  KvPool p(1, 4, KvType::kF32, 16);
  KvSequence s(p, 100);
  ASSERT_TRUE(s.prepare(40).ok());
  s.advance(40);
  EXPECT_EQ(s.blocks().size(), 3u);  // 16 + 16 + 8
  auto put = [](KvSequence& q, int64_t pos, float x) { reinterpret_cast<float*>(q.k_row(0, pos))[0] = x; };
  auto get = [](KvSequence& q, int64_t pos) { return reinterpret_cast<float*>(q.k_row(0, pos))[0]; };
  for (int64_t i = 0; i < 40; ++i) put(s, i, static_cast<float>(i));
  KvSequence f = s.fork();
  EXPECT_EQ(p.n_used(), 3);
  EXPECT_EQ(p.refs(s.blocks()[2]), 2);
  // The fork writes position 40, in the shared third block: it gets its own copy of rows 32..39.
  ASSERT_TRUE(f.prepare(1).ok());
  EXPECT_NE(f.blocks()[2], s.blocks()[2]);
  EXPECT_EQ(f.blocks()[0], s.blocks()[0]);
  put(f, 40, -1.0f);
  f.advance(1);
  for (int64_t i = 32; i < 40; ++i) EXPECT_EQ(get(f, i), static_cast<float>(i));
  ASSERT_TRUE(s.prepare(1).ok());
  EXPECT_EQ(p.refs(s.blocks()[2]), 1);  // the original block is s's alone now: written in place
  put(s, 40, 40.0f);
  EXPECT_EQ(get(f, 40), -1.0f);  // neither sees the other's write
  EXPECT_EQ(p.n_used(), 4);
  s.truncate(16);
  EXPECT_EQ(s.blocks().size(), 1u);
  EXPECT_EQ(p.n_used(), 3);  // s's second block is still the fork's; its third is released
  f.clear();
  s.clear();
  EXPECT_EQ(p.n_used(), 0);
}

TEST(KvSequence, RefusesPastItsContextOrTheBudget) {
  KvPool p(1, 4, KvType::kF16, 2);
  KvSequence s(p, 40);
  EXPECT_FALSE(s.prepare(41).ok());
  const Status st = s.prepare(40);  // needs 3 blocks, the pool has 2
  EXPECT_EQ(st.code(), StatusCode::kOutOfMemory);
  s.clear();
  EXPECT_EQ(p.n_used(), 0);
}

TEST(KvForward, ForkedSequencesContinueAsFreshOnes) {
  const Model& m = *runtime_model();
  const int64_t V = m.hparams().n_vocab;
  const std::vector<int32_t> prompt = some_ids(21, 1);  // ends inside the second block
  ThreadPool pool(2);
  ForwardScratch sc;
  KvPool p(m.hparams().n_layer, m.hparams().n_embd_kv(), KvType::kF16, 64);
  KvSequence base(p, 64);
  SeqBatch b0{&base, prompt.data(), static_cast<int64_t>(prompt.size()), 0};
  ASSERT_TRUE(forward_batch(m, &b0, 1, pool, sc, nullptr).ok());
  KvSequence fork = base.fork();
  const std::vector<int32_t> ta = some_ids(5, 2), tb = some_ids(5, 3);
  std::vector<float> la(static_cast<size_t>(V * 5)), lb(la.size());
  // Both continue in one batch; each writes its own copy of the shared partial block.
  SeqBatch both[2] = {{&base, ta.data(), 5, 5}, {&fork, tb.data(), 5, 5}};
  std::vector<float> lab(static_cast<size_t>(V * 10));
  ASSERT_TRUE(forward_batch(m, both, 2, pool, sc, lab.data()).ok());
  for (int k = 0; k < 2; ++k) {
    Session fresh(m, 64);
    std::vector<int32_t> all = prompt;
    const std::vector<int32_t>& tail = k == 0 ? ta : tb;
    all.insert(all.end(), tail.begin(), tail.end());
    std::vector<float> ref(static_cast<size_t>(V * static_cast<int64_t>(all.size())));
    ASSERT_TRUE(fresh.forward(all.data(), static_cast<int64_t>(all.size()), pool, ref.data(), true).ok());
    EXPECT_TRUE(std::equal(lab.begin() + k * 5 * V, lab.begin() + (k + 1) * 5 * V, ref.end() - 5 * V))
        << (k == 0 ? "original" : "fork");
  }
  base.clear();
  fork.clear();
  EXPECT_EQ(p.n_used(), 0);
}

TEST(KvForward, LogitsRowsPerSequence) {
  const Model& m = *runtime_model();
  const int64_t V = m.hparams().n_vocab;
  ThreadPool pool(1);
  const std::vector<int32_t> a = some_ids(6, 4), b = some_ids(3, 5), c = some_ids(4, 6);
  std::vector<std::vector<float>> solo;
  for (const auto* t : {&a, &b, &c}) {
    Session s(m, 32);
    std::vector<float> lg(static_cast<size_t>(V) * t->size());
    ASSERT_TRUE(s.forward(t->data(), static_cast<int64_t>(t->size()), pool, lg.data(), true).ok());
    solo.push_back(lg);
  }
  Session sa(m, 32), sb(m, 32), sc(m, 32);
  SeqBatch batch[3] = {{&sa.kv(), a.data(), 6, 6}, {&sb.kv(), b.data(), 3, 0}, {&sc.kv(), c.data(), 4, 2}};
  std::vector<float> lg(static_cast<size_t>(8 * V));
  ForwardScratch scratch;
  ASSERT_TRUE(forward_batch(m, batch, 3, pool, scratch, lg.data()).ok());
  EXPECT_TRUE(std::equal(lg.begin(), lg.begin() + 6 * V, solo[0].begin()));
  EXPECT_TRUE(std::equal(lg.begin() + 6 * V, lg.end(), solo[2].begin() + 2 * V));  // c's last two rows
}

}  // namespace
}  // namespace hymt
