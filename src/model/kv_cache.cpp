// kv_cache.cpp: the block pool and block tables (kv_cache.h).
#include "model/kv_cache.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <string>

namespace hymt {

KvPool::KvPool(int64_t n_layer, int64_t kv_dim, KvType kv, int64_t max_blocks)
    : n_layer_(n_layer),
      kv_dim_(kv_dim),
      kv_(kv),
      row_bytes_(kv_dim * static_cast<int64_t>(kv_type_size(kv))),
      // Block ids are int32: a budget beyond that is no budget at all.
      max_blocks_(std::clamp<int64_t>(max_blocks, 0, int64_t{1} << 30)) {}

int32_t KvPool::alloc() {
  if (n_used_ >= max_blocks_ && !(reclaim_ && reclaim_() && n_used_ < max_blocks_)) return -1;
  int32_t b;
  if (!free_.empty()) {
    b = free_.back();
    free_.pop_back();
  } else {
    // A new id; its memory is allocated now, with new[] without value-initialisation: pages are
    // touched only when rows are written. Kept for reuse after release.
    b = static_cast<int32_t>(mem_.size());
    std::unique_ptr<uint8_t[]> m(new (std::nothrow) uint8_t[static_cast<size_t>(block_bytes())]);
    if (!m) return -1;
    mem_.push_back(std::move(m));
    refs_.push_back(0);
  }
  refs_[static_cast<size_t>(b)] = 1;
  ++n_used_;
  return b;
}

void KvPool::retain(int32_t b) {
  HYMT_ASSERT(refs_[static_cast<size_t>(b)] > 0);
  ++refs_[static_cast<size_t>(b)];
}

void KvPool::release(int32_t b) {
  int32_t& r = refs_[static_cast<size_t>(b)];
  HYMT_ASSERT(r > 0);
  if (--r == 0) {
    free_.push_back(b);
    --n_used_;
  }
}

void KvPool::copy_rows(int32_t from, int32_t to, int64_t n_rows) {
  const size_t bytes = static_cast<size_t>(n_rows * row_bytes_);
  for (int64_t l = 0; l < n_layer_; ++l) {
    std::memcpy(k(to, l), k(from, l), bytes);
    std::memcpy(v(to, l), v(from, l), bytes);
  }
}

KvSequence::KvSequence(KvSequence&& o) noexcept
    : pool_(o.pool_), n_ctx_(o.n_ctx_), n_past_(o.n_past_), blocks_(std::move(o.blocks_)) {
  o.blocks_.clear();
  o.n_past_ = 0;
}

KvSequence& KvSequence::operator=(KvSequence&& o) noexcept {
  if (this != &o) {
    clear();
    pool_ = o.pool_;
    n_ctx_ = o.n_ctx_;
    n_past_ = o.n_past_;
    blocks_ = std::move(o.blocks_);
    o.blocks_.clear();
    o.n_past_ = 0;
  }
  return *this;
}

void KvSequence::truncate(int64_t n) {
  n_past_ = std::clamp<int64_t>(n, 0, n_past_);
  const size_t keep = static_cast<size_t>(kv_blocks_for(n_past_));
  while (blocks_.size() > keep) {
    pool_->release(blocks_.back());
    blocks_.pop_back();
  }
}

KvSequence KvSequence::fork() const {
  KvSequence f(*pool_, n_ctx_);
  // Only the blocks that hold positions (prepare may have left empty ones past n_past).
  f.blocks_.assign(blocks_.begin(), blocks_.begin() + static_cast<long>(kv_blocks_for(n_past_)));
  for (int32_t b : f.blocks_) pool_->retain(b);
  f.n_past_ = n_past_;
  return f;
}

void KvSequence::adopt_prefix(const std::vector<int32_t>& blocks) {
  HYMT_ASSERT(n_past_ == 0 && blocks_.empty());
  HYMT_ASSERT(static_cast<int64_t>(blocks.size()) * kKvBlockTokens <= n_ctx_);
  blocks_ = blocks;
  n_past_ = static_cast<int64_t>(blocks.size()) * kKvBlockTokens;
}

Status KvSequence::prepare(int64_t n) {
  if (n_past_ + n > n_ctx_)
    return invalid_argument("context full: " + std::to_string(n_past_) + " + " + std::to_string(n) +
                            " tokens exceed n_ctx " + std::to_string(n_ctx_));
  if (n <= 0) return {};
  // A shared block the new positions start in (a fork, or a truncation into a cached prefix):
  // this sequence gets its own copy of the rows before them.
  // Only the block holding position n_past can be shared: fork shares the blocks up to n_past,
  // adopted prefixes are whole blocks before it, and truncate drops every block past it.
  const int64_t first = n_past_ / kKvBlockTokens;
  if (first < static_cast<int64_t>(blocks_.size())) {
    int32_t& b = blocks_[static_cast<size_t>(first)];
    if (pool_->refs(b) > 1) {
      const int32_t c = pool_->alloc();
      if (c < 0) return out_of_memory("the KV cache is full (" + std::to_string(pool_->max_blocks()) + " blocks)");
      pool_->copy_rows(b, c, n_past_ % kKvBlockTokens);
      pool_->release(b);
      b = c;
    }
  }
  while (static_cast<int64_t>(blocks_.size()) < kv_blocks_for(n_past_ + n)) {
    const int32_t c = pool_->alloc();
    if (c < 0) return out_of_memory("the KV cache is full (" + std::to_string(pool_->max_blocks()) + " blocks)");
    blocks_.push_back(c);
  }
  return {};
}

}  // namespace hymt
