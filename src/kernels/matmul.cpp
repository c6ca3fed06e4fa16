// matmul.cpp: weight x activation products over the kernel table. Activations are converted to the
// format's act_type once per call; output rows are split across threads in chunks of 16, and each
// chunk is computed in tiles of up to kTileMax rows x kTileMax tokens so a weight row is read from
// memory once per 4 tokens and an activation row from cache once per 4 weight rows. Every output
// element sees the same arithmetic whatever the tile shape, chunking or thread count.
#include <algorithm>

#include "core/status.h"
#include "formats/format_ref.h"
#include "kernels/dispatch.h"
#include "kernels/kernels.h"

namespace hymt {

bool kernel_supports(WeightType t) {
  const FormatRef* r = format_ref(t);
  return r != nullptr && kernel_table().vec_dot[static_cast<size_t>(t)] != nullptr;
}

void matmul(const WeightView& w, const float* x, int64_t ldx, int64_t n_tok, float* y, int64_t ldy,
            ThreadPool& pool, KernelScratch& scratch) {
  const KernelTable& kt = kernel_table();
  const FormatRef* ref = format_ref(w.type);
  HYMT_ASSERT(ref != nullptr);
  const QuantizeRowFn quant = kt.quantize_act[static_cast<size_t>(ref->act_type)];
  HYMT_ASSERT(quant != nullptr);
  const auto act_row = row_bytes(ref->act_type, w.ne0);
  HYMT_ASSERT(act_row.has_value());
  const size_t arb = *act_row;
  if (scratch.act.size() < arb * static_cast<size_t>(n_tok)) scratch.act.resize(arb * static_cast<size_t>(n_tok));
  uint8_t* a = scratch.act.data();
  if (n_tok > 1) {
    pool.parallel_for(n_tok, [&](int64_t t0, int64_t t1, int) {
      for (int64_t t = t0; t < t1; ++t) quant(x + t * ldx, a + t * arb, w.ne0);
    });
  } else {
    quant(x, a, w.ne0);  // one row: not worth waking the pool
  }
  const size_t ti = static_cast<size_t>(w.type);
  const VecDotFn dot = kt.vec_dot[ti];
  const GemmTileFn gemm = kt.gemm[ti];
  HYMT_ASSERT(dot != nullptr);
  const int64_t chunk = 16;
  const int64_t n_chunks = (w.n_rows + chunk - 1) / chunk;
  pool.parallel_for(n_chunks, [&](int64_t c0, int64_t c1, int) {
    const int64_t r_end = std::min(w.n_rows, c1 * chunk);
    if (gemm) {
      for (int64_t r = c0 * chunk; r < r_end; r += kTileMax) {
        const int nr = static_cast<int>(std::min<int64_t>(kTileMax, r_end - r));
        for (int64_t t = 0; t < n_tok; t += kTileMax) {
          const int nt = static_cast<int>(std::min<int64_t>(kTileMax, n_tok - t));
          gemm(w.ne0, w.row(r), w.row_bytes, nr, a + t * arb, arb, nt, y + t * ldy + r, ldy);
        }
      }
      return;
    }
    for (int64_t r = c0 * chunk; r < r_end; ++r) {
      const uint8_t* wr = w.row(r);
      for (int64_t t = 0; t < n_tok; ++t) y[t * ldy + r] = dot(w.ne0, wr, a + t * arb);
    }
  });
}

void get_row(const WeightView& w, int64_t r, float* out) {
  const FormatRef* ref = format_ref(w.type);
  HYMT_ASSERT(ref != nullptr && r >= 0 && r < w.n_rows);
  ref->dequantize_row(w.row(r), out, w.ne0);
}

}  // namespace hymt
