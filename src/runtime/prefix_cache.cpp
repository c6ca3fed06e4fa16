// prefix_cache.cpp: the chained-hash map of KV blocks with LRU eviction (prefix_cache.h).
#include "runtime/prefix_cache.h"

#include <algorithm>
#include <cstring>

namespace hymt {

PrefixCache::PrefixCache(KvPool& pool, int64_t max_blocks)
    : pool_(pool), max_blocks_(std::max<int64_t>(0, max_blocks)) {}

PrefixCache::~PrefixCache() { clear(); }

uint64_t PrefixCache::chain(uint64_t parent, const int32_t* tokens) {
  // FNV-1a over the parent key and the block's tokens, then a SplitMix64 finaliser: keys spread
  // well in the map; exactness comes from the checks in lookup, not from the hash.
  uint64_t h = 1469598103934665603ull ^ parent;
  for (int64_t i = 0; i < kKvBlockTokens; ++i) {
    h ^= static_cast<uint32_t>(tokens[i]);
    h *= 1099511628211ull;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

std::vector<int32_t> PrefixCache::lookup(const int32_t* tokens, int64_t n, int64_t max_blocks) {
  std::vector<int32_t> out;
  uint64_t key = 0, parent = 0;
  for (int64_t b = 0; b < std::min(n / kKvBlockTokens, max_blocks); ++b) {
    const int32_t* t = tokens + b * kKvBlockTokens;
    key = chain(key, t);
    auto it = entries_.find(key);
    if (it == entries_.end()) break;
    Entry& e = it->second;
    if (e.parent != parent || std::memcmp(e.tokens, t, sizeof e.tokens) != 0) break;
    pool_.retain(e.block);
    out.push_back(e.block);
    lru_.splice(lru_.begin(), lru_, e.lru);
    parent = e.serial;
  }
  return out;
}

void PrefixCache::insert(const int32_t* tokens, int64_t n, const std::vector<int32_t>& blocks) {
  if (max_blocks_ == 0) return;
  const int64_t full = std::min<int64_t>(n / kKvBlockTokens, static_cast<int64_t>(blocks.size()));
  uint64_t key = 0, parent = 0;
  for (int64_t b = 0; b < full; ++b) {
    const int32_t* t = tokens + b * kKvBlockTokens;
    key = chain(key, t);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      Entry& e = it->second;
      if (std::memcmp(e.tokens, t, sizeof e.tokens) != 0) return;  // another prefix, same hash: not cached
      if (e.parent != parent) {
        // An orphan (its parent was evicted and came back with a new serial): this block replaces it.
        pool_.release(e.block);
        pool_.retain(blocks[static_cast<size_t>(b)]);
        e.block = blocks[static_cast<size_t>(b)];
        e.parent = parent;
        e.serial = next_serial_++;
      }
      lru_.splice(lru_.begin(), lru_, e.lru);
      parent = e.serial;
      continue;
    }
    // Room within the cache's own budget; this sequence's earlier blocks were just touched, so
    // they are the last to go.
    while (n_blocks() >= max_blocks_)
      if (!evict_one()) return;
    Entry e;
    e.parent = parent;
    e.serial = next_serial_++;
    std::memcpy(e.tokens, t, sizeof e.tokens);
    e.block = blocks[static_cast<size_t>(b)];
    pool_.retain(e.block);
    lru_.push_front(key);
    e.lru = lru_.begin();
    parent = e.serial;
    entries_.emplace(key, e);
  }
}

bool PrefixCache::evict_one() {
  for (auto it = lru_.end(); it != lru_.begin();) {
    --it;
    auto e = entries_.find(*it);
    if (pool_.refs(e->second.block) == 1) {
      pool_.release(e->second.block);
      entries_.erase(e);
      lru_.erase(it);
      return true;
    }
  }
  return false;
}

int64_t PrefixCache::n_evictable() const {
  int64_t n = 0;
  for (const auto& [key, e] : entries_) n += pool_.refs(e.block) == 1;
  return n;
}

void PrefixCache::clear() {
  for (auto& [key, e] : entries_) pool_.release(e.block);
  entries_.clear();
  lru_.clear();
}

}  // namespace hymt
