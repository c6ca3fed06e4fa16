// kv_cache.h: KV memory in blocks. A KvPool holds fixed-size blocks of kKvBlockTokens positions
// (every layer's keys and values for those positions), reference-counted, under a budget of
// blocks; a KvSequence is one sequence's table of blocks. Blocks are shared by forking a sequence
// (beams, drafts) and by the prefix cache (runtime/prefix_cache.h); a shared block is copied
// before it is written (copy-on-write), so no sequence ever sees another's writes.
// Not thread-safe: one thread at a time drives a pool and its sequences (the engine's decode
// thread, or a Session's user); the forward pass's workers only read and write rows of blocks
// that the driving thread prepared before the pass.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/status.h"
#include "kernels/kernels.h"

namespace hymt {

// Positions per block. 16, as in vLLM's paged attention: small enough that a sequence wastes
// little of its last block and that prompt prefixes are shared at a fine grain, large enough that
// attention calls one kernel per 16 positions.
constexpr int64_t kKvBlockTokens = 16;

inline int64_t kv_blocks_for(int64_t n_positions) { return (n_positions + kKvBlockTokens - 1) / kKvBlockTokens; }

class KvPool {
 public:
  // n_layer x kv_dim values per position and per K/V, in `kv`; at most max_blocks blocks live at
  // once. A block's memory is allocated the first time it is handed out (not written: pages are
  // touched only as positions fill) and kept for reuse after release, so memory follows the most
  // blocks ever live, not the budget.
  KvPool(int64_t n_layer, int64_t kv_dim, KvType kv, int64_t max_blocks);
  KvPool(const KvPool&) = delete;
  KvPool& operator=(const KvPool&) = delete;

  // Bytes one block takes.
  static int64_t block_bytes(int64_t n_layer, int64_t kv_dim, KvType kv) {
    return 2 * n_layer * kKvBlockTokens * kv_dim * static_cast<int64_t>(kv_type_size(kv));
  }
  int64_t block_bytes() const { return block_bytes(n_layer_, kv_dim_, kv_); }

  KvType kv_type() const { return kv_; }
  int64_t n_layer() const { return n_layer_; }
  int64_t kv_dim() const { return kv_dim_; }
  int64_t max_blocks() const { return max_blocks_; }
  int64_t n_used() const { return n_used_; }  // blocks with at least one reference
  int64_t n_free() const { return max_blocks() - n_used_; }

  // A block with one reference, or -1 when the budget is spent and the reclaim hook (if any)
  // could not release one.
  int32_t alloc();
  void retain(int32_t b);
  void release(int32_t b);
  int32_t refs(int32_t b) const { return refs_[static_cast<size_t>(b)]; }
  // Called by alloc when no block is free (the prefix cache evicts one of its blocks); returns
  // true if a block was released.
  void set_reclaim(std::function<bool()> f) { reclaim_ = std::move(f); }

  // Keys / values of block b, layer l: kKvBlockTokens rows of kv_dim values.
  uint8_t* k(int32_t b, int64_t l) { return base(b) + (2 * l) * row_bytes_ * kKvBlockTokens; }
  uint8_t* v(int32_t b, int64_t l) { return base(b) + (2 * l + 1) * row_bytes_ * kKvBlockTokens; }
  int64_t row_bytes() const { return row_bytes_; }
  // Copies the first n_rows positions of every layer of block `from` into block `to`.
  void copy_rows(int32_t from, int32_t to, int64_t n_rows);

 private:
  uint8_t* base(int32_t b) { return mem_[static_cast<size_t>(b)].get(); }
  int64_t n_layer_, kv_dim_;
  KvType kv_;
  int64_t row_bytes_;
  int64_t max_blocks_;
  std::vector<std::unique_ptr<uint8_t[]>> mem_;  // per block id, made when the id is first handed out
  std::vector<int32_t> refs_;
  std::vector<int32_t> free_;  // ids with no reference, reused last-freed first
  int64_t n_used_ = 0;
  std::function<bool()> reclaim_;
};

// One sequence's positions 0 .. n_past-1 as a table of pool blocks.
class KvSequence {
 public:
  // n_ctx: the positions this sequence may hold at most.
  KvSequence(KvPool& pool, int64_t n_ctx) : pool_(&pool), n_ctx_(n_ctx) {}
  ~KvSequence() { clear(); }
  KvSequence(KvSequence&& o) noexcept;
  KvSequence& operator=(KvSequence&& o) noexcept;
  KvSequence(const KvSequence&) = delete;
  KvSequence& operator=(const KvSequence&) = delete;

  KvPool& pool() const { return *pool_; }
  int64_t n_ctx() const { return n_ctx_; }
  int64_t n_past() const { return n_past_; }
  const std::vector<int32_t>& blocks() const { return blocks_; }

  // Forgets positions >= n (n <= n_past), releasing the blocks past them; n = 0 empties it.
  void truncate(int64_t n);
  void clear() { truncate(0); }
  // A second sequence holding the same positions in the same blocks (each block gains a
  // reference); whichever writes a shared block first writes its own copy.
  KvSequence fork() const;
  // Starts an empty sequence with full blocks that hold its first blocks.size() * kKvBlockTokens
  // positions (the caller hands over one reference to each: the prefix cache's lookup).
  void adopt_prefix(const std::vector<int32_t>& blocks);
  // Makes positions [n_past, n_past + n) writable: new blocks where needed, and a private copy of
  // a shared block that they fall in. Out of blocks: a resource error, nothing else changed but
  // blocks already taken (they stay, empty, until truncate).
  Status prepare(int64_t n);
  // Positions [n_past, n_past + n) were written (the forward pass).
  void advance(int64_t n) { n_past_ += n; }

  uint8_t* k_row(int64_t l, int64_t pos) { return row(pool_->k(block_of(pos), l), pos); }
  uint8_t* v_row(int64_t l, int64_t pos) { return row(pool_->v(block_of(pos), l), pos); }

 private:
  int32_t block_of(int64_t pos) const { return blocks_[static_cast<size_t>(pos / kKvBlockTokens)]; }
  uint8_t* row(uint8_t* block, int64_t pos) const { return block + (pos % kKvBlockTokens) * pool_->row_bytes(); }
  KvPool* pool_;
  int64_t n_ctx_;
  int64_t n_past_ = 0;
  std::vector<int32_t> blocks_;
};

}  // namespace hymt
