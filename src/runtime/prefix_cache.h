// prefix_cache.h: KV blocks of earlier prompts, found again by their tokens. Every full block of a
// finished (or prefilled) sequence is keyed by a hash chained over all tokens up to its end, so a key
// names the whole prefix, not the block alone. Each entry also keeps its own tokens and the serial
// number of its parent entry, and a lookup checks both, block by block from the first: a hash
// collision, or a child left behind by an evicted parent, can never hand out a wrong block. The cache
// holds one reference to each of its blocks; an entry whose block nobody else holds can be evicted,
// least recently used first, when the pool runs out or the cache passes its own budget. The KV of a
// position depends only on the tokens up to it, so a reused block gives the same bits as computing
// it again (tests/runtime). Not thread-safe: the engine's decode thread owns it.
#pragma once

#include <cstdint>
#include <list>
#include <unordered_map>
#include <vector>

#include "model/kv_cache.h"

namespace hymt {

class PrefixCache {
 public:
  // max_blocks: the most blocks the cache keeps for itself (0: none, the cache is off).
  PrefixCache(KvPool& pool, int64_t max_blocks);
  ~PrefixCache();
  PrefixCache(const PrefixCache&) = delete;
  PrefixCache& operator=(const PrefixCache&) = delete;

  // The blocks holding the longest cached prefix of tokens[0, n) made of whole blocks, at most
  // max_blocks of them; each returned block carries a new reference for the caller
  // (KvSequence::adopt_prefix takes it over). Marks them recently used.
  std::vector<int32_t> lookup(const int32_t* tokens, int64_t n, int64_t max_blocks);
  // Offers the full blocks of a sequence whose positions 0 .. n-1 hold tokens[0, n): blocks not yet
  // cached are added (the cache takes a reference). Evicts to stay within its budget.
  void insert(const int32_t* tokens, int64_t n, const std::vector<int32_t>& blocks);
  // Drops the least recently used entry whose block only the cache holds; false if none.
  bool evict_one();
  void clear();

  int64_t n_blocks() const { return static_cast<int64_t>(entries_.size()); }
  // Entries that evict_one could drop now (blocks no sequence holds).
  int64_t n_evictable() const;
  int64_t max_blocks() const { return max_blocks_; }

 private:
  struct Entry {
    uint64_t parent;  // serial of the entry for the block before (0 for the first block)
    uint64_t serial;  // unique, never reused
    int32_t tokens[kKvBlockTokens];
    int32_t block;
    std::list<uint64_t>::iterator lru;  // position in lru_ (front: most recent)
  };
  static uint64_t chain(uint64_t parent, const int32_t* tokens);
  KvPool& pool_;
  int64_t max_blocks_;
  std::unordered_map<uint64_t, Entry> entries_;
  std::list<uint64_t> lru_;
  uint64_t next_serial_ = 1;
};

}  // namespace hymt
