// matmul.cpp: weight x activation products over the kernel table. Activations are converted to the
// format's act_type once per call; output rows are split across threads in chunks of 16, and each
// chunk is computed in tiles of up to kTileMax rows x kTileMax tokens so a weight row is read from
// memory once per 4 tokens and an activation row from cache once per 4 weight rows. Every output
// element sees the same arithmetic whatever the tile shape, chunking or thread count.
#include <algorithm>
#include <functional>
#include <thread>

#include "core/status.h"
#include "formats/blocks.h"
#include "formats/format_ref.h"
#include "kernels/dispatch.h"
#include "kernels/kernels.h"

namespace hymt {

namespace {

constexpr int64_t kChunkRows = 16;

static_assert(kChunkRows % kPackRows == 0, "a chunk must hold whole packed groups");

// Cache blocking of a batch product: rows go in panels of kPanelRows, and for each panel every
// token tile passes over it, so the panel's weights (tens to a few hundred KiB) stay in L2 while
// a tile's activations stay in L1 for all the panel's rows. Each output is still computed by one
// tile call, so blocking changes no result.
constexpr int64_t kPanelRows = 64;

// The converted activations of one product: n_tok rows of arb bytes, their block sums (nb per
// row, for packed kernels), and, for packed kernels that read tiles, token tile j (kPackTokens
// tokens from j * kPackTokens) at tiles + j * tile_stride.
struct Activations {
  const uint8_t* a;
  size_t arb;
  const int32_t* sums;
  int64_t nb;
  int64_t n_tok;
  const uint8_t* tiles;
  size_t tile_stride;
};

// Rows [r0, r1) of one weight against the activations.
void rows_product(const KernelTable& kt, const WeightView& w, const Activations& x, float* y, int64_t ldy, int64_t r0,
                  int64_t r1) {
  const size_t ti = static_cast<size_t>(w.type);
  const uint8_t* a = x.a;
  const size_t arb = x.arb;
  const int64_t n_tok = x.n_tok;
  if (w.packed != nullptr && r0 < w.packed_rows) {
    const PackedKernel& pk = kt.packed[ti];
    const size_t gb = pk.bytes(w.ne0);
    const int64_t end = std::min(r1, w.packed_rows);
    for (int64_t p = r0; p < end; p += kPanelRows) {
      const int64_t pe = std::min(end, p + kPanelRows);
      for (int64_t t = 0; t < n_tok; t += kPackTokens) {
        const int nt = static_cast<int>(std::min<int64_t>(kPackTokens, n_tok - t));
        for (int64_t r = p; r < pe; r += kPackRows) {
          const uint8_t* group = w.packed + static_cast<size_t>(r / kPackRows) * gb;
          if (pk.tile_act != nullptr)
            pk.gemm(w.ne0, group, x.tiles + static_cast<size_t>(t / kPackTokens) * x.tile_stride, 0, nullptr, 0, nt,
                    y + t * ldy + r, ldy);
          else
            pk.gemm(w.ne0, group, a + t * arb, arb, x.sums + t * x.nb, x.nb, nt, y + t * ldy + r, ldy);
        }
      }
    }
    if (end == r1) return;
    r0 = end;
  }
  if (const GemmTileFn gemm = kt.gemm[ti]) {
    for (int64_t p = r0; p < r1; p += kPanelRows) {
      const int64_t pe = std::min(r1, p + kPanelRows);
      for (int64_t t = 0; t < n_tok; t += kTileMax) {
        const int nt = static_cast<int>(std::min<int64_t>(kTileMax, n_tok - t));
        for (int64_t r = p; r < pe; r += kTileMax) {
          const int nr = static_cast<int>(std::min<int64_t>(kTileMax, pe - r));
          gemm(w.ne0, w.row(r), w.row_bytes, nr, a + t * arb, arb, nt, y + t * ldy + r, ldy);
        }
      }
    }
    return;
  }
  const VecDotFn dot = kt.vec_dot[ti];
  for (int64_t r = r0; r < r1; ++r) {
    const uint8_t* wr = w.row(r);
    for (int64_t t = 0; t < n_tok; ++t) y[t * ldy + r] = dot(w.ne0, wr, a + t * arb);
  }
}

}  // namespace

bool kernel_supports(WeightType t) {
  const FormatRef* r = format_ref(t);
  return r != nullptr && kernel_table().vec_dot[static_cast<size_t>(t)] != nullptr;
}

void matmul_multi(const MatmulOut* outs, int n_outs, const float* x, int64_t ldx, int64_t n_tok, ThreadPool& pool,
                  KernelScratch& scratch) {
  HYMT_ASSERT(n_outs >= 1 && n_outs <= 8);
  const KernelTable& kt = kernel_table();
  const WeightView& w0 = *outs[0].w;
  const FormatRef* ref = format_ref(w0.type);
  HYMT_ASSERT(ref != nullptr);
  for (int k = 1; k < n_outs; ++k) {
    const FormatRef* rk = format_ref(outs[k].w->type);
    HYMT_ASSERT(rk != nullptr && rk->act_type == ref->act_type && outs[k].w->ne0 == w0.ne0);
  }
  const QuantizeRowFn quant = kt.quantize_act[static_cast<size_t>(ref->act_type)];
  HYMT_ASSERT(quant != nullptr);
  const auto act_row = row_bytes(ref->act_type, w0.ne0);
  HYMT_ASSERT(act_row.has_value());
  const size_t arb = *act_row;
  if (scratch.act.size() < arb * static_cast<size_t>(n_tok)) scratch.act.resize(arb * static_cast<size_t>(n_tok));
  uint8_t* a = scratch.act.data();
  // Packed kernels of offset formats take each activation block's integer sum, computed here once
  // per token rather than once per packed group: per 32 codes for Q8_0 activations, per 256 (the
  // sum of the block's bsums) for Q8_K.
  bool any_packed = false;
  for (int k = 0; k < n_outs; ++k) any_packed |= outs[k].w->packed != nullptr;
  const bool act_q8_k = ref->act_type == WeightType::kQ8_K;
  const bool sums_needed = any_packed && (act_q8_k || ref->act_type == WeightType::kQ8_0);
  const int64_t nb = w0.ne0 / (act_q8_k ? kQK_K : 32);
  if (sums_needed && scratch.sums.size() < static_cast<size_t>(nb * n_tok))
    scratch.sums.resize(static_cast<size_t>(nb * n_tok));
  auto convert = [&](int64_t t) {
    quant(x + t * ldx, a + t * arb, w0.ne0);
    if (!sums_needed) return;
    int32_t* sums_t = scratch.sums.data() + t * nb;
    if (act_q8_k) {
      const BlockQ8_K* blk = reinterpret_cast<const BlockQ8_K*>(a + t * arb);
      for (int64_t i = 0; i < nb; ++i) {
        int32_t s = 0;
        for (int j = 0; j < kQK_K / 16; ++j) s += blk[i].bsums[j];
        sums_t[i] = s;
      }
      return;
    }
    const BlockQ8_0* blk = reinterpret_cast<const BlockQ8_0*>(a + t * arb);
    for (int64_t i = 0; i < nb; ++i) {
      int32_t s = 0;
      for (int j = 0; j < 32; ++j) s += blk[i].qs[j];
      sums_t[i] = s;
    }
  };
  pool.for_each(n_tok, convert);
  // Token tiles for packed kernels that read them (one tiling function per product: all such
  // kernels of a path share it, as they share the activation type).
  ActTileFn tile_act = nullptr;
  ActTileBytesFn tile_bytes = nullptr;
  for (int k = 0; k < n_outs; ++k) {
    const PackedKernel& pk = kt.packed[static_cast<size_t>(outs[k].w->type)];
    if (outs[k].w->packed == nullptr || pk.tile_act == nullptr) continue;
    HYMT_ASSERT(tile_act == nullptr || (tile_act == pk.tile_act && tile_bytes == pk.tile_bytes));
    tile_act = pk.tile_act;
    tile_bytes = pk.tile_bytes;
  }
  const int64_t n_tiles = (n_tok + kPackTokens - 1) / kPackTokens;
  const size_t tile_stride = tile_act ? tile_bytes(w0.ne0, kPackTokens) : 0;
  if (tile_act) {
    if (scratch.tiles.size() < tile_stride * static_cast<size_t>(n_tiles))
      scratch.tiles.resize(tile_stride * static_cast<size_t>(n_tiles));
    auto make_tile = [&](int64_t j) {
      const int64_t t = j * kPackTokens;
      tile_act(w0.ne0, a + t * arb, arb, scratch.sums.data() + t * nb, nb,
               static_cast<int>(std::min<int64_t>(kPackTokens, n_tok - t)), scratch.tiles.data() + j * tile_stride);
    };
    pool.for_each(n_tiles, make_tile);
  }
  const Activations acts{a, arb, scratch.sums.data(), nb, n_tok, scratch.tiles.data(), tile_stride};
  // Chunks of every output, numbered consecutively: output k owns chunks [first[k], first[k+1]).
  int64_t first[9] = {0};
  for (int k = 0; k < n_outs; ++k) first[k + 1] = first[k] + (outs[k].w->n_rows + kChunkRows - 1) / kChunkRows;
  // Threads claim one panel (kPanelRows rows) at a time: a decode step's products are a few
  // microseconds each, and with the pool's default of about four claims per thread the last claim
  // left the other thread idle for up to an eighth of the product. Panel-sized claims keep the
  // prefill blocking as it was (a claim is exactly one panel) and cost one atomic add per panel.
  constexpr int64_t kClaimChunks = kPanelRows / kChunkRows;
  pool.parallel_for(first[n_outs], [&](int64_t c0, int64_t c1, int) {
    for (int k = 0; k < n_outs; ++k) {
      const int64_t b = std::max(c0, first[k]), e = std::min(c1, first[k + 1]);
      if (b >= e) continue;
      const WeightView& w = *outs[k].w;
      rows_product(kt, w, acts, outs[k].y, outs[k].ldy, (b - first[k]) * kChunkRows,
                   std::min(w.n_rows, (e - first[k]) * kChunkRows));
    }
  }, kClaimChunks);
}

void matmul(const WeightView& w, const float* x, int64_t ldx, int64_t n_tok, float* y, int64_t ldy,
            ThreadPool& pool, KernelScratch& scratch) {
  const MatmulOut out{&w, y, ldy};
  matmul_multi(&out, 1, x, ldx, n_tok, pool, scratch);
}

LargeBuffer pack_weight(const WeightView& w, int64_t* packed_rows,
                        const std::function<void(int64_t r0, int64_t r1)>& packed_slice) {
  *packed_rows = 0;
  const PackedKernel& pk = kernel_table().packed[static_cast<size_t>(w.type)];
  const int64_t groups = w.n_rows / kPackRows;
  if (pk.gemm == nullptr || groups == 0) return {};
  const size_t gb = pk.bytes(w.ne0);
  LargeBuffer out(gb * static_cast<size_t>(groups));
  constexpr int64_t kSliceGroups = 256;  // 4096 rows: the caller may release them before the next
  // Packing is part of every model load: the groups of a slice are shared out over the cores.
  const int64_t n_threads = std::clamp<int64_t>(std::thread::hardware_concurrency(), 1, 8);
  for (int64_t g0 = 0; g0 < groups; g0 += kSliceGroups) {
    const int64_t g1 = std::min(groups, g0 + kSliceGroups);
    auto pack_range = [&](int64_t a, int64_t b) {
      for (int64_t g = a; g < b; ++g) pk.pack(w.row(g * kPackRows), w.row_bytes, w.ne0, out.data() + g * gb);
    };
    const int64_t per = (g1 - g0 + n_threads - 1) / n_threads;
    std::vector<std::thread> helpers;
    for (int64_t a = g0 + per; a < g1; a += per) helpers.emplace_back(pack_range, a, std::min(g1, a + per));
    pack_range(g0, std::min(g1, g0 + per));
    for (auto& h : helpers) h.join();
    if (packed_slice) packed_slice(g0 * kPackRows, g1 * kPackRows);
  }
  *packed_rows = groups * kPackRows;
  return out;
}

void get_row(const WeightView& w, int64_t r, float* out) {
  const FormatRef* ref = format_ref(w.type);
  HYMT_ASSERT(ref != nullptr && r >= 0 && r < w.n_rows);
  if (w.packed != nullptr && r < w.packed_rows) {
    // The packed copy is the one in memory (the mapped pages were released after packing).
    const PackedKernel& pk = kernel_table().packed[static_cast<size_t>(w.type)];
    thread_local std::vector<uint8_t> row;  // grows once to the widest row: no allocation per token
    if (row.size() < w.row_bytes) row.resize(w.row_bytes);
    pk.unpack_row(w.packed + static_cast<size_t>(r / kPackRows) * pk.bytes(w.ne0), w.ne0, static_cast<int>(r % kPackRows),
                  row.data());
    ref->dequantize_row(row.data(), out, w.ne0);
    return;
  }
  ref->dequantize_row(w.row(r), out, w.ne0);
}

}  // namespace hymt
