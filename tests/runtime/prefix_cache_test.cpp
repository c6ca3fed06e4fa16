// prefix_cache_test.cpp: the prefix cache finds the longest cached run of whole blocks, never hands
// out a block for another prefix (even one whose parent was evicted and re-cached), keeps to its
// budget by LRU eviction of blocks no sequence holds, and gives back every reference it took.
#include <gtest/gtest.h>

#include <vector>

#include "runtime/prefix_cache.h"
#include "runtime_fixture.h"

namespace hymt {
namespace {

using test::some_ids;

// A sequence of n positions in pool p, its blocks offered to the cache, then released.
std::vector<int32_t> cached_sequence(KvPool& p, PrefixCache& c, const std::vector<int32_t>& toks) {
  KvSequence s(p, 1024);
  EXPECT_TRUE(s.prepare(static_cast<int64_t>(toks.size())).ok());
  s.advance(static_cast<int64_t>(toks.size()));
  c.insert(toks.data(), static_cast<int64_t>(toks.size()), s.blocks());
  return s.blocks();
}

TEST(PrefixCache, FindsTheLongestRunOfWholeBlocks) {
  KvPool p(1, 4, KvType::kF32, 64);
  PrefixCache c(p, 32);
  const std::vector<int32_t> a = some_ids(50, 1);  // 3 full blocks + 2 tokens
  const std::vector<int32_t> blocks = cached_sequence(p, c, a);
  EXPECT_EQ(c.n_blocks(), 3);
  EXPECT_EQ(p.n_used(), 3);  // the partial fourth block went with the sequence
  std::vector<int32_t> b = a;
  b[40] = 5;  // differs in the third block
  std::vector<int32_t> hit = c.lookup(b.data(), static_cast<int64_t>(b.size()), 100);
  ASSERT_EQ(hit.size(), 2u);
  EXPECT_EQ(hit[0], blocks[0]);
  EXPECT_EQ(hit[1], blocks[1]);
  EXPECT_EQ(p.refs(hit[0]), 2);  // the caller's reference
  for (int32_t x : hit) p.release(x);
  auto count = [&](const std::vector<int32_t>& t, int64_t n, int64_t max_blocks) {
    std::vector<int32_t> h = c.lookup(t.data(), n, max_blocks);
    for (int32_t x : h) p.release(x);
    return h.size();
  };
  EXPECT_EQ(count(a, 47, 100), 2u);  // only whole blocks of the tokens given
  EXPECT_EQ(count(a, 50, 1), 1u);    // at most max_blocks
  EXPECT_EQ(count(a, 50, 100), 3u);
  std::vector<int32_t> d = a;
  d[0] = 6;  // differs in the first block: nothing, though later blocks are the same tokens
  EXPECT_EQ(count(d, 50, 100), 0u);
  c.clear();
  EXPECT_EQ(p.n_used(), 0);
}

TEST(PrefixCache, EvictsLeastRecentlyUsedWithinItsBudget) {
  KvPool p(1, 4, KvType::kF32, 64);
  PrefixCache c(p, 4);
  const auto a = some_ids(32, 1), b = some_ids(32, 2), d = some_ids(32, 3);
  cached_sequence(p, c, a);
  cached_sequence(p, c, b);
  EXPECT_EQ(c.n_blocks(), 4);
  for (int32_t x : c.lookup(a.data(), 32, 100)) p.release(x);  // a is now the most recent
  cached_sequence(p, c, d);                                    // evicts b's two blocks
  EXPECT_EQ(c.n_blocks(), 4);
  EXPECT_EQ(c.lookup(b.data(), 32, 100).size(), 0u);
  std::vector<int32_t> ha = c.lookup(a.data(), 32, 100), hd = c.lookup(d.data(), 32, 100);
  EXPECT_EQ(ha.size(), 2u);
  EXPECT_EQ(hd.size(), 2u);
  // Held by a caller: not evictable.
  EXPECT_EQ(c.n_evictable(), 0);
  EXPECT_FALSE(c.evict_one());
  for (int32_t x : ha) p.release(x);
  for (int32_t x : hd) p.release(x);
  EXPECT_EQ(c.n_evictable(), 4);
  c.clear();
  EXPECT_EQ(p.n_used(), 0);
}

TEST(PrefixCache, AnOrphanNeverServesAnotherPrefix) {
  KvPool p(1, 4, KvType::kF32, 64);
  PrefixCache c(p, 8);
  const auto a = some_ids(32, 1);
  const std::vector<int32_t> first = cached_sequence(p, c, a);
  ASSERT_EQ(c.n_blocks(), 2);
  // Evict the parent (the least recently used is the first block: touch the second alone by
  // evicting in LRU order after a lookup of the whole prefix, which touches both, parent first).
  for (int32_t x : c.lookup(a.data(), 32, 100)) p.release(x);
  ASSERT_TRUE(c.evict_one());  // the first block (touched before the second)
  EXPECT_EQ(c.n_blocks(), 1);
  EXPECT_TRUE(c.lookup(a.data(), 32, 100).empty());  // the child is unreachable without its parent
  // The same prefix computed again: the child entry is taken over by the new block.
  const std::vector<int32_t> again = cached_sequence(p, c, a);
  std::vector<int32_t> hit = c.lookup(a.data(), 32, 100);
  ASSERT_EQ(hit.size(), 2u);
  EXPECT_EQ(hit[0], again[0]);
  EXPECT_EQ(hit[1], again[1]);
  for (int32_t x : hit) p.release(x);
  c.clear();
  EXPECT_EQ(p.n_used(), 0);
}

TEST(PrefixCache, OffWithNoBudget) {
  KvPool p(1, 4, KvType::kF32, 8);
  PrefixCache c(p, 0);
  const auto a = some_ids(32, 1);
  cached_sequence(p, c, a);
  EXPECT_EQ(c.n_blocks(), 0);
  EXPECT_EQ(p.n_used(), 0);
}

}  // namespace
}  // namespace hymt
